package org.adminconsole.ui;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;

/** {@link SignInFxTest} on PostgreSQL (a schema of its own; the logins are roles of the cluster). */
class SignInPostgresFxTest extends SignInFxTest {
    @Override
    Settings ownerSettings(Path dir) {
        return TestDatabases.postgres(dir, Map.of("db.seed.users", "30"));
    }

    @Override
    Settings windowSettings(Path dir, Settings owner) {
        return Settings.of(Map.of("data.dir", dir.resolve("operator").toString(), "db.url", owner.dbUrl(), "db.seed.users", "0",
                "sql.user", TestDatabases.PG_READER));
    }

    @Override
    boolean postgres() {
        return true;
    }
}
