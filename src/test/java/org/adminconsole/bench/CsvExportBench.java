package org.adminconsole.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.adminconsole.AppContext;
import org.adminconsole.service.inspect.CsvExporter;
import org.adminconsole.service.inspect.TableQuery;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * CSV export of a 1,000,000-row table (6 columns, every 10th row needs quoting) through {@link CsvExporter},
 * in a JVM limited to 256 MB of heap (the export streams, so it must fit), against a baseline that only reads
 * the same rows with JDBC (both with H2's lazy query execution, so rows stream). Reports the time per export and the peak heap used during it (peakHeapMb).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class CsvExportBench {

    private AppContext ctx;
    private CsvExporter exporter;
    private TableQuery query;
    private Path out;

    /**
     * Peak heap (MB) during the measured exports, as a secondary result. JMH sums such counters over the
     * measurement iterations, so each iteration reports only how much it raised the running maximum: the sum
     * is the peak of all measured calls.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Heap {
        public double peakHeapMb;
        private double max = -1;
        private double base;

        @Setup(Level.Iteration)
        public void iteration(IterationParams params) {
            peakHeapMb = 0;
            if (params.getType() == IterationType.MEASUREMENT && max < 0) {
                max = 0;
            }
            base = Math.max(0, max);
        }

        @Setup(Level.Invocation)
        public void reset() {
            System.gc();
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    p.resetPeakUsage();
                }
            }
        }

        @TearDown(Level.Invocation)
        public void record() {
            long used = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    used += p.getPeakUsage().getUsed();
                }
            }
            if (max >= 0) {
                max = Math.max(max, used / (1024.0 * 1024.0));
                peakHeapMb = max - base;
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ctx = InspectBenchData.open("export-bench");
        InspectBenchData.createTable(ctx, "bench_export", true);
        exporter = ctx.get(CsvExporter.class);
        query = TableQuery.of(InspectBenchData.details(ctx, "bench_export"));
        out = Files.createTempDirectory("export-bench-out").resolve("export.csv");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Files.deleteIfExists(out);
        ctx.close();
    }

    @Benchmark
    public long baselineJdbcReadAllRows(Heap heap) throws Exception {
        long n = 0;
        try (Connection c = ctx.database().dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET LAZY_QUERY_EXECUTION TRUE"); // as the exporter does on H2
                st.setFetchSize(1000);
                try (ResultSet rs = st.executeQuery("SELECT ID, NAME, EMAIL, AMOUNT, CREATED, NOTE FROM BENCH_EXPORT ORDER BY ID")) {
                    while (rs.next()) {
                        for (int i = 1; i <= 6; i++) {
                            if (rs.getObject(i) != null) {
                                n++;
                            }
                        }
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("SET LAZY_QUERY_EXECUTION FALSE");
            }
            c.rollback();
        }
        return n;
    }

    @Benchmark
    public long exportCsv(Heap heap) {
        CsvExporter.Result r = exporter.export(query, out.toString());
        if (r.rows() != InspectBenchData.ROWS) {
            throw new IllegalStateException("exported " + r.rows());
        }
        return r.bytes();
    }
}
