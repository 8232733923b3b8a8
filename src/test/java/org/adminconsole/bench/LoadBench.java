package org.adminconsole.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.adminconsole.AppContext;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.dashboard.DashboardService;
import org.adminconsole.service.users.SaveResult;
import org.adminconsole.service.users.UserEditing;
import org.adminconsole.service.users.UserForm;
import org.adminconsole.service.users.UserHistory;
import org.adminconsole.service.users.UserListing;
import org.adminconsole.service.users.UserLookup;
import org.adminconsole.service.users.UserPage;
import org.adminconsole.service.users.UserQuery;
import org.adminconsole.service.users.UserTotal;

/**
 * Several operators working at once on one database (issue 14 item 5). Not JMH: each operator is a thread that calls
 * the console's services through {@link AppContext} the way the presenters do, one operation per call:
 * <ul>
 *   <li>dashboard: {@code DashboardService.figures()} (named values, recomputed after writes);</li>
 *   <li>search: a random email/username prefix and sort, first page, then the total (estimate, exact count when the
 *       estimate is not exact), sometimes the next page;</li>
 *   <li>filter and sort: random role/active/department/over-quota filters and sort, the same;</li>
 *   <li>edit: open a user of the page shown (user cache), change quota, role, departments or settings, save
 *       (version-checked: a conflict with another operator is counted, not a failure), reload the page and total;</li>
 *   <li>history: the audit trail of a user shown or edited.</li>
 * </ul>
 * Options: {@code -Dbench.users=100000,1000000}, {@code -Dbench.db=h2,h2server,pg}, {@code -Dbench.seconds=30},
 * {@code -Dbench.warmup=5}, {@code -Dbench.operators=8}. All operators share one console (one {@code AppContext},
 * its pool sized to the operators, its caches shared); data: {@link LoadData}.
 */
public final class LoadBench {

    enum Kind {
        DASHBOARD("dashboard"), SEARCH("search page"), FILTER_SORT("filter+sort page"), NEXT_PAGE("next page"),
        TOTAL("total (est.+count)"), OPEN("open user"), SAVE("save edit"), RELOAD("reload after save"), HISTORY("history");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** Latencies of one kind, in nanoseconds, as recorded by one thread. */
    static final class Samples {
        long[] nanos = new long[1024];
        int n;
        long errors;

        void add(long v) {
            if (n == nanos.length) {
                nanos = Arrays.copyOf(nanos, n * 2);
            }
            nanos[n++] = v;
        }
    }

    /** What one run measured. */
    record Result(String db, int users, int operators, double seconds, Map<Kind, long[]> latencies, Map<Kind, Long> errors,
                  long saved, long conflicts, long invalid, List<String> errorSamples) {

        long ops() {
            return latencies.values().stream().mapToLong(a -> a.length).sum();
        }

        double opsPerSecond() {
            return ops() / seconds;
        }
    }

    private static final String[] FIRST = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
            "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "zoe"};

    public static void main(String[] args) throws Exception {
        String sizes = prop("bench.users", "100000");
        String dbs = prop("bench.db", "h2,h2server,pg");
        int seconds = Integer.parseInt(prop("bench.seconds", "30"));
        int warmup = Integer.parseInt(prop("bench.warmup", "5"));
        int operators = Integer.parseInt(prop("bench.operators", "8"));
        List<Result> results = new ArrayList<>();
        for (String size : sizes.split(",")) {
            int users = Integer.parseInt(size.trim());
            for (String db : dbs.split(",")) {
                Result r = run(db.trim(), users, operators, warmup, seconds);
                print(r);
                results.add(r);
            }
        }
        System.out.println();
        System.out.println("==== LoadBench (" + java.time.Instant.now() + ", " + operators + " operators, " + seconds
                + " s measured after " + warmup + " s warm-up) ====");
        results.forEach(LoadBench::print);
        summary(results);
    }

    private static String prop(String key, String def) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() || v.startsWith("${") ? def : v;
    }

