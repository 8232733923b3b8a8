package org.adminconsole.service.users;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

/** The search inside fields on the local PostgreSQL, served by pg_trgm (skipped when no server answers, unless CI requires it). */
class UserSearchPostgresTest extends UserSearchTest {
    @Override
    Settings settings(Path dir) {
        return TestDatabases.postgres(dir, Map.of("db.seed.users", String.valueOf(SEEDED)));
    }
}
