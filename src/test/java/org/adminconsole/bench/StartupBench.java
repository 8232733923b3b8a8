package org.adminconsole.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.adminconsole.AppContext;
import org.adminconsole.Launcher;
import org.adminconsole.config.Settings;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.support.TaskHandle;
import org.adminconsole.ui.StartupReport;

/**
 * Startup speed (bench command, not JMH: each figure is a whole process start). Launches the console in a JVM of its
 * own the way {@code mvn javafx:run} does (JavaFX on the module path, the rest on the class path, no extra JVM options),
 * headless through Monocle, on a copy of a data folder holding {@code -Dbench.startup.users} users (default 200,000;
 * built once and kept in the temp folder as {@code adminconsole-bench-startup-<users>}), and reads the milestones the
 * console reports with {@code -Dadminconsole.startupReport} ({@link StartupReport}): first frame, Dashboard figures
 * shown, Users rows shown, in milliseconds after the process was launched. The baseline is a bare JavaFX window
 * ({@link BareWindow}) started the same way in the same run; every figure is printed with its ratio to the bare window's
 * first frame. Runs alternate (bare, console, packaged app) so that the machine's load hits them alike; medians of
 * {@code -Dbench.startup.runs} (default 5).
 *
 * <p>The packaged app (README, "Packaged application") is measured too when its image exists ({@code target/jpackage/
 * admin-console}, or {@code -Dbench.startup.image}): its own launcher, trimmed runtime and class-data archive, with
 * Monocle added to a copy of its launcher configuration. {@code -Dbench.startup.firstStart=true} adds a first start on
 * an empty data folder (migrations and seeding of the default 10,000 demo users).
 */
public final class StartupBench {

    private static final List<String> EVENTS = List.of("frame", "dashboard", "users", "dashboard-counted");
    private static final long TIMEOUT_S = 180;

