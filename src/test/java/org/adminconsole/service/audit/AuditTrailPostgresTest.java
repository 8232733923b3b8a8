package org.adminconsole.service.audit;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

/** The audit-trail, Activity and revert tests on the local PostgreSQL (plpgsql triggers, set_config marker). */
class AuditTrailPostgresTest extends AuditTrailTest {
    @Override
    Settings settings(Path dir) {
        return TestDatabases.postgres(dir, Map.of("db.seed.users", "40"));
    }
}
