package org.adminconsole.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TcpProxy;
import org.adminconsole.testing.TestDatabases;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Databases the console must not open as they are, each refused at start with one message that says what and what to
 * do: a schema migrated by a newer console, a failed migration, a server that accepts connections and never answers.
 * And a server the console may not make durable is opened with a warning, not refused.
 */
class StartupRefusalTest {

    @TempDir Path dir;

    private void historyRow(Settings s, String version, String description, boolean success) throws Exception {
        try (Connection c = TestDatabases.connect(s); Statement st = c.createStatement()) {
            String history = s.isH2() ? "\"flyway_schema_history\"" : "flyway_schema_history";
            String cols = s.isH2()
                    ? "(\"installed_rank\", \"version\", \"description\", \"type\", \"script\", \"checksum\", \"installed_by\", \"installed_on\", \"execution_time\", \"success\")"
                    : "(installed_rank, version, description, type, script, checksum, installed_by, installed_on, execution_time, success)";
            st.executeUpdate("INSERT INTO " + history + " " + cols + " VALUES (999, '" + version + "', '" + description
                    + "', 'SQL', 'V" + version + "__x.sql', 1, 'newer console', CURRENT_TIMESTAMP, 1, " + success + ")");
        }
    }

    @Test
    void aDatabaseUpgradedByANewerConsoleIsRefusedOnH2() throws Exception {
        Settings s = TestDatabases.h2(dir);
        Database.open(s).close();
        historyRow(s, "500", "tenant column", true);
        assertThatThrownBy(() -> Database.open(s)).isInstanceOf(DatabaseStartupException.class)
                .hasMessageContaining("upgraded by a newer Admin Console").hasMessageContaining("500")
                .hasMessageContaining("tenant column").hasMessageContaining("Use the newer console")
                .satisfies(e -> assertThat(((DatabaseStartupException) e).reason()).isEqualTo(DatabaseStartupException.Reason.FUTURE_SCHEMA));
    }

    @Test
    void aDatabaseUpgradedByANewerConsoleIsRefusedOnPostgres() throws Exception {
        Settings s = TestDatabases.postgres(dir, Map.of());
        Database.open(s).close();
        historyRow(s, "500", "tenant column", true);
        assertThatThrownBy(() -> Database.open(s)).isInstanceOf(DatabaseStartupException.class)
                .hasMessageContaining("upgraded by a newer Admin Console").hasMessageContaining("500");
    }

    @Test
    void aFailedMigrationIsRefused() throws Exception {
        Settings s = TestDatabases.h2(dir);
        Database.open(s).close();
        try (Connection c = TestDatabases.connect(s); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '71'");
        }
        assertThatThrownBy(() -> Database.open(s)).isInstanceOf(DatabaseStartupException.class)
                .hasMessageContaining("failed earlier").hasMessageContaining("71").hasMessageContaining("backup")
                .satisfies(e -> assertThat(((DatabaseStartupException) e).reason()).isEqualTo(DatabaseStartupException.Reason.FAILED_MIGRATION));
    }

    @Test
    void aPostgresServerThatAcceptsButNeverAnswersFailsTheStartInTime() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432)) {
            proxy.freeze();
            Settings s = TestDatabases.h2(dir, Map.of("db.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test",
                    "db.user", "postgres", "pool.connectionTimeoutMs", "1500"));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Database.open(s)).isInstanceOf(DatabaseStartupException.class)
                    .hasMessageContaining("Cannot reach the database").doesNotHaveToString("Exception:");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("[measure] start against a PostgreSQL server that never answers failed after " + ms + " ms");
            assertThat(ms).as("not the 90 s of a login without deadline").isLessThan(15_000);
        }
    }

    @Test
    void anH2ServerThatAcceptsButNeverAnswersFailsTheStartInTime() throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", server.getPort())) {
            proxy.freeze();
            Settings s = TestDatabases.h2(dir, Map.of("db.url", "jdbc:h2:tcp://127.0.0.1:" + proxy.port() + "/console",
                    "pool.connectionTimeoutMs", "1500", "tx.defaultTimeoutSeconds", "2"));
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Database.open(s)).isInstanceOf(DatabaseStartupException.class)
                    .hasMessageContaining("Cannot reach the database");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("[measure] start against an H2 server that never answers failed after " + ms + " ms");
            assertThat(ms).isLessThan(15_000);
        } finally {
            server.stop();
        }
    }

    @Test
    void anH2ServerThisLoginCannotMakeDurableOpensWithAWarning() throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        try {
            String url = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/console";
            Settings owner = TestDatabases.h2(dir, Map.of("db.url", url));
            try (Database db = Database.open(owner)) {
                // an operator login without admin rights on a server that delays commits
                try (Connection c = TestDatabases.connect(owner); Statement st = c.createStatement()) {
                    st.execute("CREATE USER op PASSWORD 'op-secret'");
                    st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA PUBLIC TO op");
                    st.execute("SET WRITE_DELAY 500");
                }
                Settings operator = owner.with(Map.of("db.user", "op", "db.password", "op-secret"));
                try (Database asOperator = Database.open(operator)) {
                    assertThat(asOperator.warnings()).singleElement().asString()
                            .contains("keeps up to 500 ms of commits").contains("SET WRITE_DELAY 0");
                }
            }
        } finally {
            server.stop();
        }
    }
}
