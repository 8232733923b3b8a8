package org.adminconsole.persistence;

import javax.sql.DataSource;
import org.adminconsole.config.Settings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * Brings the schema up to date with Flyway, and refuses a database this console must not touch: one migrated by a
 * newer console (its schema has versions this console does not know; Flyway alone would ignore them and the console
 * would fail later with raw SQL errors), or one with a failed migration recorded.
 *
 * <p>Where migrations live: portable SQL in {@code db/migration}; what differs between the databases in
 * {@code db/vendor/h2} and {@code db/vendor/postgresql}; Java migrations (package {@code db.migration}, under
 * {@code src/main/java/db/migration}) only for data rewrites SQL cannot express on both.
 */
final class Migrations {

    private Migrations() {
    }

    static void run(DataSource dataSource, Settings s, Dialect dialect) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration", "classpath:db/vendor/" + dialect.vendorFolder())
                .failOnMissingLocations(true)
                .load();
        refuseUnusable(flyway.info().all(), flyway.info().current());
        flyway.migrate();
    }

    private static void refuseUnusable(MigrationInfo[] all, MigrationInfo current) {
        String known = null;
        for (MigrationInfo mi : all) {
            if (mi.getState() != MigrationState.FUTURE_SUCCESS && mi.getState() != MigrationState.FUTURE_FAILED && mi.getVersion() != null) {
                known = mi.getVersion().getVersion();
            }
        }
        for (MigrationInfo mi : all) {
            MigrationState st = mi.getState();
            if (st == MigrationState.FUTURE_SUCCESS || st == MigrationState.FUTURE_FAILED) {
                throw new DatabaseStartupException(DatabaseStartupException.Reason.FUTURE_SCHEMA,
                        "This database was upgraded by a newer Admin Console: its schema is at version "
                                + (current == null ? mi.getVersion() : current.getVersion()) + " (" + describe(mi)
                                + "), and this console knows versions up to " + known + ". Use the newer console; this one "
                                + "would misread the data. Nothing was changed.", null);
            }
        }
        for (MigrationInfo mi : all) {
            if (mi.getState().isFailed()) {
                throw new DatabaseStartupException(DatabaseStartupException.Reason.FAILED_MIGRATION,
                        "A schema upgrade of this database failed earlier (version " + mi.getVersion() + ", " + describe(mi)
                                + "), so the schema may be half changed. Restore the backup taken before that upgrade, or fix the "
                                + "schema by hand and remove the failed row from flyway_schema_history. Nothing was changed.", null);
            }
        }
    }

    private static String describe(MigrationInfo mi) {
        return "\"" + mi.getDescription() + "\"";
    }
}