    public static void main(String[] args) throws Exception {
        for (String a : String.join(" ", args).trim().split("\\s+")) {
            if (a.contains("=")) {
                System.setProperty("bench.startup." + a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        int users = Integer.getInteger("bench.startup.users", 200_000);
        int runs = Integer.getInteger("bench.startup.runs", 5);
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "adminconsole-bench-startup-" + users);
        Path data = prepare(base.resolve("data"), users);
        Launch launch = Launch.fromClassPath();
        Path image = Path.of(System.getProperty("bench.startup.image", "target/jpackage/admin-console"));
        Path packaged = Files.isDirectory(image) ? PackagedImage.prepareForBench(image, base.resolve("packaged"), launch.monocle()) : null;
        boolean firstStart = Boolean.getBoolean("bench.startup.firstStart");
        // another build's classes (e.g. the commit before a change) measured in the same run: before/after in one table
        String compare = System.getProperty("bench.startup.compareClasses");
        Launch before = compare == null || compare.isBlank() ? null : launch.withClasses(Path.of(compare));

        Map<String, List<Map<String, Long>>> results = new LinkedHashMap<>();
        for (int round = 1; round <= runs; round++) {
            Path runDir = base.resolve("run");
            results.computeIfAbsent("bare JavaFX window", k -> new ArrayList<>())
                    .add(measure(launch.command(BareWindow.class.getName(), List.of()), runDir, List.of("frame")));
            results.computeIfAbsent("console (mvn javafx:run)", k -> new ArrayList<>())
                    .add(measure(launch.command(Launcher.class.getName(), List.of("--data.dir=" + copyOf(data, runDir))), runDir, EVENTS));
            if (before != null) {
                results.computeIfAbsent("console, classes of " + compare, k -> new ArrayList<>())
                        .add(measure(before.command(Launcher.class.getName(), List.of("--data.dir=" + copyOf(data, runDir))), runDir, EVENTS));
            }
            if (packaged != null) {
                results.computeIfAbsent("packaged app image", k -> new ArrayList<>())
                        .add(measure(PackagedImage.command(packaged, List.of("--data.dir=" + copyOf(data, runDir))), runDir, EVENTS));
            }
            if (firstStart) {
                Path empty = runDir.resolve("empty");
                deleteTree(runDir);
                Files.createDirectories(empty);
                results.computeIfAbsent("console, first start (10,000 demo users seeded)", k -> new ArrayList<>())
                        .add(measure(launch.command(Launcher.class.getName(), List.of("--data.dir=" + empty)), runDir, EVENTS));
            }
            System.out.printf("round %d of %d done%n", round, runs);
        }
        print(users, runs, results);
    }

    /** Starts one process, waits until it has reported {@code expected} and exited; milliseconds after launch per event. */
    static Map<String, Long> measure(List<String> command, Path runDir, List<String> expected) throws IOException, InterruptedException {
        Files.createDirectories(runDir);
        Path report = runDir.resolve("startup-report.txt");
        Files.deleteIfExists(report);
        List<String> cmd = new ArrayList<>(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(runDir.toFile()).redirectErrorStream(true)
                .redirectOutput(runDir.resolve("process-output.txt").toFile());
        String reportOptions = "-D" + StartupReport.PROPERTY + "=" + report + " -D" + StartupReport.EXIT_PROPERTY + "=true";
        pb.environment().put("ADMINCONSOLE_BENCH_REPORT", report.toString());
        if (cmd.get(0).endsWith(File.separator + "java")) {
            cmd.addAll(1, List.of(reportOptions.split(" ")));
            pb.command(cmd);
        } else {
            // a packaged launcher: the JVM reads its options from the environment
            pb.environment().put("JAVA_TOOL_OPTIONS", reportOptions + " " + Launch.HEADLESS);
        }
        long launched = System.currentTimeMillis();
        Process p = pb.start();
        // the process exits by itself once it has reported everything; a milestone that never comes (a failed load)
        // ends the run STALL_S after the last one, and the figure is left out (printed as missing)
        long stall = Long.getLong("bench.startup.stallSeconds", 120);
        long lastNews = System.nanoTime();
        int seen = 0;
        while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
            int now = read(report, launched).size();
            if (now != seen) {
                seen = now;
                lastNews = System.nanoTime();
            }
            if (System.nanoTime() - lastNews > TimeUnit.SECONDS.toNanos(seen == 0 ? TIMEOUT_S : stall)) {
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor();
                }
            }
        }
        Map<String, Long> at = read(report, launched);
        if (!at.containsKey("frame")) {
            throw new IllegalStateException("The process reported " + at + ", not even its first frame (exit " + p.exitValue()
                    + "); its output is in " + runDir.resolve("process-output.txt"));
        }
        if (!at.keySet().containsAll(expected)) {
            System.out.println("  missing milestones (not shown within " + stall + " s of the last): " + expected.stream()
                    .filter(e -> !at.containsKey(e)).toList() + "; see " + runDir.resolve("process-output.txt"));
        }
        System.out.println("  " + at + "  " + String.join(" ", command.subList(command.size() - 2, command.size())));
        return at;
    }

    private static Map<String, Long> read(Path report, long launched) throws IOException {
        Map<String, Long> at = new LinkedHashMap<>();
        if (Files.exists(report)) {
            for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
                String[] f = line.trim().split(" ");
                if (f.length == 2) {
                    at.putIfAbsent(f[0], Long.parseLong(f[1]) - launched);
                }
            }
        }
        return at;
    }

    private static void print(int users, int runs, Map<String, List<Map<String, Long>>> results) {
        double bare = median(results.get("bare JavaFX window"), "frame");
        System.out.println();
        System.out.printf("==== Startup, %,d users, median of %d (%s; ms after launch, ratio to the bare window's first frame) ====%n",
                users, runs, java.time.LocalDate.now());
        System.out.printf("%-48s %16s %16s %16s %16s%n", "", "first frame", "Dashboard first", "Users rows", "Dashboard counted");
        for (Map.Entry<String, List<Map<String, Long>>> e : results.entrySet()) {
            StringBuilder line = new StringBuilder(String.format("%-48s", e.getKey()));
            for (String event : EVENTS) {
                double m = median(e.getValue(), event);
                line.append(Double.isNaN(m) ? String.format(" %16s", "missing") : String.format(" %8.0f (x%5.2f)", m, m / bare));
            }
            System.out.println(line);
        }
        System.out.println("every run (ms): ");
        results.forEach((k, v) -> System.out.println("  " + k + ": " + v));
    }