    static Result run(String db, int users, int operators, int warmup, int seconds) throws Exception {
        Map<String, String> extra = Map.of("pool.maxSize", String.valueOf(Math.max(operators, 4)));
        try (LoadData data = LoadData.open(db, users, extra); AppContext ctx = AppContext.start(data.settings)) {
            List<DepartmentView> departments = ctx.get(UserListing.class).departments();
            long deadlineWarm = System.nanoTime() + warmup * 1_000_000_000L;
            List<Operator> ops = new ArrayList<>();
            CountDownLatch startGate = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < operators; i++) {
                Operator o = new Operator(ctx, departments, new SplittableRandom(1000L * users + i * 7919L + db.hashCode()));
                ops.add(o);
                Thread t = new Thread(() -> {
                    try {
                        startGate.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    o.loop();
                }, "operator-" + i);
                threads.add(t);
                t.start();
            }
            startGate.countDown();
            waitUntil(deadlineWarm);
            long start = System.nanoTime();
            ops.forEach(o -> o.recordFrom(start));
            waitUntil(start + seconds * 1_000_000_000L);
            long end = System.nanoTime();
            ops.forEach(o -> o.stopAt(end));
            for (Thread t : threads) {
                t.join();
            }
            long last = ops.stream().mapToLong(o -> o.lastEnd).max().orElse(end);
            double elapsed = (Math.max(end, last) - start) / 1e9;
            Map<Kind, long[]> lat = new EnumMap<>(Kind.class);
            Map<Kind, Long> errors = new EnumMap<>(Kind.class);
            for (Kind k : Kind.values()) {
                List<long[]> parts = new ArrayList<>();
                long err = 0;
                for (Operator o : ops) {
                    Samples s = o.samples.get(k);
                    parts.add(Arrays.copyOf(s.nanos, s.n));
                    err += s.errors;
                }
                long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
                Arrays.sort(all);
                lat.put(k, all);
                errors.put(k, err);
            }
            List<String> samples = new ArrayList<>();
            ops.forEach(o -> samples.addAll(o.errorSamples));
            return new Result(db, users, operators, elapsed, lat, errors,
                    ops.stream().mapToLong(o -> o.saved).sum(), ops.stream().mapToLong(o -> o.conflicts).sum(),
                    ops.stream().mapToLong(o -> o.invalid).sum(), samples.subList(0, Math.min(5, samples.size())));
        }
    }

