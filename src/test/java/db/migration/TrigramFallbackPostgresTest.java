package db.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.LogCapture;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * V90 on a PostgreSQL database where pg_trgm cannot be created (here: the login may not create extensions in that
 * database): the migration logs why and goes on without the trigram indexes, and its transaction stays usable.
 */
class TrigramFallbackPostgresTest {

    @Test
    void withoutTheRightToCreateTheExtensionTheMigrationLogsWhyAndGoesOn() throws Exception {
        // a database of its own, where CREATE is revoked from PUBLIC and pg_trgm is not installed
        Settings s = TestDatabases.postgresDatabase(TestDatabases.tempDir("trgm-fallback"), Map.of());
        try (Connection c = TestDatabases.connect(s); LogCapture log = new LogCapture()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // a login without CREATE on the database (the SQL console's reader), for this transaction only
                st.execute("SET LOCAL ROLE " + TestDatabases.PG_READER);
            }
            assertThat(V90__User_infix_search.trigramSchema(c)).isNull();
            assertThat(log.text()).contains("pg_trgm could not be created").contains("permission denied")
                    .contains("works without an index");
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pg_extension WHERE extname = 'pg_trgm'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the transaction goes on after the refused CREATE EXTENSION").isZero();
            }
            c.rollback();
        }
    }
}
