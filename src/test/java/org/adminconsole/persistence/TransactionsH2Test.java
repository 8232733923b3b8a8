package org.adminconsole.persistence;

import java.nio.file.Path;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

class TransactionsH2Test extends AbstractTransactionsTest {
    @Override
    Settings settings(Path dir) {
        return TestDatabases.h2(dir);
    }

    @Override
    String slowQuery() {
        return "SELECT SUM(X * 2) FROM SYSTEM_RANGE(1, 50000000000)";
    }
}
