package org.adminconsole.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.ui.TaskRunner;
import org.adminconsole.ui.ViewLoader;

/**
 * FX-thread responsiveness of the live monitoring views under a burst of 10,000 statements.
 *
 * <p>Shows every monitoring view (Operations, SQL log, Caches and Pool with their charts; {@code -Dbench.views=both}
 * for the first two only) side by side, headless with Monocle, measures
 * the gaps between consecutive JavaFX pulses with an {@link AnimationTimer} (a pulse is when the FX thread
 * lays out and renders; a long gap is a frozen UI), per round: idle (the baseline); a burst with the views
 * out of the scene (the control: what the burst alone does to the FX thread on this machine: CPU and GC);
 * the burst with the views shown. A burst = four threads running 200 operations of 50 statements each as
 * fast as they can; each burst phase includes one second after it (the views drain the backlog). For
 * comparison, a last burst also posts one {@code Platform.runLater} per statement into a
 * third table (what the views avoid; {@code -Dbench.naive=false} skips it). Not a JMH benchmark (JMH cannot measure a UI thread's pauses); a main method. Run:
 *
 * <pre>mvn -o -q test-compile exec:exec -Dexec.args="-Xmx1g -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw -classpath %classpath org.adminconsole.bench.MonitorPulseBench"</pre>
 *
 * Optional argument: the number of rounds (default 6, of which the first {@code -Dbench.warmupRounds=2} are
 * reported but left out of the summary's medians). {@code -Dbench.naive=false} skips the naive comparison.
 */
public final class MonitorPulseBench {

    private static final int THREADS = 4;
    private static final int OPERATIONS = 200;
    private static final int STATEMENTS_PER_OPERATION = 50;
    private static final long IDLE_MS = 3000;

    /** Records the gaps between pulses on the FX thread. */
    static final class PulseMeter extends AnimationTimer {
        private long last;
        private final List<Long> gaps = new ArrayList<>();
        private volatile boolean recording;

        @Override
        public void handle(long now) {
            if (recording && last != 0) {
                gaps.add(now - last);
            }
            last = now;
        }

        void begin(boolean on) throws Exception {
            fx(() -> {
                gaps.clear();
                last = 0;
                recording = on;
            });
        }

        long[] finish() throws Exception {
            long[][] out = new long[1][];
            fx(() -> {
                recording = false;
                out[0] = gaps.stream().mapToLong(Long::longValue).sorted().toArray();
            });
            return out[0];
        }
    }

