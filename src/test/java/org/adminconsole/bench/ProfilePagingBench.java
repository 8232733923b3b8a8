package org.adminconsole.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.adminconsole.AppContext;
import org.adminconsole.service.connections.ConnectionProfile;
import org.adminconsole.service.connections.ProfileConnections;
import org.adminconsole.service.inspect.InspectTargets;
import org.adminconsole.service.inspect.Page;
import org.adminconsole.service.inspect.SchemaService;
import org.adminconsole.service.inspect.TableDataService;
import org.adminconsole.service.inspect.TableQuery;
import org.adminconsole.testing.TestDatabases;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Keyset pages of 50 rows of a {@code bench.rows}-row table (1,000,000 by default) on the console's own database and on
 * opened connection profiles: a second H2 file (opened read-only) and a PostgreSQL database (as the reader login).
 * The baseline is a deep page (around row 0.9 * rows, the position varying per call) on the console's database;
 * every other result is a ratio to it, measured in the same run. A PostgreSQL server that does not answer leaves the
 * PostgreSQL methods failing (the others still run).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ProfilePagingBench {

    private static final int PAGE = 50;
    private static final int ROWS = InspectBenchData.ROWS;
    private AppContext ctx;
    private TableDataService console;
    private TableDataService h2Profile;
    private TableDataService pgProfile;
    private TableQuery consoleTable;
    private TableQuery h2Table;
    private TableQuery pgTable;
    private InspectTargets.Target h2Target;
    private InspectTargets.Target pgTarget;
    private long n;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ctx = InspectBenchData.open("profile-paging-bench");
        InspectBenchData.createTable(ctx, "bench_keyed", true);
        console = ctx.get(TableDataService.class);
        consoleTable = TableQuery.of(InspectBenchData.details(ctx, "bench_keyed"));
        ProfileConnections profiles = ctx.get(ProfileConnections.class);

        Path second = Path.of(System.getProperty("java.io.tmpdir"), "admin-console-bench", "profile-second-" + ROWS);
        Files.createDirectories(second);
        Path base = second.resolve("second");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base, "SA", "bench");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS bench_keyed (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL,"
                    + " email VARCHAR(128), amount NUMERIC(12,2), created TIMESTAMP, note VARCHAR(200))");
            try (var rs = st.executeQuery("SELECT COUNT(*) FROM bench_keyed")) {
                rs.next();
                if (rs.getLong(1) != ROWS) {
                    st.execute("TRUNCATE TABLE bench_keyed");
                    st.execute("INSERT INTO bench_keyed SELECT X, 'user ' || X, 'user.' || X || '@example.com', X * 1.25,"
                            + " TIMESTAMP '2024-01-01 00:00:00' + X * INTERVAL '1' SECOND, NULL FROM SYSTEM_RANGE(1, " + ROWS + ")");
                    st.execute("ANALYZE TABLE bench_keyed");
                }
            }
        }
        h2Target = profiles.open(new ConnectionProfile("bench h2", ConnectionProfile.Kind.H2_FILE, base + ".mv.db", "", 0, "", "SA",
                ConnectionProfile.PasswordSource.ASK, ""), "bench");
        h2Profile = new TableDataService(h2Target.source(), TableDataService.EXACT_COUNT_LIMIT);
        h2Table = TableQuery.of(new SchemaService(h2Target.source()).details(new SchemaService(h2Target.source()).find("PUBLIC", "BENCH_KEYED")));

        try {
            org.adminconsole.config.Settings pg = TestDatabases.postgresDatabase(second.resolve("pg"), Map.of());
            try (Connection c = DriverManager.getConnection(pg.dbUrl(), "postgres", ""); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE bench_keyed (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL, email VARCHAR(128),"
                        + " amount NUMERIC(12,2), created TIMESTAMP, note VARCHAR(200))");
                st.execute("INSERT INTO bench_keyed SELECT x, 'user ' || x, 'user.' || x || '@example.com', x * 1.25,"
                        + " TIMESTAMP '2024-01-01 00:00:00' + x * INTERVAL '1 second', NULL FROM generate_series(1, " + ROWS + ") x");
                st.execute("ANALYZE bench_keyed");
            }
            String url = pg.dbUrl();
            String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
            pgTarget = profiles.open(new ConnectionProfile("bench pg", ConnectionProfile.Kind.POSTGRES, "", "127.0.0.1", 5432, name,
                    TestDatabases.PG_READER, ConnectionProfile.PasswordSource.NONE, ""), "");
            pgProfile = new TableDataService(pgTarget.source(), TableDataService.EXACT_COUNT_LIMIT);
            SchemaService s = new SchemaService(pgTarget.source());
            pgTable = TableQuery.of(s.details(s.find("public", "bench_keyed")));
        } catch (RuntimeException | Error e) {
            System.out.println("[ProfilePagingBench] PostgreSQL profile not measured: " + e.getMessage());
        }
        long deep = ROWS * 9L / 10;
        check(console.page(consoleTable, PAGE, List.of(deep), 0), deep + 1);
        check(h2Profile.page(h2Table, PAGE, List.of(deep), 0), deep + 1);
    }

    private static void check(Page p, long firstId) {
        if (p.mode() != Page.PagingMode.KEYSET || p.rows().size() != PAGE || !Long.valueOf(firstId).equals(p.rows().get(0).get(0))) {
            throw new IllegalStateException("unexpected page " + p.mode() + " " + p.rows().get(0));
        }
    }

    private long deep() {
        long span = Math.max(1, ROWS / 50);
        return ROWS * 89L / 100 + (n++ % span);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        for (InspectTargets.Target t : new InspectTargets.Target[] {h2Target, pgTarget}) {
            if (t != null) {
                t.resources().close();
            }
        }
        ctx.close();
    }

    @Benchmark
    public Page baselineConsoleDeepPage() {
        return console.page(consoleTable, PAGE, List.of(deep()), 0);
    }

    @Benchmark
    public Page consoleFirstPage() {
        return console.page(consoleTable, PAGE, null, 0);
    }

    @Benchmark
    public Page h2ProfileDeepPage() {
        return h2Profile.page(h2Table, PAGE, List.of(deep()), 0);
    }

    @Benchmark
    public Page h2ProfileFirstPage() {
        return h2Profile.page(h2Table, PAGE, null, 0);
    }

    @Benchmark
    public Page pgProfileDeepPage() {
        if (pgProfile == null) {
            throw new IllegalStateException("no PostgreSQL server: not measured");
        }
        return pgProfile.page(pgTable, PAGE, List.of(deep()), 0);
    }

    @Benchmark
    public Page pgProfileFirstPage() {
        if (pgProfile == null) {
            throw new IllegalStateException("no PostgreSQL server: not measured");
        }
        return pgProfile.page(pgTable, PAGE, null, 0);
    }
}
