package org.adminconsole.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The packaged app image (profile {@code package}) as the startup benchmark runs it: a copy of the image whose launcher
 * configuration also lists Monocle at the end of the class path (after the archived class path, so the class-data
 * archive still applies), started through its own native launcher.
 */
final class PackagedImage {

    private PackagedImage() {
    }

    static Path prepareForBench(Path image, Path copy, String monocle) throws IOException, InterruptedException {
        StartupBench.deleteTree(copy);
        try (Stream<Path> all = Files.walk(image)) {
            for (Path p : all.toList()) {
                Path target = copy.resolve(image.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Path cfg = config(copy);
        redumpArchive(copy, cfg);
        List<String> lines = new ArrayList<>(Files.readAllLines(cfg, StandardCharsets.UTF_8));
        int last = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("app.classpath=")) {
                last = i;
            }
        }
        if (last < 0) {
            throw new IllegalStateException("No app.classpath in " + cfg);
        }
        lines.add(last + 1, "app.classpath=" + Path.of(monocle).toAbsolutePath());
        Files.write(cfg, lines, StandardCharsets.UTF_8);
        System.out.println("Packaged app image copied for the benchmark to " + copy);
        return copy;
    }

    /**
     * JDK 17 accepts a class-data archive only for the exact class path it was dumped with, so the copy gets its own,
     * dumped from the class list the build recorded (as the .deb's postinst does where it installs).
     */
    private static void redumpArchive(Path image, Path cfg) throws IOException, InterruptedException {
        Path app = cfg.getParent();
        if (!Files.exists(app.resolve("classes.lst"))) {
            return;
        }
        List<String> cp = new ArrayList<>();
        for (String line : Files.readAllLines(cfg, StandardCharsets.UTF_8)) {
            if (line.startsWith("app.classpath=")) {
                cp.add(line.substring("app.classpath=".length()).replace("$APPDIR", app.toString()));
            }
        }
        Process p = new ProcessBuilder(image.resolve("lib/runtime/bin/java").toString(), "-Xshare:dump", "-Xlog:cds=error",
                "-XX:SharedClassListFile=" + app.resolve("classes.lst"), "-XX:SharedArchiveFile=" + app.resolve("admin-console.jsa"),
                "-cp", String.join(java.io.File.pathSeparator, cp)).redirectErrorStream(true)
                .redirectOutput(image.resolve("cds-dump.txt").toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("Dumping the class-data archive of the copy failed; see " + image.resolve("cds-dump.txt"));
        }
    }

    private static Path config(Path image) throws IOException {
        try (Stream<Path> files = Files.list(image.resolve("lib").resolve("app"))) {
            return files.filter(f -> f.toString().endsWith(".cfg")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No launcher configuration in " + image));
        }
    }

    static List<String> command(Path image, List<String> args) throws IOException {
        try (Stream<Path> launchers = Files.list(image.resolve("bin"))) {
            List<String> cmd = new ArrayList<>(List.of(launchers.findFirst().orElseThrow().toString()));
            cmd.addAll(args);
            return cmd;
        }
    }
}