    private static void waitUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(left / 1_000_000 + 1, 200)); // the bench's own clock, not a test waiting on a condition
        }
    }

    /** One operator: a loop of screen actions, each service call timed as one operation. */
    static final class Operator {
        final UserListing listing;
        final UserEditing editing;
        final UserHistory history;
        final DashboardService dashboard;
        final List<DepartmentView> departments;
        final SplittableRandom rnd;
        final Map<Kind, Samples> samples = new EnumMap<>(Kind.class);
        final List<String> errorSamples = new ArrayList<>();
        final List<Long> edited = new ArrayList<>();
        volatile long recordFrom = Long.MAX_VALUE;
        volatile long stopAt = Long.MAX_VALUE;
        long lastEnd;
        long saved;
        long conflicts;
        long invalid;
        UserQuery query = UserQuery.all();
        UserPage page;

        Operator(AppContext ctx, List<DepartmentView> departments, SplittableRandom rnd) {
            this.listing = ctx.get(UserListing.class);
            this.editing = ctx.get(UserEditing.class);
            this.history = ctx.get(UserHistory.class);
            this.dashboard = ctx.get(DashboardService.class);
            this.departments = departments;
            this.rnd = rnd;
            for (Kind k : Kind.values()) {
                samples.put(k, new Samples());
            }
        }

        void recordFrom(long t) {
            recordFrom = t;
        }

        void stopAt(long t) {
            stopAt = t;
        }

        void loop() {
            while (System.nanoTime() < stopAt) {
                int r = rnd.nextInt(100);
                if (r < 10) {
                    time(Kind.DASHBOARD, dashboard::figures);
                } else if (r < 35) {
                    browse(Kind.SEARCH, UserQuery.all().withSearch(prefix()).withSort(sort(), rnd.nextBoolean()));
                } else if (r < 60) {
                    browse(Kind.FILTER_SORT, filtered());
                } else if (r < 85) {
                    edit();
                } else {
                    showHistory();
                }
            }
        }

        /** A new query: its first page and its total (estimate, then the exact count unless exact), maybe next pages. */
        private void browse(Kind kind, UserQuery q) {
            query = q;
            UserPage p = time(kind, () -> listing.page(q, UserPage.Nav.FIRST, null, 50));
            if (p != null) {
                page = p;
            }
            total(q);
            // next pages only after this query's own first page: when that failed (past its deadline), the page still
            // shown is another query's, whose last key may be of another type (a 1,000,000-user run sent a BOOLEAN
            // anchor of an Active sort to a page sorted by username)
            UserPage current = p;
            while (current != null && current.hasNext() && rnd.nextInt(100) < 40) {
                UserPage last = current;
                UserPage next = time(Kind.NEXT_PAGE, () -> listing.page(q, UserPage.Nav.NEXT, last.last(), 50));
                if (next == null || next.isEmpty()) {
                    break;
                }
                page = current = next;
            }
        }

        private void total(UserQuery q) {
            time(Kind.TOTAL, () -> {
                UserTotal t = listing.estimate(q);
                return t.exact() ? t : listing.count(q);
            });
        }

        private String prefix() {
            String name = FIRST[rnd.nextInt(FIRST.length)];
            return switch (rnd.nextInt(6)) {
                case 0 -> name.substring(0, 1);
                case 1 -> name.substring(0, 2);
                case 2 -> name;
                case 3 -> name + "." + (1 + rnd.nextInt(9));
                case 4 -> name + "." + (10 + rnd.nextInt(90));
                default -> "" + (char) ('a' + rnd.nextInt(26)) + (char) ('a' + rnd.nextInt(26)); // mostly no match
            };
        }

        private UserQuery.Sort sort() {
            UserQuery.Sort[] all = UserQuery.Sort.values();
            return all[rnd.nextInt(all.length)];
        }

        private UserQuery filtered() {
            UserQuery q = UserQuery.all().withSort(sort(), rnd.nextBoolean());
            boolean any = false;
            if (rnd.nextInt(100) < 45) {
                q = q.withRole(Role.values()[rnd.nextInt(Role.values().length)]);
                any = true;
            }
            if (rnd.nextInt(100) < 35) {
                q = q.withActive(rnd.nextInt(4) != 0);
                any = true;
            }
            if (rnd.nextInt(100) < 35 && !departments.isEmpty()) {
                q = q.withDepartment(departments.get(rnd.nextInt(departments.size())).id());
                any = true;
            }
            if (rnd.nextInt(100) < 20) {
                q = q.withOverQuota(true);
                any = true;
            }
            return any || rnd.nextInt(3) == 0 ? q : q.withRole(Role.values()[rnd.nextInt(Role.values().length)]);
        }

        /** Opens a row of the page shown, changes it, saves; the Users view then reloads its page and total. */
        private void edit() {
            if (page == null || page.rows().isEmpty()) {
                browse(Kind.FILTER_SORT, filtered());
                if (page == null || page.rows().isEmpty()) {
                    return;
                }
            }
            UserView row = page.rows().get(rnd.nextInt(page.rows().size()));
            var lookup = time(Kind.OPEN, () -> editing.open(row.id()));
            if (lookup == null || lookup.isEmpty()) {
                return;
            }
            UserView u = lookup.map(UserLookup::user).orElseThrow();
            UserForm f = changed(u);
            SaveResult res = time(Kind.SAVE, () -> editing.save(f));
            if (res instanceof SaveResult.Saved) {
                saved += counting() ? 1 : 0;
                edited.add(u.id());
            } else if (res instanceof SaveResult.Conflicted) {
                conflicts += counting() ? 1 : 0;
            } else if (res instanceof SaveResult.Invalid) {
                invalid += counting() ? 1 : 0;
            }
            UserQuery q = query;
            UserPage p = time(Kind.RELOAD, () -> listing.page(q, UserPage.Nav.FIRST, null, 50));
            if (p != null) {
                page = p;
            }
            total(q);
        }

        private UserForm changed(UserView u) {
            String quota = u.quota().toPlainString();
            Role role = u.role();
            Set<Long> deps = new HashSet<>(u.departments().stream().map(DepartmentView::id).toList());
            String settings = u.settings();
            switch (rnd.nextInt(4)) {
                case 0 -> role = Role.values()[rnd.nextInt(Role.values().length)];
                case 1 -> {
                    if (!departments.isEmpty()) {
                        deps = new HashSet<>(Set.of(departments.get(rnd.nextInt(departments.size())).id()));
                    }
                }
                case 2 -> settings = settings == null ? "{\"theme\":\"dark\"}" : null;
                default -> { }
            }
            quota = BigDecimal.valueOf(1000 + rnd.nextInt(90) * 100L).setScale(2).toPlainString();
            return new UserForm(u.id(), u.version(), u.email(), u.username(), role, u.active(), quota,
                    u.usage().toPlainString(), deps, settings);
        }

        private void showHistory() {
            long id;
            if (!edited.isEmpty() && rnd.nextBoolean()) {
                id = edited.get(rnd.nextInt(edited.size()));
            } else if (page != null && !page.rows().isEmpty()) {
                id = page.rows().get(rnd.nextInt(page.rows().size())).id();
            } else {
                browse(Kind.FILTER_SORT, filtered());
                return;
            }
            time(Kind.HISTORY, () -> history.history(id));
        }

        private boolean counting() {
            return System.nanoTime() >= recordFrom;
        }

        private <T> T time(Kind k, Supplier<T> call) {
            long t0 = System.nanoTime();
            try {
                T v = call.get();
                long t1 = System.nanoTime();
                if (t0 >= recordFrom && t0 < stopAt) {
                    samples.get(k).add(t1 - t0);
                    lastEnd = t1;
                }
                return v;
            } catch (RuntimeException e) {
                if (t0 >= recordFrom && t0 < stopAt) {
                    samples.get(k).errors++;
                    if (errorSamples.size() < 3) {
                        errorSamples.add(k.label + ": " + e);
                    }
                }
                return null;
            }
        }
    }

    static void print(Result r) {
        System.out.println();
        long errors = r.errors().values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("%s, %,d users, %d operators: %.1f ops/s (%,d operations in %.1f s, %,d failed; saves: %,d saved,"
                        + " %,d version conflicts, %,d invalid)%n", r.db(), r.users(), r.operators(), r.opsPerSecond(), r.ops(),
                r.seconds(), errors, r.saved(), r.conflicts(), r.invalid());
        System.out.printf("  %-20s %8s %8s %10s %10s %10s %7s%n", "kind", "count", "ops/s", "p50 ms", "p99 ms", "max ms", "failed");
        for (Kind k : Kind.values()) {
            long[] a = r.latencies().get(k);
            System.out.printf("  %-20s %8d %8.1f %10s %10s %10s %7d%n", k.label, a.length, a.length / r.seconds(),
                    ms(pct(a, 0.50)), ms(pct(a, 0.99)), ms(a.length == 0 ? -1 : a[a.length - 1]), r.errors().get(k));
        }
        r.errorSamples().forEach(e -> System.out.println("  failure: " + e));
    }

    private static void summary(List<Result> results) {
        Map<Integer, Map<String, Result>> bySize = new LinkedHashMap<>();
        results.forEach(r -> bySize.computeIfAbsent(r.users(), k -> new LinkedHashMap<>()).put(r.db(), r));
        System.out.println();
        bySize.forEach((users, m) -> {
            Result pg = m.get("pg");
            StringBuilder sb = new StringBuilder(String.format("%,d users:", users));
            m.forEach((db, r) -> {
                sb.append(String.format(" %s %.1f ops/s", db, r.opsPerSecond()));
                if (pg != null && r != pg) {
                    sb.append(String.format(" (x%.2f of pg)", r.opsPerSecond() / pg.opsPerSecond()));
                }
                sb.append(';');
            });
            System.out.println(sb);
            m.forEach((db, r) -> r.latencies().forEach((k, a) -> {
                if (pct(a, 0.99) > 1_000_000_000L) {
                    System.out.printf("  %s: %s p99 %s ms above 1 s%n", db, k.label, ms(pct(a, 0.99)));
                }
            }));
        });
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "-" : String.format("%.1f", nanos / 1e6);
    }
}