    private static double median(List<Map<String, Long>> runs, String event) {
        List<Long> values = runs.stream().map(r -> r.get(event)).filter(v -> v != null).sorted().toList();
        if (values.isEmpty()) {
            return Double.NaN;
        }
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2.0;
    }

    /** The data folder with {@code users} users, built once (about a minute for 200,000) and reused. */
    static Path prepare(Path data, int users) throws Exception {
        Path ready = data.resolveSibling("ready");
        if (Files.exists(ready)) {
            return data;
        }
        deleteTree(data);
        Files.createDirectories(data);
        System.out.printf("Building the benchmark's data folder %s with %,d users (once)…%n", data, users);
        Settings settings = Settings.of(Map.of("data.dir", data.toString(), "db.seed.users", "0", "tx.longTimeoutSeconds", "3600",
                "operator", "bench"));
        try (AppContext ctx = AppContext.start(settings)) {
            new TaskHandle("bench-data").run(() -> ctx.get(DemoDataService.class).generate(users));
        }
        Files.writeString(ready, "users=" + users + System.lineSeparator());
        return data;
    }

    /** A fresh copy of the prepared data folder for one run (the run may compact or write to it). */
    private static Path copyOf(Path data, Path runDir) throws IOException {
        Path target = runDir.resolve("data");
        deleteTree(runDir);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** How {@code mvn javafx:run} starts the console: JavaFX on the module path, the rest on the class path; plus Monocle. */
    record Launch(List<String> modulePath, List<String> classPath, String monocle) {

        static final String HEADLESS = "-Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw";

        /** Test-only libraries on the benchmark's own class path, left out of the console's. */
        private static final List<String> TEST_ONLY = List.of("/org/junit/", "/org/assertj/", "/org/testfx/", "/com/tngtech/",
                "/org/openjdk/jmh/", "/org/opentest4j/", "/org/apiguardian/", "/net/sf/jopt-simple/", "/org/apache/commons/commons-math3/",
                "/org/hamcrest/", "javafx-swing", "/net/bytebuddy/byte-buddy-agent/");

        static Launch fromClassPath() {
            List<String> modules = new ArrayList<>();
            List<String> classes = new ArrayList<>();
            String monocle = null;
            for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
                String unix = e.replace(File.separatorChar, '/');
                if (unix.contains("/openjfx-monocle/")) {
                    monocle = e;
                } else if (unix.contains("/org/openjfx/")) {
                    modules.add(e);
                } else if (TEST_ONLY.stream().noneMatch(unix::contains)) {
                    classes.add(e);
                }
            }
            if (monocle == null) {
                throw new IllegalStateException("Monocle (org.testfx:openjfx-monocle) is not on the class path");
            }
            return new Launch(modules, classes, monocle);
        }

        /** The same launch with {@code classes} in place of this build's {@code target/classes}. */
        Launch withClasses(Path classes) {
            List<String> cp = new ArrayList<>();
            for (String e : classPath) {
                cp.add(e.replace(File.separatorChar, '/').endsWith("target/classes") ? classes.toAbsolutePath().toString() : e);
            }
            return new Launch(modulePath, cp, monocle);
        }

        List<String> command(String mainClass, List<String> args) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--module-path", String.join(File.pathSeparator, modulePath),
                    "--add-modules", "javafx.base,javafx.controls,javafx.fxml,javafx.graphics",
                    "--patch-module", "javafx.graphics=" + monocle));
            cmd.addAll(List.of(HEADLESS.split(" ")));
            cmd.addAll(List.of("-classpath", String.join(File.pathSeparator, classPath), mainClass));
            cmd.addAll(args);
            return cmd;
        }
    }
}
