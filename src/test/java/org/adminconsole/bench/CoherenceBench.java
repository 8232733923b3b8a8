package org.adminconsole.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.adminconsole.cache.CoherenceService;
import org.adminconsole.cache.NamedValue;
import org.adminconsole.cache.NamedValues;
import org.adminconsole.cache.TableVersionWatcher;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.User;
import org.adminconsole.persistence.Transactions;
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
 * What the table-version check costs per operation. Baseline: a read operation that finds a user by id
 * (second-level cache hit) without any check; then the same operation checking the versions first on its
 * own connection; the check alone on a pooled connection; and a named value served from the process cache
 * (check included). Two consoles share the database (H2 TCP server, PostgreSQL), polling off.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CoherenceBench {

    static final NamedValue<Void, Long> ADMINS = NamedValue.of("bench.admins",
            s -> s.createSelectionQuery("select count(u) from User u where u.role = :r", Long.class)
                    .setParameter("r", Role.ADMIN).getSingleResult()).onTables("users");

    @Param({"h2tcp", "postgres"})
    String db;

    CoherenceSetup setup;
    Transactions tx;
    TableVersionWatcher watcher;
    NamedValues values;
    long id;

    @Setup(Level.Trial)
    public void start() throws Exception {
        setup = new CoherenceSetup(db, Map.of("cache.check.intervalMs", "3600000"));
        tx = setup.a.database().transactions();
        watcher = setup.a.get(CoherenceService.class).watcher();
        values = setup.a.get(NamedValues.class);
        id = setup.userId;
        baselineReadById();
        values.get(ADMINS);
    }

    @TearDown(Level.Trial)
    public void stop() {
        setup.close();
    }

    @Benchmark
    public Role baselineReadById() {
        return tx.read("bench.find", s -> s.find(User.class, id).getRole());
    }

    @Benchmark
    public Role readByIdWithVersionCheck() {
        return tx.read("bench.find", s -> {
            s.doWork(watcher::check);
            return s.find(User.class, id).getRole();
        });
    }

    @Benchmark
    public TableVersionWatcher.CheckResult versionCheckOnPooledConnection() {
        return watcher.checkNow();
    }

    @Benchmark
    public Long namedValueHitWithCheck() {
        return values.get(ADMINS);
    }
}
