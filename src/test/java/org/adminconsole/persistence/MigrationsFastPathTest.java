package org.adminconsole.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a start on a current schema needs no Flyway (one query of the history against the migrations' names); any
 * doubt takes Flyway's full path (StartupRefusalTest: what it refuses), and Flyway's full validation agrees.
 */
class MigrationsFastPathTest {

    @TempDir Path dir;

    @Test
    void aCurrentSchemaIsRecognisedWithoutFlywayAndAnyDifferenceIsNot() throws Exception {
        Settings s = TestDatabases.h2(dir);
        Dialect dialect = Dialect.of(s.dbUrl());
        try (Database db = Database.open(s)) {
            assertThat(Migrations.isCurrent(db.unmonitoredDataSource(), dialect)).isTrue();
            Migrations.validate(db.unmonitoredDataSource(), dialect); // the full validation (checksums) agrees
        }
        org.h2.jdbcx.JdbcDataSource direct = new org.h2.jdbcx.JdbcDataSource();
        direct.setURL(JdbcUrls.url(s));
        direct.setUser(s.dbUser());
        direct.setPassword(s.dbPassword());
        sql(s, "UPDATE \"flyway_schema_history\" SET \"version\" = '71.5' WHERE \"version\" = '71'");
        assertThat(Migrations.isCurrent(direct, dialect)).as("a version this console does not ship").isFalse();
        sql(s, "UPDATE \"flyway_schema_history\" SET \"version\" = '71' WHERE \"version\" = '71.5'");
        assertThat(Migrations.isCurrent(direct, dialect)).isTrue();
        sql(s, "DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '62'");
        assertThat(Migrations.isCurrent(direct, dialect)).as("a version not applied").isFalse();
        sql(s, "INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", \"script\", "
                + "\"checksum\", \"installed_by\", \"installed_on\", \"execution_time\", \"success\") VALUES (998, '62', 'x', 'SQL', "
                + "'V62__x.sql', 1, 'test', CURRENT_TIMESTAMP, 1, FALSE)");
        assertThat(Migrations.isCurrent(direct, dialect)).as("a failed migration").isFalse();
    }

    private static void sql(Settings s, String statement) throws Exception {
        try (Connection c = TestDatabases.connect(s); Statement st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }
}
