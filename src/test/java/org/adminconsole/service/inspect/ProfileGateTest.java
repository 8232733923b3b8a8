package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.connections.ConnectionProfile;
import org.adminconsole.service.connections.ProfileConnections;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.support.CancelledException;
import org.adminconsole.testing.ProfileFixtures;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SQL console's gates hold on an opened connection profile as on the console's own database: the hostile corpus
 * (hidden writes, locks, sequences, server files, programs, settings) through the SQL console and Explain of a profile
 * changes nothing and writes no file; the same hidden writes sent straight to the profile's reader connection, past
 * the gates, are refused by the database; hostile filters, sorts, paths and SQL let only the console's own exceptions
 * out. PostgreSQL: a profile on the test database as the reader login; H2: a profile on a second console's file
 * (opened read-only: its bytes must not change).
 */
class ProfileGateTest {

    @TempDir Path dir;
    @TempDir Path second;
    @TempDir Path victim;
    @TempDir Path out;

    /** A console with the corpus's objects, and the profile that inspects its database: [console, profile's database]. */
    private record Setup(AppContext console, AppContext profileDb, Path h2File, HostileCorpusTest corpus) {
    }

    private Setup setUp(String db) throws Exception {
        HostileCorpusTest.victim = victim;
        HostileCorpusTest.dir = dir;
        HostileCorpusTest corpus = new HostileCorpusTest();
        if (db.equals("pg")) {
            AppContext ctx = InspectDatabases.open("pg", dir);
            ctx.get(DemoDataService.class).generate(20);
            SqlConsoleServiceTest.createSideEffectObjectsFor(ctx);
            String url = ctx.settings().dbUrl();
            String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
            ctx.get(InspectTargets.class).switchTo(ctx.get(ProfileConnections.class)
                    .open(ProfileFixtures.pgProfile("Same database", name, TestDatabases.PG_READER), ""));
            ctx.get(SqlConsoleService.class).run("SELECT 1"); // the history file exists from now on
            return new Setup(ctx, ctx, null, corpus);
        }
        Settings other = TestDatabases.h2(second);
        try (AppContext prepared = AppContext.start(other)) {
            prepared.get(DemoDataService.class).generate(20);
            SqlConsoleServiceTest.createSideEffectObjectsFor(prepared);
        }
        Path file;
        try (Stream<Path> s = Files.walk(second)) {
            file = s.filter(p -> p.toString().endsWith(".mv.db")).findFirst().orElseThrow();
        }
        AppContext ctx = AppContext.start(TestDatabases.h2(dir));
        ConnectionProfile p = new ConnectionProfile("Second console", ConnectionProfile.Kind.H2_FILE, file.toString(), "", 0, "",
                other.dbUser(), ConnectionProfile.PasswordSource.ASK, "");
        ctx.get(InspectTargets.class).switchTo(ctx.get(ProfileConnections.class).open(p, other.dbPassword()));
        ctx.get(SqlConsoleService.class).run("SELECT 1"); // the history file exists from now on
        return new Setup(ctx, null, file, corpus);
    }

    /**
     * The database's fingerprint without the server-wide role lists: other test JVMs on the same server create and drop
     * roles meanwhile (the reader cannot: it has no CREATEROLE, checked when the profile opens); the reader's own role
     * settings stay in.
     */
    private static Map<String, String> fingerprint(HostileCorpusTest corpus, AppContext ctx) throws SQLException {
        Map<String, String> f = new java.util.TreeMap<>(corpus.fingerprint(ctx));
        f.remove("roles");
        f.remove("role memberships");
        return f;
    }

