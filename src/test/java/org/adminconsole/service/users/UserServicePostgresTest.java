package org.adminconsole.service.users;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

/** The same user-administration tests on the local PostgreSQL (skipped when none answers, unless CI requires it). */
class UserServicePostgresTest extends UserServiceTest {
    @Override
    Settings settings(Path dir) {
        return TestDatabases.postgres(dir, Map.of("db.seed.users", String.valueOf(SEEDED)));
    }
}
