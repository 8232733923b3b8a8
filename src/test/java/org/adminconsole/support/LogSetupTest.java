package org.adminconsole.support;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's logging, set up in code instead of a logback.xml (issue 14: half a second of every start). */
class LogSetupTest {

    @TempDir Path dir;

    @Test
    void writesTheConsolesLinesToConsoleLogAndKeepsTheLibrariesQuiet() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // as logback's own context has
        LogSetup.apply(context, dir);
        context.start(); // as logback does once its configurator is done
        context.getLogger("org.adminconsole.persistence.Database").info("Database open: migrations 7 ms");
        context.getLogger("org.adminconsole.persistence.Database").debug("not at INFO");
        context.getLogger("org.hibernate.SQL").info("Hibernate chatter");
        context.getLogger("org.hibernate.orm.jdbc.error").error("an SQL error Hibernate logs before throwing it");
        context.getLogger("com.zaxxer.hikari.pool.PoolBase").warn("a dead pooled connection");
        context.getLogger("com.zaxxer.hikari.pool.PoolBase").error("the pool cannot connect");
        context.getLogger("org.flywaydb.core").warn("a Flyway warning");
        context.stop(); // flushes and closes the file

        String log = Files.readString(dir.resolve("console.log"));
        assertThat(log).containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] \\[\\|\\] "
                + "o\\.a\\.persistence\\.Database - Database open: migrations 7 ms");
        assertThat(log).contains("the pool cannot connect", "a Flyway warning")
                .doesNotContain("not at INFO", "Hibernate chatter", "an SQL error Hibernate logs", "a dead pooled connection");
    }

    @Test
    void aConfigurationFileOnTheClassPathWins() {
        // the tests' logback-test.xml is on the class path here: logback reads it instead of the code's setup
        assertThat(new LogSetup().configure(new LoggerContext())).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    }
}
