package org.adminconsole.bench;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.User;
import org.adminconsole.persistence.Database;
import org.adminconsole.service.demo.DemoDataService;
import org.hibernate.CacheMode;
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
 * User lookup by id over 100,000 users in an H2 file: raw JDBC on the console's pool (the baseline; autocommit off as the pool hands it out, so one
 * implicit transaction per lookup, as for Hibernate),
 * session-per-operation find with the second-level cache bypassed, the same find served by the second-level
 * cache, and a plain ConcurrentHashMap get as the floor. Ids are drawn at random from 10,000 users, all of
 * which are in the second-level cache and the map.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UserLookupBench {

    static final int USERS = 100_000;
    static final int HOT = 10_000;

    record Row(long id, String email, String username, String role, boolean active, BigDecimal quota) {
    }

    Path dir;
    Database db;
    long firstId;
    final Map<Long, Row> map = new ConcurrentHashMap<>();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("bench-lookup");
        db = Database.open(Settings.of(Map.of("data.dir", dir.toString(), "db.seed.users", "0",
                "cache.l2.entityMaxEntries", "200000", "sql.slowThresholdMs", "0", "sql.logCapacity", "1000")));
        new DemoDataService(db.transactions()).generate(USERS);
        firstId = db.transactions().read("min", s -> s.createSelectionQuery("select min(u.id) from User u", Long.class).getSingleResult());
        for (long id = firstId; id < firstId + HOT; id++) {
            final long key = id;
            db.transactions().read("warm", s -> s.find(User.class, key));
            map.put(id, jdbc(id));
        }
        // Let H2 finish writing the freshly generated rows before measuring: the first benchmark in the fork
        // (alphabetically the JDBC baseline) must not compete with the store's background writes.
        try (Connection c = db.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("CHECKPOINT SYNC");
        }
        Thread.sleep(3000);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    long randomId() {
        return firstId + ThreadLocalRandom.current().nextInt(HOT);
    }

    Row jdbc(long id) throws Exception {
        return jdbc(db.poolDataSource(), id);
    }

    static Row jdbc(javax.sql.DataSource ds, long id) throws Exception {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, email, username, role, active, quota FROM users WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5), rs.getBigDecimal(6));
            }
        }
    }

    @Benchmark
    public Row baselineJdbc() throws Exception {
        return jdbc(randomId());
    }

    /** The same lookup on a pooled connection in autocommit mode (how the console's plain JDBC code reads). */
    @Benchmark
    public Row jdbcAutocommit() throws Exception {
        return jdbc(db.dataSource(), randomId());
    }

    @Benchmark
    public String hibernateFindNoSecondLevelCache() {
        long id = randomId();
        return db.transactions().read("bench.find.nocache", s -> {
            s.setCacheMode(CacheMode.IGNORE);
            return s.find(User.class, id).getEmail();
        });
    }

    @Benchmark
    public String hibernateFindSecondLevelCacheHit() {
        long id = randomId();
        return db.transactions().read("bench.find.l2", s -> s.find(User.class, id).getEmail());
    }

    @Benchmark
    public Row concurrentHashMapGet() {
        return map.get(randomId());
    }
}
