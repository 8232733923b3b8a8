package org.adminconsole.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test's child JVM on the test class path: read its output line by line, kill it with SIGKILL. */
public final class ChildProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;

    private ChildProcess(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    public static ChildProcess start(Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ChildProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** Reads lines until one matches (returned) or the child's output ends (null). Every line read is kept in {@code seen}. */
    public String readUntil(Predicate<String> match, List<String> seen) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (seen != null) {
                seen.add(line);
            }
            if (match.test(line)) {
                return line;
            }
        }
        return null;
    }

    /** SIGKILL: no shutdown hooks, no close, no flush. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
