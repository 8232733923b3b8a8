package org.adminconsole.bench;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.adminconsole.AppContext;
import org.adminconsole.cache.UserCache;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.users.UserPage;
import org.adminconsole.service.users.UserQuery;
import org.adminconsole.service.users.UserListing;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * User administration figures: a user-cache hit against a plain {@code ConcurrentHashMap} get (the baseline);
 * the first page and a page ~900,000 rows deep in 1,000,000 users, keyset vs. OFFSET (same SQL shape, plain
 * JDBC), plus the service's full keyset page (Hibernate read operation + departments); and a search by email
 * prefix on 1,000,000 users. The 1M-user H2 file is generated once (JDBC batches) in the temp folder and
 * reused by later runs. H2's result reuse is switched off so repeated OFFSET queries are really executed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class UserAdminBench {

    static final int USERS = 1_000_000;
    static final int PAGE = 50;
    static final int DEEP = 900_000;
    static final int VARIANTS = 64;
    static final String COLUMNS = "u.id, u.email, u.username, u.role, u.active, u.quota, u.usage_amount, u.last_login, u.updated_at, u.version";

    @State(Scope.Benchmark)
    public static class CacheState {
        final long[] ids = new long[8192];
        final Map<Long, UserView> map = new ConcurrentHashMap<>();
        UserCache cache;
        int i;

        @Setup(Level.Trial)
        public void setUp() {
            cache = new UserCache(20_000, Duration.ofHours(1));
            for (int k = 0; k < ids.length; k++) {
                ids[k] = k + 1;
                UserView u = new UserView(k + 1, "user" + k + "@example.com", "user" + k, Role.USER, true, BigDecimal.TEN,
                        BigDecimal.ONE, null, List.of(), LocalDateTime.now(), LocalDateTime.now(), "bench", "bench", null, 0);
                map.put(u.id(), u);
                cache.byId(u.id(), id -> Optional.of(u));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            cache.close();
        }

        long next() {
            return ids[i++ & (ids.length - 1)];
        }
    }

    @State(Scope.Benchmark)
    public static class DbState {
        AppContext ctx;
        UserListing listing;
        DataSource ds;
        final List<UserPage.Key> deepKeys = new ArrayList<>();
        final List<String> prefixes = new ArrayList<>();
        int i;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "adminconsole-bench-1m");
            String url = "jdbc:h2:file:" + dir.resolve("console").toAbsolutePath() + ";OPTIMIZE_REUSE_RESULTS=FALSE";
            ctx = AppContext.start(TestDatabases.h2(dir, Map.of("db.url", url, "db.seed.users", "0", "db.durability", "fast",
                    "cache.user.maxEntries", "10000")));
            listing = ctx.get(UserListing.class);
            ds = ctx.database().dataSource();
            long have = count("SELECT COUNT(*) FROM users");
            if (have < USERS) {
                long t0 = System.nanoTime();
                ctx.get(DemoDataService.class).generate(USERS - have);
                try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                    st.execute("ANALYZE");
                }
                System.out.printf("Generated %,d users in %d s%n", USERS - have, (System.nanoTime() - t0) / 1_000_000_000);
            }
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT email_key, id FROM users ORDER BY email_key, id LIMIT " + VARIANTS + " OFFSET " + (DEEP - 1))) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        deepKeys.add(new UserPage.Key(rs.getString(1), rs.getLong(2)));
                    }
                }
            }
            String[] first = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
                    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "zoe"};
            for (int k = 0; k < VARIANTS; k++) {
                prefixes.add(first[k % first.length] + "." + (k * 7919 % 900 + 100)); // 10..111 matches each
            }
        }

        long count(String sql) throws Exception {
            return UserAdminBench.count(ds, sql);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            ctx.close();
        }

        int next() {
            return i++ & (VARIANTS - 1);
        }
    }

    /** The single number a query returns (setup checks of the benchmarks). */
    static long count(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int readPage(DataSource ds, String sql, Blackhole bh, Object... params) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < params.length; k++) {
                ps.setObject(k + 1, params[k]);
            }
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bh.consume(rs.getLong(1));
                    bh.consume(rs.getString(2));
                    bh.consume(rs.getBigDecimal(6));
                    n++;
                }
            }
            if (n == 0) {
                throw new IllegalStateException("empty page: " + sql);
            }
            return n;
        }
    }

    // ---- user cache ------------------------------------------------------------------------------------

    @Benchmark
    public UserView baselineMapGet(CacheState s) {
        return s.map.get(s.next());
    }

    @Benchmark
    public UserView userCacheHit(CacheState s) {
        return s.cache.byId(s.next(), id -> {
            throw new IllegalStateException("miss");
        }).orElseThrow().user();
    }

    // ---- pagination on 1,000,000 users ------------------------------------------------------------------

    /** Users sorted by the Departments column: the indexed sort key (V62). */
    @Benchmark
    public int departmentsSortFirstPageIndexed(DbState s, Blackhole bh) throws Exception {
        return readPage(s.ds, "SELECT " + COLUMNS + " FROM users u ORDER BY u.department_key, u.id LIMIT ?", bh, PAGE + (s.next() & 1));
    }

    /** The same page computed as before V62: the first department name by a correlated subquery per user. */
    @Benchmark
    public int departmentsSortFirstPageSubquery(DbState s, Blackhole bh) throws Exception {
        return readPage(s.ds, "SELECT " + COLUMNS + " FROM users u ORDER BY COALESCE((SELECT MIN(d.name) FROM user_departments ud "
                + "JOIN departments d ON d.id = ud.department_id WHERE ud.user_id = u.id), ''), u.id LIMIT ?", bh, PAGE + (s.next() & 1));
    }

    @Benchmark
    public int offsetFirstPage(DbState s, Blackhole bh) throws Exception {
        return readPage(s.ds, "SELECT " + COLUMNS + " FROM users u ORDER BY u.email_key, u.id LIMIT ? OFFSET ?", bh, PAGE, s.next() & 1);
    }

    @Benchmark
    public int keysetFirstPage(DbState s, Blackhole bh) throws Exception {
        return readPage(s.ds, "SELECT " + COLUMNS + " FROM users u ORDER BY u.email_key, u.id LIMIT ?", bh, PAGE + (s.next() & 1));
    }

    @Benchmark
    public int offsetDeepPage(DbState s, Blackhole bh) throws Exception {
        return readPage(s.ds, "SELECT " + COLUMNS + " FROM users u ORDER BY u.email_key, u.id LIMIT ? OFFSET ?", bh, PAGE, DEEP + s.next());
    }

    @Benchmark
    public int keysetDeepPage(DbState s, Blackhole bh) throws Exception {
        UserPage.Key k = s.deepKeys.get(s.next());
        return readPage(s.ds, "SELECT " + COLUMNS + " FROM users u WHERE u.email_key >= ? AND (u.email_key > ? OR u.id > ?) "
                + "ORDER BY u.email_key, u.id LIMIT ?", bh, k.sortValue(), k.sortValue(), k.id(), PAGE);
    }

    /** The full stack: UserListing.page (read operation, keyset SQL, departments of the page, records). */
    @Benchmark
    public UserPage serviceKeysetDeepPage(DbState s) {
        return s.listing.page(UserQuery.all(), UserPage.Nav.NEXT, s.deepKeys.get(s.next()), PAGE);
    }

    // ---- search by email prefix on 1,000,000 users --------------------------------------------------------

    @Benchmark
    public int emailPrefixSearchJdbc(DbState s, Blackhole bh) throws Exception {
        return readPage(s.ds, "SELECT " + COLUMNS + " FROM users u WHERE u.email_key LIKE ? ORDER BY u.email_key, u.id LIMIT ?", bh,
                s.prefixes.get(s.next()) + "%", PAGE);
    }

    /** What the Users view runs: prefix over email or username, case-insensitive, first page via the service. */
    @Benchmark
    public UserPage emailPrefixSearchService(DbState s) {
        return s.listing.page(UserQuery.all().withSearch(s.prefixes.get(s.next())), UserPage.Nav.FIRST, null, PAGE);
    }
}
