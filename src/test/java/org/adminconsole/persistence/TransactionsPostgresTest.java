package org.adminconsole.persistence;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

/** The same contract on the local PostgreSQL (skipped with a reason when none answers, mandatory in CI). */
class TransactionsPostgresTest extends AbstractTransactionsTest {
    @Override
    Settings settings(Path dir) {
        return TestDatabases.postgres(dir, Map.of());
    }

    @Override
    String slowQuery() {
        return "SELECT COUNT(*) FROM pg_sleep(120)";
    }
}
