package org.adminconsole.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.User;
import org.adminconsole.persistence.Database;
import org.adminconsole.persistence.JdbcUrls;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.testing.TestDatabases;
import org.h2.tools.Server;
import org.hibernate.CacheMode;
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

/**
 * User lookup by id over 100,000 generated users ({@code -Dbench.users}, its first number), on an embedded H2 file ({@code h2}), an H2 TCP server in this JVM
 * ({@code h2tcp}, a real socket round trip) and the local PostgreSQL ({@code pg}). Ids are drawn at random from
 * 10,000 users, all of which are in the second-level cache and the map.
 * <ul>
 *   <li>{@code baselineJdbc}: what the database itself costs: a point select of the entity's columns with a prepared
 *       statement, on a plain HikariCP pool of its own (same URL and driver settings as the console, no monitoring
 *       proxy), autocommit on, so no transaction to end;</li>
 *   <li>{@code jdbcOnConsolePool}: the former baseline: the same select on the console's pool as Hibernate gets it
 *       (datasource-proxy with the SQL monitor, autocommit off, HikariCP's rollback when the connection returns);</li>
 *   <li>{@code hibernateFindNoSecondLevelCache}: a read operation (session, transaction, deadline, monitor) whose
 *       {@code find} goes to the database;</li>
 *   <li>{@code hibernateFindSecondLevelCacheHit}: the same operation served by the second-level cache (goal on
 *       PostgreSQL: at most 0.2 of the database find);</li>
 *   <li>{@code concurrentHashMapGet}: the floor.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UserLookupBench {

    /** The first number of {@code -Dbench.users} (default 100,000; fewer for a quick run). */
    static final int USERS = Integer.parseInt(System.getProperty("bench.users", "100000").split(",")[0].trim());
    static final int HOT = 10_000;
    /** The columns Hibernate's find reads (every column of users), in the same order of magnitude of work. */
    static final String SELECT = "SELECT id, email, email_key, username, role, active, quota, usage_amount, settings, created_at,"
            + " updated_at, created_by, updated_by, last_login, version, department_key FROM users WHERE id = ?";

    record Row(long id, String email, String username, String role, boolean active, BigDecimal quota) {
    }

    @Param({"h2", "h2tcp", "pg"})
    public String db;

    Path dir;
    Server server;
    Database database;
    HikariDataSource plain;
    long firstId;
    final Map<Long, Row> map = new ConcurrentHashMap<>();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("hgen-bench-lookup");
        Map<String, String> m = new HashMap<>(Map.of("db.seed.users", "0", "cache.l2.entityMaxEntries", "200000",
                "sql.slowThresholdMs", "0", "sql.logCapacity", "1000", "tx.longTimeoutSeconds", "3600"));
        Settings s;
        switch (db) {
            case "pg" -> s = TestDatabases.postgres(dir, m);
            case "h2tcp" -> {
                server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
                m.put("db.url", "jdbc:h2:tcp://localhost:" + server.getPort() + "/console");
                s = TestDatabases.h2(dir, m);
            }
            default -> s = TestDatabases.h2(dir, m);
        }
        database = Database.open(s);
        new DemoDataService(database.transactions()).generate(USERS);
        firstId = database.transactions().read("min", ss -> ss.createSelectionQuery("select min(u.id) from User u", Long.class).getSingleResult());
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("bench-plain");
        hc.setJdbcUrl(JdbcUrls.url(s));
        hc.setDataSourceProperties(JdbcUrls.properties(s, s.dbUser(), s.dbPassword()));
        hc.setMaximumPoolSize(1);
        hc.setAutoCommit(true);
        plain = new HikariDataSource(hc);
        for (long id = firstId; id < firstId + HOT; id++) {
            final long key = id;
            database.transactions().read("warm", ss -> ss.find(User.class, key));
            map.put(id, jdbc(plain, id));
        }
        // Let H2 finish writing the freshly generated rows before measuring (PostgreSQL: fresh statistics), so the
        // first benchmark in the fork does not compete with the store's background writes.
        try (Connection c = database.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute(db.equals("pg") ? "VACUUM ANALYZE users" : "CHECKPOINT SYNC");
        }
        Thread.sleep(3000);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        plain.close();
        database.close();
        if (server != null) {
            server.stop();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    long randomId() {
        return firstId + ThreadLocalRandom.current().nextInt(HOT);
    }

    static Row jdbc(DataSource ds, long id) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Row r = new Row(rs.getLong(1), rs.getString(2), rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getBigDecimal(7));
                for (int col = 8; col <= 16; col++) {
                    rs.getObject(col); // every column, as Hibernate reads them
                }
                return r;
            }
        }
    }

    @Benchmark
    public Row baselineJdbc() throws Exception {
        return jdbc(plain, randomId());
    }

    /** The former baseline: the console's monitored pool, autocommit off, rolled back when the connection returns. */
    @Benchmark
    public Row jdbcOnConsolePool() throws Exception {
        return jdbc(database.poolDataSource(), randomId());
    }

    @Benchmark
    public String hibernateFindNoSecondLevelCache() {
        long id = randomId();
        // CacheMode as a find option: Hibernate 7's find ignores Session.setCacheMode (measured: the former
        // setCacheMode(IGNORE) version ran no SQL at all and was served by the second-level cache)
        return database.transactions().read("bench.find.nocache", s -> s.find(User.class, id, CacheMode.IGNORE).getEmail());
    }

    @Benchmark
    public String hibernateFindSecondLevelCacheHit() {
        long id = randomId();
        return database.transactions().read("bench.find.l2", s -> s.find(User.class, id).getEmail());
    }

    @Benchmark
    public Row concurrentHashMapGet() {
        return map.get(randomId());
    }
}
