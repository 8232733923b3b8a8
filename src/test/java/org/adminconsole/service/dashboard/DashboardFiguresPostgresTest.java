package org.adminconsole.service.dashboard;

import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

/** {@link DashboardFiguresTest} on PostgreSQL (skipped with the reason when no server is reachable). */
class DashboardFiguresPostgresTest extends DashboardFiguresTest {

    @Override
    Settings settings() {
        return TestDatabases.postgres(dir, Map.of("db.seed.users", "400"));
    }
}
