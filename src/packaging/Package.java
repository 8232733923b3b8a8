import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Builds the packaged application (Maven profile {@code package}; run by {@code java src/packaging/Package.java}):
 * <ol>
 *   <li>a runtime trimmed by jlink to the JDK modules the console uses;</li>
 *   <li>a jpackage app image {@code target/jpackage/admin-console}: the console's jar and its libraries (JavaFX
 *       included, on the class path like {@code Launcher} expects) with that runtime and a native launcher;</li>
 *   <li>a class-data-sharing archive {@code lib/app/admin-console.jsa}: a training run of the image's own runtime and
 *       class path (headless through Monocle, on a throw-away data folder with a few demo users) lists the classes a
 *       start loads, then {@code -Xshare:dump} archives them (JDK and console classes in one archive), which the
 *       launcher uses through {@code -XX:SharedArchiveFile=$APPDIR/admin-console.jsa};</li>
 *   <li>an installer of the platform's kind when its tool is present (Linux: {@code .deb} with dpkg-deb and fakeroot,
 *       {@code .rpm} with rpmbuild; Windows: {@code .msi} with WiX; macOS: {@code .dmg}); otherwise it says so and
 *       stops after the image.</li>
 * </ol>
 * Arguments: the project folder, the console's jar, the folder of its runtime libraries, the Monocle jar, the version.
 */
public final class Package {

    static final String NAME = "admin-console";
    static final String MAIN = "org.adminconsole.Launcher";
    static final List<String> MODULES = List.of("java.base", "java.compiler", "java.desktop", "java.instrument", "java.logging",
            "java.management", "java.naming", "java.rmi", "java.scripting", "java.security.jgss", "java.security.sasl", "java.sql",
            "java.sql.rowset", "java.xml", "jdk.charsets", "jdk.crypto.ec", "jdk.jfr", "jdk.management", "jdk.net", "jdk.unsupported",
            "jdk.zipfs");

