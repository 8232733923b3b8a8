package org.adminconsole.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.util.Map;

/**
 * The console's logging, set up in code (logback's {@link Configurator} service, found before any XML file): the
 * console on standard output and {@code <data folder>/logs/console.log}, rolled daily and at 10 MB, 14 days and 100 MB
 * kept. Written in code because parsing a {@code logback.xml} (Joran, an XML parser, some 500 classes) took about half a
 * second of the main thread before the window could start (StartupBench, issue 14); this takes a few milliseconds.
 *
 * <p>A configuration file still wins: {@code -Dlogback.configurationFile=...}, or a {@code logback-test.xml} on the
 * class path (the tests), is read by logback as usual.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    /** The folder of {@code console.log}; {@code Launcher} sets it to {@code <data folder>/logs} before anything logs. */
    public static final String LOG_DIR_PROPERTY = "adminconsole.log.dir";
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] [%X{task:-}|%X{op:-}] %logger{30} - %msg%n";

    /** Levels below the root's WARN: the console's own INFO lines; Hibernate's, HikariCP's and others' noise kept down. */
    static final Map<String, Level> LEVELS = Map.of(
            "org.adminconsole", Level.INFO,
            "org.hibernate", Level.WARN,
            "org.hibernate.orm.deprecation", Level.ERROR,
            // Hibernate logs every SQL error at WARN before throwing it; the console logs each failure once itself
            "org.hibernate.orm.jdbc.error", Level.OFF,
            // a dead pooled connection is evicted and replaced by the console's own health check: no stack trace per connection
            "com.zaxxer.hikari", Level.ERROR,
            "org.flywaydb", Level.WARN,
            "org.ehcache", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // a configuration file was given: logback reads it
        }
        apply(context, logDir());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static Path logDir() {
        String dir = System.getProperty(LOG_DIR_PROPERTY);
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".local", "share", "admin-console", "logs");
    }

    /** Standard output and the rolling {@code console.log} in {@code dir}, with the console's levels. */
    static void apply(LoggerContext context, Path dir) {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder(context));
        console.start();

        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("FILE");
        file.setFile(dir.resolve("console.log").toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
        rolling.setContext(context);
        rolling.setParent(file);
        rolling.setFileNamePattern(dir.resolve("console.%d{yyyy-MM-dd}.%i.log.gz").toString());
        rolling.setMaxFileSize(FileSize.valueOf("10MB"));
        rolling.setMaxHistory(14);
        rolling.setTotalSizeCap(FileSize.valueOf("100MB"));
        rolling.start();
        file.setRollingPolicy(rolling);
        file.setEncoder(encoder(context));
        file.start();

        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
        root.addAppender(file);
        LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    private static PatternLayoutEncoder encoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }
}
