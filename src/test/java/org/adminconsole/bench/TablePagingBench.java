package org.adminconsole.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.adminconsole.AppContext;
import org.adminconsole.service.inspect.Page;
import org.adminconsole.service.inspect.TableDataService;
import org.adminconsole.service.inspect.TableDetails;
import org.adminconsole.service.inspect.TableQuery;
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
 * A page of 50 rows of a 1,000,000-row table through {@link TableDataService} (read-only transaction, JDBC):
 * keyset paging (table with a primary key) vs offset paging (same rows and order, no primary key), on the
 * first page and on a deep page (~row 900,000; the position varies per call so H2 cannot reuse a result).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class TablePagingBench {

    private static final int PAGE = 50;
    private AppContext ctx;
    private TableDataService data;
    private TableQuery keyed;
    private TableQuery unkeyed;
    private long n;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ctx = InspectBenchData.open("paging-bench");
        InspectBenchData.createTable(ctx, "bench_keyed", true);
        InspectBenchData.createTable(ctx, "bench_unkeyed", false);
        data = ctx.get(TableDataService.class);
        TableDetails k = InspectBenchData.details(ctx, "bench_keyed");
        TableDetails u = InspectBenchData.details(ctx, "bench_unkeyed");
        keyed = TableQuery.of(k);
        unkeyed = TableQuery.of(u).sortedBy("ID", false);
        check(data.page(keyed, PAGE, List.of(900_000L), 0), Page.PagingMode.KEYSET, 900_001L);
        check(data.page(unkeyed, PAGE, null, 900_000), Page.PagingMode.OFFSET, 900_001L);
    }

    private static void check(Page p, Page.PagingMode mode, long firstId) {
        if (p.mode() != mode || p.rows().size() != PAGE || !Long.valueOf(firstId).equals(p.rows().get(0).get(0))) {
            throw new IllegalStateException("unexpected page " + p.mode() + " " + p.rows().get(0));
        }
    }

    private long deep() {
        return 890_000 + (n++ % 20_000);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ctx.close();
    }

    @Benchmark
    public Page baselineKeysetFirstPage() {
        return data.page(keyed, PAGE, null, 0);
    }

    @Benchmark
    public Page keysetDeepPage() {
        return data.page(keyed, PAGE, List.of(deep()), 0);
    }

    @Benchmark
    public Page offsetFirstPage() {
        return data.page(unkeyed, PAGE, null, 0);
    }

    @Benchmark
    public Page offsetDeepPage() {
        return data.page(unkeyed, PAGE, null, deep());
    }
}