    public static void main(String[] args) throws Exception {
        Path project = Path.of(args[0]).toAbsolutePath();
        Path jar = Path.of(args[1]).toAbsolutePath();
        Path libs = Path.of(args[2]).toAbsolutePath();
        Path monocle = Path.of(args[3]).toAbsolutePath();
        String version = args[4].replace("-SNAPSHOT", "").replaceAll("[^0-9.]", "");
        Path out = project.resolve("target/jpackage");
        Path tools = Path.of(System.getProperty("java.home"), "bin");
        delete(out);
        Files.createDirectories(out);

        // 1. the trimmed runtime (bin/java kept: the archive is dumped with it)
        Path runtime = out.resolve("runtime");
        run(List.of(tool(tools, "jlink"), "--add-modules", String.join(",", MODULES), "--output", runtime.toString(),
                "--strip-debug", "--no-header-files", "--no-man-pages"), project);

        // 2. the app image: every jar in one input folder
        Path input = out.resolve("input");
        Files.createDirectories(input);
        Files.copy(jar, input.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        try (Stream<Path> files = Files.list(libs)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                Files.copy(f, input.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        run(List.of(tool(tools, "jpackage"), "--type", "app-image", "--name", NAME, "--app-version", version,
                "--vendor", "Admin Console", "--input", input.toString(), "--main-jar", jar.getFileName().toString(),
                "--main-class", MAIN, "--runtime-image", runtime.toString(), "--dest", out.toString(),
                "--java-options", "-XX:SharedArchiveFile=$APPDIR/" + NAME + ".jsa", "--java-options", "-Xshare:auto"), project);
        Path image = out.resolve(isMac() ? NAME + ".app" : NAME);

        // 3. the class-data archive, from a training run of the image's own runtime and class path
        Path appDir = appDir(image);
        List<String> classPath = classPath(appDir);
        Path java = javaOf(image);
        Path classList = out.resolve("classes.lst");
        Path training = out.resolve("training");
        Files.createDirectories(training);
        List<String> trainingCp = new ArrayList<>(classPath);
        trainingCp.add(monocle.toString()); // after the archived class path: only for running headless here
        // first start (migrations, seeding), then the usual restart, whose classes are recorded
        for (String record : new String[] {null, "-XX:DumpLoadedClassList=" + classList}) {
            List<String> cmd = new ArrayList<>(List.of(java.toString()));
            if (record != null) {
                cmd.add(record);
            }
            cmd.addAll(List.of("-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw",
                    "-Dadminconsole.startupReport=" + training.resolve("report.txt"), "-Dadminconsole.startupReport.exit=true",
                    "-cp", String.join(File.pathSeparator, trainingCp), MAIN, "--data.dir=" + training.resolve("data"),
                    "--db.seed.users=500"));
            run(cmd, training);
        }
        // the class list ships in the image: JDK 17 accepts an archive only for the exact absolute class path it was dumped
        // with, so an installer dumps it again where it installs (src/packaging/linux/postinst), and so can a moved image
        Files.copy(classList, appDir.resolve("classes.lst"), StandardCopyOption.REPLACE_EXISTING);
        dump(java, appDir, classPath, training);
        Path archive = appDir.resolve(NAME + ".jsa");
        System.out.printf("App image: %s (class-data archive %,d KB)%n", image, Files.size(archive) / 1024);

        // 4. an installer where the platform's tool is present
        String type = installerType();
        if (type == null) {
            System.out.println("No installer: this platform's packaging tool is missing (Linux: dpkg-deb and fakeroot for .deb, "
                    + "or rpmbuild for .rpm; Windows: WiX). The app image is complete.");
            return;
        }
        List<String> installer = new ArrayList<>(List.of(tool(tools, "jpackage"), "--type", type, "--app-image", image.toString(),
                "--name", NAME, "--app-version", version, "--vendor", "Admin Console", "--dest", out.toString()));
        if (type.equals("deb")) {
            installer.addAll(List.of("--resource-dir", project.resolve("src/packaging/linux").toString()));
        }
        run(installer, project);
        System.out.println("Installer (" + type + ") in " + out);
    }

    /** Dumps the class-data archive of the image in {@code appDir} from its class list, for its class path as it is now. */
    static void dump(Path java, Path appDir, List<String> classPath, Path dir) throws IOException, InterruptedException {
        run(List.of(java.toString(), "-Xshare:dump", "-Xlog:cds=error", "-XX:SharedClassListFile=" + appDir.resolve("classes.lst"),
                "-XX:SharedArchiveFile=" + appDir.resolve(NAME + ".jsa"), "-cp", String.join(File.pathSeparator, classPath)), dir);
    }

    /** The folder the launcher calls $APPDIR: the console's jars and its launcher configuration. */
    static Path appDir(Path image) {
        return isMac() ? image.resolve("Contents/app") : isWindows() ? image.resolve("app") : image.resolve("lib/app");
    }

    static Path javaOf(Path image) {
        Path runtime = isMac() ? image.resolve("Contents/runtime/Contents/Home") : isWindows() ? image.resolve("runtime") : image.resolve("lib/runtime");
        return runtime.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
    }

    /** The class path exactly as the launcher builds it from its configuration (the archive must see the same). */
    static List<String> classPath(Path appDir) throws IOException {
        Path cfg = appDir.resolve(NAME + ".cfg");
        List<String> cp = new ArrayList<>();
        for (String line : Files.readAllLines(cfg, StandardCharsets.UTF_8)) {
            if (line.startsWith("app.classpath=")) {
                cp.add(line.substring("app.classpath=".length()).replace("$APPDIR", appDir.toString()));
            }
        }
        if (cp.isEmpty()) {
            throw new IllegalStateException("No class path in " + cfg);
        }
        return cp;
    }

    static String installerType() {
        if (isWindows()) {
            return onPath("candle.exe") || onPath("wix.exe") ? "msi" : null;
        }
        if (isMac()) {
            return "dmg";
        }
        if (onPath("dpkg-deb") && onPath("fakeroot")) {
            return "deb";
        }
        return onPath("rpmbuild") ? "rpm" : null;
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    static boolean isWindows() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win");
    }

    static boolean isMac() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac");
    }

    static String tool(Path bin, String name) {
        return bin.resolve(isWindows() ? name + ".exe" : name).toString();
    }

    static void run(List<String> command, Path dir) throws IOException, InterruptedException {
        System.out.println("> " + String.join(" ", command.subList(0, Math.min(command.size(), 6))) + (command.size() > 6 ? " …" : ""));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        int status = p.waitFor();
        if (status != 0) {
            throw new IllegalStateException(command.get(0) + " failed with status " + status);
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
