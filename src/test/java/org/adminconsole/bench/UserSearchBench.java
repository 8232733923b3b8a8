package org.adminconsole.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.users.UserListing;
import org.adminconsole.service.users.UserPage;
import org.adminconsole.service.users.UserQuery;
import org.adminconsole.testing.TestDatabases;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Users search on both databases ({@code -Dbench.users}, its first number; default 100,000 users, built once and reused): the
 * first page for a common ("a"), a medium ("al") and a rare ("zq", no match) prefix, sorted by email and by
 * username descending, against the baseline of the same run, an indexed email-only prefix page in plain JDBC.
 * {@code formerInOverUnion} is the search as it was written before (one IN over a UNION), for the before/after.
 *
 * <p>Issue 16, the search inside fields: for the texts of 3 characters or more ("lic" in every 20th user, "1234" in a few
 * hundred, "example.com" in all, "zzq" in none) {@code usersScreenByEmail} and {@code usersScreenByUsernameDescending} search
 * inside email and username, and {@code usersScreenStartsWith} runs the same text as the prefix search of the same run
 * (the fast path): inside / starts with is the ratio to read. {@code -Dbench.param.text=lic,1234} picks texts (BenchMain);
 * the data lives in the temp folder ({@code hsearch-bench-search-N}) and schema {@code hsearch_bench_search_N}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class UserSearchBench {

    static final int PAGE = 50;

    @State(Scope.Benchmark)
    public static class Db {
        @Param({"h2", "pg"})
        public String db;
        @Param({"a", "al", "zq", "lic", "1234", "example.com", "zzq"})
        public String text;

        AppContext ctx;
        UserListing listing;
        DataSource ds;
        /** A connection without the console's statement deadline: the former form runs past it on H2 (15 s). */
        Connection plain;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            int users = Integer.parseInt(System.getProperty("bench.users", "100000").split(",")[0].trim());
            Map<String, String> extra = new HashMap<>(Map.of("db.seed.users", "0", "db.durability", "fast"));
            Settings s;
            if (db.equals("h2")) {
                s = TestDatabases.h2(Path.of(System.getProperty("java.io.tmpdir"), "hsearch-bench-search-" + users), extra);
            } else {
                String schema = "hsearch_bench_search_" + users;
                try (Connection c = DriverManager.getConnection(TestDatabases.PG_URL, "postgres", "");
                     Statement st = c.createStatement()) {
                    st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                }
                extra.put("db.url", TestDatabases.PG_URL + "?currentSchema=" + schema);
                extra.put("db.user", "postgres");
                extra.put("db.password", "");
                extra.put("sql.user", TestDatabases.PG_READER);
                s = TestDatabases.h2(Path.of(System.getProperty("java.io.tmpdir"), "hsearch-bench-search-pg"), extra);
            }
            ctx = AppContext.start(s);
            plain = TestDatabases.connect(s);
            listing = ctx.get(UserListing.class);
            ds = ctx.database().dataSource();
            long have = UserAdminBench.count(ds, "SELECT COUNT(*) FROM users");
            if (have < users) {
                ctx.get(DemoDataService.class).generate(users - have);
                try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                    st.execute("ANALYZE");
                    if (!c.getAutoCommit()) {
                        c.commit();
                    }
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            plain.close();
            ctx.close();
        }
    }

    @Benchmark
    public int baselineEmailPrefixJdbc(Db s, Blackhole bh) throws Exception {
        try (Connection c = s.ds.getConnection()) {
            return page(c, s.text, "SELECT u.id, u.email FROM users u WHERE u.email_key LIKE ? ORDER BY u.email_key, u.id LIMIT " + PAGE, bh, 1);
        }
    }

    /** What the Users screen runs (service, read operation, departments of the page). */
    @Benchmark
    public UserPage usersScreenByEmail(Db s) {
        return s.listing.page(UserQuery.all().withSearch(s.text), UserPage.Nav.FIRST, null, PAGE);
    }

    /** The same text as a prefix ("starts with"), the fast path: the reference for the search inside fields. */
    @Benchmark
    public UserPage usersScreenStartsWith(Db s) {
        return s.listing.page(UserQuery.all().withSearch(s.text).withStartsWith(true), UserPage.Nav.FIRST, null, PAGE);
    }

    @Benchmark
    public UserPage usersScreenByUsernameDescending(Db s) {
        return s.listing.page(UserQuery.all().withSearch(s.text).withSort(UserQuery.Sort.USERNAME, false),
                UserPage.Nav.FIRST, null, PAGE);
    }

    @Benchmark
    public int formerInOverUnion(Db s, Blackhole bh) throws Exception {
        return page(s.plain, s.text, "SELECT u.id, u.email FROM users u WHERE u.id IN (SELECT se.id FROM users se WHERE se.email_key LIKE ?"
                + " UNION SELECT sn.id FROM users sn WHERE sn.username_key LIKE ?) ORDER BY u.email_key, u.id LIMIT " + PAGE, bh, 2);
    }

    private static int page(Connection c, String prefix, String sql, Blackhole bh, int params) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 1; k <= params; k++) {
                ps.setString(k, prefix + "%");
            }
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bh.consume(rs.getLong(1));
                    bh.consume(rs.getString(2));
                    n++;
                }
            }
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            return n;
        }
    }
}
