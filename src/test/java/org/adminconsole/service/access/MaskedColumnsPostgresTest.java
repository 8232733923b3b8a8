package org.adminconsole.service.access;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

/** The masked-columns tests on the local PostgreSQL: column privileges, the view and its masking function. */
class MaskedColumnsPostgresTest extends MaskedColumnsTest {
    @Override
    Settings settings(Path dir) {
        return TestDatabases.postgres(dir, Map.of());
    }
}
