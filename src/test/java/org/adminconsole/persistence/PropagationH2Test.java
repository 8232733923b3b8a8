package org.adminconsole.persistence;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

class PropagationH2Test extends AbstractPropagationTest {
    @Override
    Settings settings(Path dir) {
        return TestDatabases.h2(dir, Map.of("db.seed.users", "60"));
    }

    @Override
    String slowQuery() {
        return "SELECT SUM(X) FROM SYSTEM_RANGE(1, 50000000000)";
    }
}
