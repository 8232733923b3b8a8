package org.adminconsole.persistence;

import java.nio.file.Path;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

class TransactionsH2Test extends AbstractTransactionsTest {
    @Override
    Settings settings(Path dir) {
        return TestDatabases.h2(dir);
    }
}