    /** CPU time of the JavaFX application thread and the renderer, in ms (what the views cost). */
    static double fxCpuMillis() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (ti != null && (ti.getThreadName().equals("JavaFX Application Thread") || ti.getThreadName().startsWith("QuantumRenderer"))) {
                total += Math.max(0, mx.getThreadCpuTime(ti.getThreadId()));
            }
        }
        return total / 1e6;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("glass.platform", System.getProperty("glass.platform", "Monocle"));
        System.setProperty("monocle.platform", System.getProperty("monocle.platform", "Headless"));
        System.setProperty("prism.order", System.getProperty("prism.order", "sw"));
        int rounds = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0].trim()) : 6;
        WARMUP_ROUNDS = Integer.getInteger("bench.warmupRounds", 2);
        Path dir = Files.createTempDirectory("pulse-bench");
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        Platform.setImplicitExit(false);
        Settings settings = Settings.of(Map.of("data.dir", dir.toString(), "db.seed.users", "0", "operator", "bench",
                "pool.maxSize", "6", "sql.logCapacity", "5000"));
        try (AppContext ctx = AppContext.start(settings); TaskRunner runner = new TaskRunner(2)) {
            ctx.get(DemoDataService.class).generate(1000);
            Stage[] stage = new Stage[1];
            javafx.scene.Parent[] root = new javafx.scene.Parent[1];
            List<TableView<?>> tables = new ArrayList<>();
            TableView<String> naive = new TableView<>();
            fx(() -> {
                ViewLoader loader = new ViewLoader(ctx.components()).with(TaskRunner.class, runner);
                // every monitoring view at once (default), or "both" (Operations + SQL log), "ops", "sql"
                String views = System.getProperty("bench.views", "all");
                SplitPane both = new SplitPane();
                if (views.equals("all") || views.equals("both") || views.equals("ops")) {
                    both.getItems().add(loader.load("monitor/Operations.fxml").root());
                }
                if (views.equals("all") || views.equals("both") || views.equals("sql")) {
                    both.getItems().add(loader.load("monitor/SqlLog.fxml").root());
                }
                if (views.equals("all")) {
                    javafx.scene.layout.VBox charts = new javafx.scene.layout.VBox(loader.load("monitor/Caches.fxml").root(),
                            loader.load("monitor/Pool.fxml").root());
                    both.getItems().add(new javafx.scene.control.ScrollPane(charts));
                }
                naive.setFixedCellSize(24);
                naive.getColumns().add(new javafx.scene.control.TableColumn<String, String>("naive: one runLater per statement"));
                ((javafx.scene.control.TableColumn<String, String>) naive.getColumns().get(0))
                        .setCellValueFactory(cd -> new javafx.beans.property.ReadOnlyStringWrapper(cd.getValue()));
                naive.getColumns().get(0).setPrefWidth(300);
                both.getItems().add(naive);
                root[0] = both;
                Scene scene = new Scene(both, 1280, 800); // Monocle's headless screen: a larger scene fails to upload its pixels
                scene.getStylesheets().add(MonitorPulseBench.class.getResource("/fxml/console.css").toExternalForm());
                stage[0] = new Stage();
                stage[0].setScene(scene);
                stage[0].show();
                tables.add(scene.lookup("#operationsTable") instanceof TableView<?> t ? t : new TableView<>());
                tables.add(scene.lookup("#sqlTable") instanceof TableView<?> t ? t : new TableView<>());
            });
            PulseMeter meter = new PulseMeter();
            fx(meter::start);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            System.out.printf("%nMonitorPulseBench: %d statements per burst (%d operations x %d), %d threads, views drained every 300 ms%n",
                    OPERATIONS * STATEMENTS_PER_OPERATION, OPERATIONS, STATEMENTS_PER_OPERATION, THREADS);
            System.out.printf("%-6s %-22s %8s %10s %10s %10s %10s %12s %12s%n", "round", "phase", "pulses", "median ms", "p99 ms",
                    "max ms", "x idle", "FX cpu ms", "stmts/s");
            for (int r = 1; r <= rounds; r++) {
                meter.begin(true);
                double c0 = fxCpuMillis();
                Thread.sleep(IDLE_MS);
                long[] idle = meter.finish();
                double idleCpu = fxCpuMillis() - c0;
                double idleMax = idle[idle.length - 1] / 1e6;
                print(r, "idle " + IDLE_MS / 1000 + " s (baseline)", idle, idleMax, idleCpu, Double.NaN);
                // control: the same burst with the monitoring views out of the scene (what the burst alone costs)
                fx(() -> stage[0].getScene().setRoot(new javafx.scene.control.Label("views hidden")));
                measureBurst(r, "hidden", ctx, pool, meter, null, idleMax);
                fx(() -> stage[0].getScene().setRoot(root[0]));
                Thread.sleep(1000);
                measureBurst(r, "burst", ctx, pool, meter, null, idleMax);
                if (Boolean.parseBoolean(System.getProperty("bench.naive", "true"))) {
                    Thread.sleep(1000);
                    measureBurst(r, "naive", ctx, pool, meter, naive, idleMax);
                }
            }
            int[] sizes = new int[2];
            fx(() -> {
                sizes[0] = tables.get(0).getItems().size();
                sizes[1] = tables.get(1).getItems().size();
            });
            System.out.printf("median over rounds %d-%d (the first %d are JIT warm-up): phase, max pulse gap ms, ratio to idle max gap, FX+render CPU ms%n",
                    WARMUP_ROUNDS + 1, rounds, WARMUP_ROUNDS);
            double idleMedian = median(MAX_GAPS.get("idle"));
            MAX_GAPS.forEach((k, v) -> System.out.printf("  %-8s %10.1f %10s %10.0f%n", k, median(v),
                    String.format("x%.2f", median(v) / idleMedian), median(CPU.get(k))));
            System.out.printf("rows shown at the end: operations %d, SQL log %d (both capped at 1000)%n", sizes[0], sizes[1]);
            pool.shutdownNow();
            fx(() -> {
                meter.stop();
                stage[0].hide();
            });
        } finally {
            Platform.exit();
        }
    }

    /**
     * Runs the burst; with {@code naive} set, also does what the views must not do: one
     * {@code Platform.runLater} per statement, each adding a row (the comparison).
     */
    private static void measureBurst(int round, String phase, AppContext ctx, ExecutorService pool, PulseMeter meter,
                                     TableView<String> naive, double idleMax) throws Exception {
        long before = ctx.database().sqlMonitor().totalStatements();
        meter.begin(true);
        double c1 = fxCpuMillis();
        long t0 = System.nanoTime();
        burst(ctx.database().transactions(), pool, naive);
        long burstNanos = System.nanoTime() - t0;
        Thread.sleep(1000); // let the views drain what the burst left
        long[] gaps = meter.finish();
        double cpu = fxCpuMillis() - c1;
        long statements = ctx.database().sqlMonitor().totalStatements() - before;
        print(round, String.format("%s %.1f s + 1 s", phase, burstNanos / 1e9), gaps, idleMax, cpu, statements / (burstNanos / 1e9));
    }

    private static void burst(Transactions tx, ExecutorService pool, TableView<String> naive) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int op = thread; op < OPERATIONS; op += THREADS) {
                    int base = op * STATEMENTS_PER_OPERATION;
                    tx.read("bench.burst", s -> s.doReturningWork(c -> {
                        long sum = 0;
                        try (PreparedStatement ps = c.prepareStatement("SELECT id, email FROM users WHERE id = ?")) {
                            for (int i = 0; i < STATEMENTS_PER_OPERATION; i++) {
                                ps.setLong(1, 1 + (base + i) % 1000);
                                try (ResultSet rs = ps.executeQuery()) {
                                    while (rs.next()) {
                                        sum += rs.getLong(1);
                                    }
                                }
                                if (naive != null) {
                                    String row = "op " + base + " statement " + i;
                                    Platform.runLater(() -> {
                                        naive.getItems().add(0, row);
                                        if (naive.getItems().size() > 1000) {
                                            naive.getItems().remove(1000);
                                        }
                                    });
                                }
                            }
                        }
                        return sum;
                    }));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(5, TimeUnit.MINUTES);
        }
    }

    /** Max pulse gap (ms) per phase and round, for the summary. */
    /** Rounds left out of the summary (JIT compilation of the UI and JDBC paths competes for the CPU). */
    private static int WARMUP_ROUNDS;
    private static final Map<String, List<Double>> MAX_GAPS = new java.util.LinkedHashMap<>();
    private static final Map<String, List<Double>> CPU = new java.util.LinkedHashMap<>();

    private static void print(int round, String phase, long[] gaps, double idleMax, double cpu, double perSecond) {
        String kind = phase.substring(0, phase.indexOf(' '));
        if (gaps.length > 0 && round > WARMUP_ROUNDS) {
            MAX_GAPS.computeIfAbsent(kind, k -> new ArrayList<>()).add(gaps[gaps.length - 1] / 1e6);
            CPU.computeIfAbsent(kind, k -> new ArrayList<>()).add(cpu);
        }
        if (gaps.length == 0) {
            System.out.printf("%-6d %-22s %8d  (no pulses)%n", round, phase, 0);
            return;
        }
        double median = gaps[gaps.length / 2] / 1e6;
        double p99 = gaps[Math.min(gaps.length - 1, (int) Math.ceil(gaps.length * 0.99) - 1)] / 1e6;
        double max = gaps[gaps.length - 1] / 1e6;
        System.out.printf("%-6d %-22s %8d %10.1f %10.1f %10.1f %10s %12.0f %12s%n", round, phase, gaps.length, median, p99, max,
                String.format("x%.2f", max / idleMax), cpu, Double.isNaN(perSecond) ? "" : String.format("%,.0f", perSecond));
    }

    private static double median(List<Double> v) {
        List<Double> sorted = new ArrayList<>(v);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    @FunctionalInterface
    interface FxWork {
        void run() throws Exception;
    }

    private static void fx(FxWork work) throws Exception {
        if (Platform.isFxApplicationThread()) {
            work.run();
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        Exception[] failure = new Exception[1];
        Platform.runLater(() -> {
            try {
                work.run();
            } catch (Exception e) {
                failure[0] = e;
            } finally {
                done.countDown();
            }
        });
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("FX thread did not answer in 60 s");
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }
}
