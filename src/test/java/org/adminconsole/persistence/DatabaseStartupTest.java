package org.adminconsole.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.adminconsole.AppContext;
import org.adminconsole.config.Keys;
import org.adminconsole.config.Settings;
import org.adminconsole.config.SettingsException;
import org.adminconsole.service.dashboard.DashboardService;
import org.adminconsole.testing.HoldH2File;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the database: migrations, validation, seeding once, and one clear message per bad configuration. */
class DatabaseStartupTest {

    @TempDir Path dir;

    @Test
    void migratesAnEmptyDatabaseValidatesTheMappingAndSeedsOnlyOnce() throws Exception {
        Settings s = TestDatabases.h2(dir, Map.of("db.seed.users", "300"));
        try (AppContext ctx = AppContext.start(s)) {
            assertThat(ctx.get(DashboardService.class).counts().users()).isEqualTo(300);
            try (Connection c = ctx.database().dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\"")) {
                rs.next();
                assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(1);
            }
            // The operator deletes some users; a restart must not re-seed.
            ctx.database().transactions().write("cleanup", x -> x.createMutationQuery("delete from User u where u.id > 100").executeUpdate());
        }
        try (AppContext again = AppContext.start(s)) {
            assertThat(again.get(DashboardService.class).counts().users()).isEqualTo(100);
        }
    }

    @Test
    void tenThousandDemoUsersAcrossDepartmentsOnFirstStart() {
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir, Map.of("db.seed.users", "10000")))) {
            DashboardService.Counts c = ctx.get(DashboardService.class).counts();
            assertThat(c.users()).isEqualTo(10_000);
            assertThat(c.departments()).isEqualTo(12);
            long linked = ctx.database().transactions().read("links", x ->
                    x.createNativeQuery("SELECT COUNT(DISTINCT user_id) FROM user_departments", Long.class).getSingleResult());
            assertThat(linked).isEqualTo(10_000);
        }
    }

    /**
     * The deferred check of the schema history (after a start that found it current) tells a busy pool from an edited
     * migration: a LoadBench run with eight busy operators logged "the schema history differs" for a pool timeout.
     */
    @Test
    void theDeferredSchemaHistoryCheckTellsABusyPoolFromAnEditedMigration() throws Exception {
        Settings s = TestDatabases.h2(dir, Map.of("pool.maxSize", "2", "pool.minIdle", "2", "pool.connectionTimeoutMs", "500"));
        try (Database db = Database.open(s); org.adminconsole.testing.LogCapture log = new org.adminconsole.testing.LogCapture()) {
            assertThat(db.validateMigrations(1)).isEqualTo("valid");
            Connection a = db.dataSource().getConnection();
            Connection b = db.dataSource().getConnection();
            try {
                assertThat(db.validateMigrations(1)).isEqualTo("retry");
                assertThat(db.validateMigrations(Database.VALIDATE_ATTEMPTS)).isEqualTo("gave up");
            } finally {
                a.close();
                b.close();
            }
            assertThat(log.text()).contains("INFO Could not check the schema history yet (")
                    .contains("WARN Could not check the schema history against this console's migrations after 3 tries")
                    .doesNotContain("differs");
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE \"flyway_schema_history\" SET \"checksum\" = \"checksum\" + 1 WHERE \"version\" = '1'");
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            }
            assertThat(db.validateMigrations(1)).isEqualTo("differs");
            assertThat(log.at(ch.qos.logback.classic.Level.ERROR)).extracting(e -> e.getFormattedMessage())
                    .anySatisfy(m -> assertThat(m).startsWith("The schema history differs from this console's migrations"));
        }
    }

    @Test
    void hibernateValidationRejectsASchemaThatDoesNotMatch() throws Exception {
        Settings s = TestDatabases.h2(dir);
        Database.open(s).close();
        try (Connection c = TestDatabases.connect(s);
             Statement st = c.createStatement()) {
            // V120's users_masked reads every column the Users screen shows: a column a view reads cannot be dropped
            st.execute("DROP VIEW users_masked");
            st.execute("ALTER TABLE users DROP COLUMN settings");
        }
        assertThatThrownBy(() -> Database.open(s))
                .isInstanceOf(DatabaseStartupException.class)
                .hasMessageContaining("does not match")
                .hasMessageContaining("settings");
    }

    @Test
    void aLockedH2FileGivesAClearMessage() throws Exception {
        Settings s = TestDatabases.h2(dir);
        Database.open(s).close();
        String url = "jdbc:h2:file:" + dir.resolve("console").toAbsolutePath();
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldH2File.class.getName(), url)
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("LOCKED"));
            assertThat(line).as("child process holds the file").isEqualTo("LOCKED");
            assertThatThrownBy(() -> Database.open(s))
                    .isInstanceOf(DatabaseStartupException.class)
                    .satisfies(e -> assertThat(((DatabaseStartupException) e).reason()).isEqualTo(DatabaseStartupException.Reason.LOCKED))
                    .hasMessageContaining("in use by another Admin Console")
                    .hasMessageContaining("console.mv.db")
                    .hasMessageContaining("AUTO_SERVER=TRUE");
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(10, TimeUnit.SECONDS)) {
                holder.destroyForcibly();
            }
        }
        // Once the other process is gone, the console opens normally again.
        Database.open(s).close();
    }

    @Test
    void closingLeavesNoPoolThreadsAndNoOpenConnections() throws Exception {
        java.util.function.Supplier<Long> poolThreads = () -> Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("admin-console")).count();
        long before = poolThreads.get();
        AppContext ctx = AppContext.start(TestDatabases.h2(dir, Map.of("db.seed.users", "10")));
        ctx.get(DashboardService.class).counts();
        assertThat(poolThreads.get()).isGreaterThan(before);
        Database db = ctx.database();
        ctx.close();
        assertThat(db.isClosed()).isTrue();
        assertThat(db.sessionFactory().isOpen()).isFalse();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (poolThreads.get() > before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(poolThreads.get()).isEqualTo(before);
        // H2 closed the file when the last pooled connection closed: a plain JDBC open sees a consistent file.
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("console").toAbsolutePath()
                + ";ACCESS_MODE_DATA=r", "sa", "")) {
            assertThat(c.isValid(1)).isTrue();
        }
    }

    @Test
    void closingOnPostgresReturnsEveryConnection() throws Exception {
        Settings pg = TestDatabases.postgres(dir, Map.of("db.seed.users", "10", "operator", "closer-" + System.nanoTime()));
        String app = JdbcUrls.applicationName(pg);
        try (Connection admin = java.sql.DriverManager.getConnection(TestDatabases.PG_URL, "postgres", "")) {
            AppContext ctx = AppContext.start(pg);
            ctx.get(DashboardService.class).counts();
            java.util.function.LongSupplier open = () -> {
                try (java.sql.PreparedStatement ps = admin.prepareStatement(
                        "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ?")) {
                    ps.setString(1, app);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            };
            assertThat(open.getAsLong()).isPositive();
            ctx.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (open.getAsLong() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(open.getAsLong()).isZero();
        }
    }

    @Test
    void anUnreachableServerIsNamed() {
        Settings s = TestDatabases.h2(dir, Map.of("db.url", "jdbc:postgresql://127.0.0.1:1/test", "pool.connectionTimeoutMs", "1000"));
        assertThatThrownBy(() -> Database.open(s))
                .isInstanceOf(DatabaseStartupException.class)
                .hasMessageContaining("Cannot reach the database at jdbc:postgresql://127.0.0.1:1/test")
                .hasMessageContaining("db.url");
    }

    @Test
    void aWrongH2PasswordIsNamed() {
        Settings s = TestDatabases.h2(dir);
        Database.open(s).close();
        assertThatThrownBy(() -> Database.open(s.with(Map.of("db.password", "wrong"))))
                .isInstanceOf(DatabaseStartupException.class)
                .satisfies(e -> assertThat(((DatabaseStartupException) e).reason()).isEqualTo(DatabaseStartupException.Reason.AUTHENTICATION))
                .hasMessageContaining("rejected user 'sa'")
                .hasMessageContaining("db.password");
    }

    @Test
    void aWrongPostgresPasswordOrDatabaseIsNamed() {
        Settings pg = TestDatabases.postgres(dir, Map.of());
        assertThatThrownBy(() -> Database.open(pg.with(Map.of("db.url", "jdbc:postgresql://127.0.0.1:5432/no_such_db_here"))))
                .isInstanceOf(DatabaseStartupException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void unknownSettingsAndBadValuesAreNamed() throws Exception {
        assertThatThrownBy(() -> Settings.of(Map.of("pool.maxSzie", "4")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("Unknown setting 'pool.maxSzie'")
                .hasMessageContaining("pool.maxSize");
        assertThatThrownBy(() -> Settings.of(Map.of("pool.maxSize", "lots")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("pool.maxSize = 'lots'")
                .hasMessageContaining("whole number from 1 to 64");
        assertThatThrownBy(() -> Settings.of(Map.of("db.url", "jdbc:mysql://x/y")))
                .hasMessageContaining("db.url").hasMessageContaining("H2").hasMessageContaining("PostgreSQL");
        assertThatThrownBy(() -> Settings.of(Map.of("db.durability", "sometimes")))
                .hasMessageContaining("db.durability");
        assertThatThrownBy(() -> Settings.of(Map.of("cache.check.notify", "yes")))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("cache.check.notify = 'yes'").hasMessageContaining("'true'").hasMessageContaining("'false'");

        Path file = dir.resolve("console.properties");
        Files.writeString(file, "pool.maxSize = 9\nsql.slowThresholdMs = 50\n");
        System.setProperty("console.sql.slowThresholdMs", "75");
        try {
            Settings loaded = Settings.load(Map.of("data.dir", dir.toString(), "pool.minIdle", "2"));
            assertThat(loaded.get(Keys.POOL_MAX_SIZE)).isEqualTo(9);
            assertThat(loaded.get(Keys.SQL_SLOW_THRESHOLD).toMillis()).isEqualTo(75);
            assertThat(loaded.get(Keys.POOL_MIN_IDLE)).isEqualTo(2);
            assertThat(loaded.origin("pool.maxSize")).isEqualTo(file.toString());
            Files.writeString(file, "pool.maxSize = 0\n");
            assertThatThrownBy(() -> Settings.load(Map.of("data.dir", dir.toString())))
                    .hasMessageContaining("pool.maxSize = '0'").hasMessageContaining(file.toString());
        } finally {
            System.clearProperty("console.sql.slowThresholdMs");
        }
    }

    @Test
    void defaultsWorkWithNoFileAndPointAtTheUserDataFolder() {
        Settings s = Settings.of(Map.of());
        assertThat(s.dbUrl()).startsWith("jdbc:h2:file:").contains("admin-console");
        assertThat(s.get(Keys.DB_SEED_USERS)).isEqualTo(10_000);
    }
}
