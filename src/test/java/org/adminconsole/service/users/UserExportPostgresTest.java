package org.adminconsole.service.users;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

/** The same export and bulk preview tests on the local PostgreSQL (skipped when none answers, unless CI requires it). */
class UserExportPostgresTest extends UserExportTest {
    @Override
    Settings settings(Path dir) {
        return TestDatabases.postgres(dir, Map.of("db.seed.users", "300"));
    }
}
