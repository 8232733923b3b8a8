package org.adminconsole.persistence;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

class PropagationPostgresTest extends AbstractPropagationTest {
    @Override
    Settings settings(Path dir) {
        return TestDatabases.postgres(dir, Map.of("db.seed.users", "60"));
    }

    @Override
    String slowQuery() {
        return "SELECT pg_sleep(120)";
    }
}
