package org.adminconsole.service.access;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

/** {@link RolesTest} on PostgreSQL: roles of the cluster, rights per schema, NOLOGIN, SCRAM passwords. */
class RolesPostgresTest extends RolesTest {
    @Override
    Settings settings(Path dir) {
        return TestDatabases.postgres(dir, Map.of("db.seed.users", "150"));
    }

    @Override
    boolean postgres() {
        return true;
    }
}
