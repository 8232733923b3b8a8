package org.adminconsole.persistence;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.adminconsole.config.Settings;
import org.adminconsole.support.TaskHandle;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date with Flyway, and refuses a database this console must not touch: one migrated by a
 * newer console (its schema has versions this console does not know; Flyway alone would ignore them and the console
 * would fail later with raw SQL errors), or one with a failed migration recorded.
 *
 * <p>The usual start finds the schema already current: {@link #isCurrent} sees that with one query of the schema
 * history against the migration files' names (no Flyway, no file read), and Flyway's full validation (checksums of
 * every migration) then runs later, off the critical path ({@link #validate}). Anything else (first start, pending
 * migrations, a failed or unknown version, an unreadable history) takes Flyway's full path.
 *
 * <p>Where migrations live: portable SQL in {@code db/migration}; what differs between the databases in
 * {@code db/vendor/h2} and {@code db/vendor/postgresql}; Java migrations (package {@code db.migration}, under
 * {@code src/main/java/db/migration}) only for data rewrites SQL cannot express on both.
 */
final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__[^/]*\\.(?:sql|class)");

    private Migrations() {
    }

    /** Runs Flyway (the caller asked {@link #isCurrent} first: a current schema needs no Flyway at all). */
    static void migrate(DataSource dataSource, Settings s, Dialect dialect, TaskHandle task) {
        Progress progress = new Progress(task);
        Flyway flyway = configure(dataSource, dialect)
                .callbacks(progress)
                .load();
        MigrationInfo[] all = flyway.info().all();
        refuseUnusable(all, flyway.info().current());
        long pending = Stream.of(all).filter(mi -> mi.getState() == MigrationState.PENDING).count();
        if (pending > 0) {
            task.message(String.format("Migrating the database: %,d schema changes to apply", pending));
            progress.total = pending;
        }
        flyway.migrate();
    }

    /** Flyway's own validation (checksums, order, states); throws {@code FlywayException} when the history differs. */
    static void validate(DataSource dataSource, Dialect dialect) {
        configure(dataSource, dialect).load().validate();
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration configure(DataSource dataSource, Dialect dialect) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(locations(dialect))
                .failOnMissingLocations(true);
    }

    private static String[] locations(Dialect dialect) {
        return new String[] {"classpath:db/migration", "classpath:db/vendor/" + dialect.vendorFolder()};
    }

    /**
     * Whether the schema history holds exactly the versions of the migrations this console ships, all successful: then
     * there is nothing to migrate or refuse. Any doubt (no history table, an unreadable location) answers false.
     */
    static boolean isCurrent(DataSource dataSource, Dialect dialect) {
        Set<String> known = new TreeSet<>();
        try {
            for (String location : new String[] {"db/migration", "db/vendor/" + dialect.vendorFolder()}) {
                if (!listVersions(location, known)) {
                    return false;
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            LOG.debug("Listing the migrations failed; Flyway decides: {}", e.toString());
            return false;
        }
        if (known.isEmpty()) {
            return false;
        }
        Set<String> applied = new TreeSet<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"version\", \"success\" FROM \"flyway_schema_history\"")) {
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false; // a failed migration: the full path refuses it with its message
                }
                if (rs.getString(1) != null) {
                    applied.add(normalise(rs.getString(1)));
                }
            }
        } catch (SQLException e) {
            return false; // no history yet (first start) or not readable: Flyway decides
        }
        return applied.equals(known);
    }

    /** Adds the versions of the migrations found under {@code location} (files or a jar); false if it cannot list them. */
    private static boolean listVersions(String location, Set<String> into) throws IOException, URISyntaxException {
        Enumeration<URL> urls = Migrations.class.getClassLoader().getResources(location);
        boolean any = false;
        while (urls.hasMoreElements()) {
            URL url = urls.nextElement();
            any = true;
            if (url.getProtocol().equals("file")) {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    files.forEach(f -> addVersion(f.getFileName().toString(), into));
                }
            } else if (url.getProtocol().equals("jar")) {
                JarURLConnection connection = (JarURLConnection) url.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    String prefix = location + "/";
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String name = e.nextElement().getName();
                        if (name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0) {
                            addVersion(name.substring(prefix.length()), into);
                        }
                    }
                }
            } else {
                return false;
            }
        }
        return any;
    }

    private static void addVersion(String fileName, Set<String> into) {
        Matcher m = VERSIONED.matcher(fileName);
        if (m.matches() && !fileName.contains("$")) {
            into.add(normalise(m.group(1)));
        }
    }

    private static String normalise(String version) {
        return version.replace('_', '.');
    }

    /** Migration progress with counts, as the task's message (the status bar on a first start). */
    private static final class Progress implements Callback {
        private volatile long total;
        private final TaskHandle task;
        private long done;

        Progress(TaskHandle task) {
            this.task = task;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            MigrationInfo mi = context.getMigrationInfo();
            done++;
            long all = Math.max(total, done);
            task.progress(done - 1, all);
            task.message(String.format("Migrating the database: change %,d of %,d (version %s, %s)", done, all,
                    mi == null ? "?" : mi.getVersion(), mi == null ? "" : mi.getDescription()));
        }

        @Override
        public String getCallbackName() {
            return "admin-console-progress";
        }
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
