package org.adminconsole.bench;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.adminconsole.cache.UserCache;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.User;
import org.adminconsole.domain.UserView;
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
 * Invalidation latency between two consoles: console A commits a role change; console B keeps asking its
 * user cache (which serves the old value until B invalidates it) until it shows the new role. Baseline: the
 * commit alone. H2 (TCP server): polling every {@code interval} ms; PostgreSQL: NOTIFY, polling off.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CoherenceLatencyBench {

    @Param({"h2tcp", "postgres"})
    String db;

    CoherenceSetup setup;
    Transactions txA;
    Transactions txB;
    UserCache cacheB;
    long id;
    boolean admin;

    @Setup(Level.Trial)
    public void start() throws Exception {
        // H2: a 100 ms poll (the default is 1000 ms: expect about half of it on average); PostgreSQL: NOTIFY only
        setup = new CoherenceSetup(db, Map.of("cache.check.intervalMs", db.equals("postgres") ? "3600000" : "100"));
        txA = setup.a.database().transactions();
        txB = setup.b.database().transactions();
        cacheB = setup.b.get(UserCache.class);
        id = setup.userId;
        lookupB();
    }

    @TearDown(Level.Trial)
    public void stop() {
        setup.close();
    }

    private Role lookupB() {
        return cacheB.byId(id, i -> txB.read("bench.load", s -> Optional.ofNullable(s.find(User.class, i)).map(User::toView)))
                .orElseThrow().user().role();
    }

    private Role toggle() {
        admin = !admin;
        Role r = admin ? Role.ADMIN : Role.USER;
        txA.writeVoid("bench.toggle", s -> s.find(User.class, id).setRole(r));
        return r;
    }

    @Benchmark
    public Role baselineCommitOnly() {
        return toggle();
    }

    @Benchmark
    public Role editSeenByOtherConsole() {
        Role r = toggle();
        while (lookupB() != r) {
            LockSupport.parkNanos(50_000);
        }
        return r;
    }
}
