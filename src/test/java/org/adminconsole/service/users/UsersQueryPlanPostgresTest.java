package org.adminconsole.service.users;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

/** The same query plans on the local PostgreSQL (skipped when none answers, unless CI requires it). */
class UsersQueryPlanPostgresTest extends UsersQueryPlanTest {
    @Override
    Settings settings(Path dir) {
        return TestDatabases.postgres(dir, Map.of("tx.longTimeoutSeconds", "600"));
    }
}
