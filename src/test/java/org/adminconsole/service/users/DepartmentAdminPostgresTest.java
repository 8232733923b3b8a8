package org.adminconsole.service.users;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

/** The same department tests on the local PostgreSQL (skipped when none answers, unless CI requires it). */
class DepartmentAdminPostgresTest extends DepartmentAdminTest {
    @Override
    Settings settings(Path dir) {
        return TestDatabases.postgres(dir, Map.of("db.seed.users", "200"));
    }
}