    private static String hash(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void theHostileCorpusChangesNothingOnAnOpenedProfile(String db) throws Exception {
        Setup s = setUp(db);
        try (AppContext ctx = s.console()) {
            boolean h2 = db.equals("h2");
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            List<String> corpus = s.corpus().corpus(h2, h2 ? 1 : HostileCorpusTest.ownerBackendPid(ctx));
            assertThat(corpus).hasSizeGreaterThanOrEqualTo(100);
            String fileBefore = h2 ? hash(s.h2File()) : null;
            Map<String, String> before = h2 ? null : fingerprint(s.corpus(), ctx);
            Set<String> filesBefore = s.corpus().files(ctx);
            int refused = 0;
            for (String sql : corpus) {
                for (Callable<?> way : List.<Callable<?>>of(() -> console.run(sql), () -> console.explain(sql))) {
                    try {
                        Object r = way.call();
                        if (r instanceof SqlConsoleService.Result result && result.cursor() != null) {
                            result.cursor().close();
                        }
                    } catch (ValidationException e) {
                        refused++;
                    } catch (Exception | Error e) {
                        fail("'" + sql + "' let " + e + " out of the console on a profile", e);
                    }
                }
                if (!h2) {
                    assertThat(fingerprint(s.corpus(), ctx)).as("the database after: %s", sql).isEqualTo(before);
                }
                assertThat(s.corpus().files(ctx)).as("files after: %s", sql).isEqualTo(filesBefore);
            }
            assertThat(refused).isGreaterThan(corpus.size());
            assertThat(console.run("SELECT COUNT(*) FROM users").rows()).containsExactly(List.of("20"));
            ctx.get(InspectTargets.class).switchTo(null); // closes the profile's connections
            if (h2) {
                assertThat(hash(s.h2File())).as("the profile's H2 file").isEqualTo(fileBefore);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void theDatabaseRefusesHiddenWritesSentStraightToTheProfilesConnection(String db) throws Exception {
        Setup s = setUp(db);
        try (AppContext ctx = s.console()) {
            boolean h2 = db.equals("h2");
            ReaderConnections readers = ctx.get(InspectTargets.class).readers();
            List<List<String>> writes = new ArrayList<>(h2 ? HostileCorpusTest.h2DirectWrites()
                    : HostileCorpusTest.pgDirectWrites(HostileCorpusTest.ownerBackendPid(ctx)));
            if (h2) {
                // an H2 file opened with an admin login (SA): the file is read-only, but H2 lets an admin call its file
                // functions; only the console's gate stops those on such a profile (README, Security)
                writes.removeIf(w -> w.stream().anyMatch(x -> x.matches("(?s).*(CSVWRITE|FILE_WRITE|SCRIPT TO|BACKUP TO|FILE_READ|CSVREAD|RUNSCRIPT|LINK).*")));
            }
            String fileBefore = h2 ? hash(s.h2File()) : null;
            Map<String, String> before = h2 ? null : fingerprint(s.corpus(), ctx);
            List<String> ranOnH2 = new ArrayList<>();
            for (List<String> steps : writes) {
                Connection c = readers.open();
                try (Statement st = c.createStatement()) {
                    for (int i = 0; i < steps.size() - 1; i++) {
                        st.execute(steps.get(i));
                    }
                    String write = steps.get(steps.size() - 1);
                    try {
                        if (st.execute(write)) {
                            HostileCorpusTest.drain(st.getResultSet());
                        }
                        if (h2) {
                            // an admin may run session and user commands on a read-only file: they change nothing in
                            // it (the file's bytes are compared at the end); the gate refuses them in the console
                            ranOnH2.add(write);
                        } else {
                            assertThat((Object) st.getWarnings()).as("The database let the profile's login run: %s", steps).isNotNull();
                        }
                    } catch (SQLException expected) {
                        assertThat(expected.getSQLState()).as("%s: %s", steps, expected.getMessage()).isNotNull();
                    }
                } finally {
                    ReaderConnections.release(c);
                }
                if (!h2) {
                    HostileCorpusTest.assertSettlesTo(() -> fingerprint(s.corpus(), ctx), before, "the database after: " + steps);
                }
            }
            ctx.get(InspectTargets.class).switchTo(null);
            if (h2) {
                System.out.println("[profile h2] ran as admin on the read-only file, changing nothing: " + ranOnH2);
                assertThat(ranOnH2).noneMatch(w -> w.matches("(?i)(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|DROP|CREATE|ALTER TABLE).*"));
                assertThat(hash(s.h2File())).as("the profile's H2 file").isEqualTo(fileBefore);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void onlyTheConsolesOwnExceptionsLeaveTheServicesOnAProfile(String db) throws Exception {
        try (AppContext ctx = AppContext.start(TestDatabases.h2(dir))) {
            ProfileConnections profiles = ctx.get(ProfileConnections.class);
            InspectTargets.Target t = db.equals("h2")
                    ? profiles.open(ProfileFixtures.h2Profile("Shop", ProfileFixtures.h2File(second)), ProfileFixtures.H2_PASSWORD)
                    : profiles.open(ProfileFixtures.pgProfile("Shop", ProfileFixtures.postgresDatabase(second), TestDatabases.PG_READER), "");
            ctx.get(InspectTargets.class).switchTo(t);
            SchemaService schema = ctx.get(SchemaService.class);
            String name = db.equals("h2") ? "ORDERS" : "orders";
            TableDetails table = schema.details(schema.find(db.equals("h2") ? "PUBLIC" : "public", name));
            TableDataService data = ctx.get(TableDataService.class);
            CsvExporter exporter = ctx.get(CsvExporter.class);
            SqlConsoleService console = ctx.get(SqlConsoleService.class);
            List<Callable<?>> calls = new ArrayList<>();
            for (String column : table.columnNames()) {
                for (String v : HostileInputTest.VALUES) {
                    TableQuery q = TableQuery.of(table).withFilters(List.of(new Filter(column, Filter.Op.GREATER, v)));
                    calls.add(() -> data.browse(q, 50).first());
                }
            }
            for (String column : List.of("nope", "", "\"; DROP TABLE orders", "ID\u0000")) {
                calls.add(() -> data.browse(TableQuery.of(table).sortedBy(column, true), 50).first());
            }
            for (String path : HostileInputTest.PATHS) {
                calls.add(() -> exporter.export(TableQuery.of(table), path));
            }
            for (String sql : List.of("", "\u0000", "SELECT " + "(".repeat(5000) + "1" + ")".repeat(5000), "SELECT ?", "SELECT 1/0",
                    "SELECT CAST('x' AS INT)", "SELECT * FROM orders o1, orders o2, orders o3, orders o4")) {
                calls.add(() -> console.run(sql));
                calls.add(() -> console.explain(sql));
            }
            assertThat(HostileInputTest.refusals(calls, " on a profile")).isGreaterThan(calls.size() / 2);
            assertThat(console.run("SELECT COUNT(*) FROM orders").rows()).containsExactly(List.of("300"));
        }
    }
}
