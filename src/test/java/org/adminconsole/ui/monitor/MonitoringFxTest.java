package org.adminconsole.ui.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.User;
import org.adminconsole.persistence.monitor.SqlEvent;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.monitor.CacheStatsService;
import org.adminconsole.service.monitor.OperationEntry;
import org.adminconsole.service.monitor.OperationsLog;
import org.adminconsole.testing.TestDatabases;
import org.adminconsole.ui.TaskRunner;
import org.adminconsole.ui.ViewLoader;
import org.hibernate.Hibernate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** The monitoring views driven like an operator: what the rows, labels and highlights show. */
@ExtendWith(ApplicationExtension.class)
class MonitoringFxTest {

    @TempDir Path dir;
    private AppContext ctx;
    private TaskRunner runner;
    private Stage stage;

    @AfterEach
    void close() throws Exception {
        if (stage != null) {
            WaitForAsyncUtils.asyncFx(() -> stage.hide()).get(10, TimeUnit.SECONDS);
        }
        if (runner != null) {
            runner.close();
        }
        if (ctx != null) {
            ctx.close();
        }
    }

    private void start(Settings settings, int users, String... fxml) throws Exception {
        ctx = AppContext.start(settings);
        ctx.get(DemoDataService.class).generate(users);
        ctx.get(CacheStatsService.class).evictAll();
        runner = new TaskRunner(2);
        stage = WaitForAsyncUtils.asyncFx(() -> {
            Stage s = new Stage();
            javafx.scene.control.SplitPane views = new javafx.scene.control.SplitPane();
            for (String f : fxml) {
                views.getItems().add(new ViewLoader(ctx.components()).with(TaskRunner.class, runner).load(f).root());
            }
            Scene scene = new Scene(fxml.length == 1 ? (javafx.scene.Parent) views.getItems().get(0) : views, 1200, 760);
            scene.getStylesheets().add(MonitoringFxTest.class.getResource("/fxml/console.css").toExternalForm());
            s.setScene(scene);
            s.show();
            return s;
        }).get(30, TimeUnit.SECONDS);
    }

    private Transactions tx() {
        return ctx.database().transactions();
    }

    private List<Long> userIds() {
        return tx().read("test.ids", s -> s.createSelectionQuery("select u.id from User u order by u.id", Long.class).getResultList());
    }

    private static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The visible row of a table whose item matches, as column id -> shown text (empty when not shown). */
    @SuppressWarnings("unchecked")
    private static <T> Map<String, String> row(FxRobot robot, String tableId, Predicate<T> match) {
        return fx(() -> {
            Map<String, String> cells = new HashMap<>();
            for (Node n : robot.lookup("#" + tableId + " .table-row-cell").queryAll()) {
                TableRow<T> r = (TableRow<T>) n;
                if (r.isVisible() && r.getItem() != null && match.test(r.getItem())) {
                    for (Node c : r.lookupAll(".table-cell")) {
                        TableCell<?, ?> cell = (TableCell<?, ?>) c;
                        cells.put(cell.getTableColumn().getId(), cell.getText());
                    }
                    cells.put("styleClass", String.join(" ", r.getStyleClass()));
                    return cells;
                }
            }
            return cells;
        });
    }

    private static Map<String, String> operationRow(FxRobot robot, String name) {
        return row(robot, "operationsTable", (OperationEntry e) -> e.name().equals(name) && !e.running());
    }

    private static Map<String, String> runningRow(FxRobot robot, String name) {
        return row(robot, "operationsTable", (OperationEntry e) -> e.name().equals(name) && e.running());
    }

    private static Map<String, String> waitForOperationRow(FxRobot robot, String name) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !operationRow(robot, name).isEmpty());
        return operationRow(robot, name);
    }

    private static void clickRow(FxRobot robot, String tableId, Predicate<Object> match) {
        fx(() -> {
            TableView<Object> t = robot.lookup("#" + tableId).queryAs(TableView.class);
            t.getItems().stream().filter(match).findFirst().ifPresent(item -> t.scrollTo(item));
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        Node rowNode = fx(() -> robot.lookup("#" + tableId + " .table-row-cell").queryAll().stream()
                .filter(n -> ((TableRow<?>) n).getItem() != null && match.test(((TableRow<?>) n).getItem()))
                .findFirst().orElseThrow());
        robot.clickOn(rowNode);
    }

    private static String text(FxRobot robot, String id) {
        return fx(() -> {
            Node n = robot.lookup("#" + id).query();
            return n instanceof Label l ? l.getText() : n instanceof TextArea a ? a.getText() : ((TextField) n).getText();
        });
    }

    /**
     * Replaces a field's text as an operator would: click, select all (Ctrl+A), type. A double-click selects only a
     * word, and under load two slow clicks are no double-click at all (the field then got "200100000").
     */
    static void retype(FxRobot robot, String field, String text) {
        robot.clickOn(field).press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.A)
                .release(javafx.scene.input.KeyCode.A, javafx.scene.input.KeyCode.CONTROL).write(text);
    }

    @Test
    void anOperationsRowShowsItsExactFiguresAndItsStatements(FxRobot robot) throws Exception {
        start(TestDatabases.h2(dir), 3, "monitor/Operations.fxml");
        List<Long> ids = userIds();
        long a = ids.get(0);
        long b = ids.get(1);
        tx().read("test.warm", s -> s.find(User.class, a));
        // A from the L2 cache (L1 miss, L2 hit), B from the database (L1 miss, L2 miss, 1 SELECT, entity and
        // natural-id puts), A again from the persistence context (L1 hit)
        tx().read("test.exact", s -> {
            s.find(User.class, a);
            s.find(User.class, b);
            s.find(User.class, a);
            return null;
        });
        Map<String, String> r = waitForOperationRow(robot, "test.exact");
        assertThat(r).containsEntry("statementsColumn", "1").containsEntry("loadedColumn", "2")
                .containsEntry("insertedColumn", "0").containsEntry("updatedColumn", "0")
                .containsEntry("l1HitsColumn", "1").containsEntry("l1MissesColumn", "2")
                .containsEntry("l2HitsColumn", "1").containsEntry("l2MissesColumn", "1")
                .containsEntry("l2PutsColumn", "2").containsEntry("flushesColumn", "0").containsEntry("outcomeColumn", "ok (read-only)")
                .containsEntry("warningColumn", "");
        clickRow(robot, "operationsTable", o -> ((OperationEntry) o).name().equals("test.exact"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> robot.lookup("#statementsTable").queryAs(TableView.class).getItems().size() == 1));
        Map<String, String> stmt = row(robot, "statementsTable", (SqlEvent e) -> true);
        assertThat(stmt.get("stmtSqlColumn")).startsWith("select").contains("from users");
        assertThat(stmt.get("stmtParamsColumn")).isEqualTo("[1=" + b + "]");
        assertThat(text(robot, "warningLabel")).isEqualTo("No warnings.");

        tx().write("test.write", s -> {
            s.find(User.class, a).setUsername("renamed");
            return null;
        });
        assertThat(waitForOperationRow(robot, "test.write")).containsEntry("outcomeColumn", "committed")
                // 6: the transaction's console-write mark (the audit triggers skip what the console audits itself), then 5
                .containsEntry("updatedColumn", "1").containsEntry("statementsColumn", "6").containsEntry("flushesColumn", "2");
    }

    /** Names of the operations table's rows, top to bottom. */
    private static List<String> operationNames(FxRobot robot) {
        return fx(() -> robot.lookup("#operationsTable").queryAs(TableView.class).getItems().stream()
                .map(o -> ((OperationEntry) o).name()).toList());
    }

    @Test
    void runningOperationsAreOnTopFinishedOnesFollowByStartAndEachIsStyledAsWhatItIs(FxRobot robot) throws Exception {
        start(TestDatabases.h2(dir), 20, "monitor/Operations.fxml");
        CountDownLatch release = new CountDownLatch(1);
        Thread longRead = new Thread(() -> tx().read("test.long", s -> {
            s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        longRead.start();
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> "running…".equals(runningRow(robot, "test.long").get("outcomeColumn")));
            assertThat(runningRow(robot, "test.long").get("styleClass")).contains("operation-running").doesNotContain("failed-row");
            tx().read("test.quick", s -> s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult());
            waitForOperationRow(robot, "test.quick");
            // the running one stays on top although the quick one finished after it started
            assertThat(operationNames(robot).get(0)).isEqualTo("test.long");
            clickRow(robot, "operationsTable", o -> ((OperationEntry) o).name().equals("test.long"));
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(robot, "warningLabel").startsWith("Running for"));
        } finally {
            release.countDown();
            longRead.join(30_000);
        }
        // it finishes: still selected, the detail pane follows it, and it sorts by its start (before the quick one)
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !operationRow(robot, "test.long").isEmpty());
        assertThat(operationRow(robot, "test.long").get("outcomeColumn")).isEqualTo("ok (read-only)");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(robot, "warningLabel").equals("No warnings."));
        assertThat(fx(() -> ((OperationEntry) robot.lookup("#operationsTable").queryAs(TableView.class).getSelectionModel()
                .getSelectedItem()).name())).isEqualTo("test.long");
        assertThat(fx(() -> robot.lookup("#statementsTable").queryAs(TableView.class).getItems().size())).isEqualTo(1);
        List<String> names = operationNames(robot);
        assertThat(names.indexOf("test.quick")).isLessThan(names.indexOf("test.long"));

        // a dry run is a dry run, not a failure
        tx().execute(org.adminconsole.persistence.TxOptions.write("test.dryRun").asDryRun(),
                s -> s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult());
        Map<String, String> dry = waitForOperationRow(robot, "test.dryRun");
        assertThat(dry.get("outcomeColumn")).isEqualTo("dry run (rolled back, as planned)");
        assertThat(dry.get("styleClass")).contains("operation-dry-run").doesNotContain("failed-row");

        // a cancelled task's operation reads as cancelled, not as failed
        java.util.concurrent.atomic.AtomicReference<String> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        WaitForAsyncUtils.asyncFx(() -> runner.runLatest("search", "Searching", () -> tx().read("test.superseded",
                s -> s.createNativeQuery("SELECT SUM(X * 2) FROM SYSTEM_RANGE(1, 50000000000)", Object.class)
                        .getSingleResult().toString()), outcome::set, outcome::set)).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> "running…".equals(runningRow(robot, "test.superseded").get("outcomeColumn")));
        WaitForAsyncUtils.asyncFx(() -> runner.runLatest("search", "Searching", () -> "newer", outcome::set, outcome::set))
                .get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !operationRow(robot, "test.superseded").isEmpty());
        assertThat(operationRow(robot, "test.superseded").get("outcomeColumn")).isEqualTo("cancelled (rolled back)");
        assertThat(operationRow(robot, "test.superseded").get("styleClass")).contains("operation-cancelled").doesNotContain("failed-row");

        // bulk work: the rows a native UPDATE wrote are counted, and a key per chunk is not flagged N+1
        List<Long> ids = userIds();
        tx().bulk("test.bulkUpdate", 100, s -> {
            for (Long id : ids) {
                s.get(User.class, id);
            }
            return s.createNativeMutationQuery("UPDATE users SET quota = quota").executeUpdate();
        });
        Map<String, String> bulk = waitForOperationRow(robot, "test.bulkUpdate");
        assertThat(bulk.get("rowsWrittenColumn")).isEqualTo("20");
        assertThat(bulk.get("warningColumn")).doesNotContain("N+1");
        assertThat(bulk.get("outcomeColumn")).isEqualTo("committed");
    }

    @Test
    void nPlusOneIsFlaggedWithAnExplanationAndTheFetchJoinIsNot(FxRobot robot) throws Exception {
        start(TestDatabases.h2(dir), 10, "monitor/Operations.fxml");
        tx().read("test.lazyDepartments", s -> {
            s.createSelectionQuery("from User u order by u.id", User.class).getResultList().forEach(u -> Hibernate.initialize(u.getDepartments()));
            return null;
        });
        ctx.get(CacheStatsService.class).evictAll();
        tx().read("test.fetchJoin", s -> {
            s.createSelectionQuery("select distinct u from User u left join fetch u.departments", User.class).getResultList()
                    .forEach(u -> Hibernate.initialize(u.getDepartments()));
            return null;
        });
        Map<String, String> lazy = waitForOperationRow(robot, "test.lazyDepartments");
        assertThat(lazy.get("warningColumn")).contains("N+1");
        assertThat(lazy.get("statementsColumn")).isEqualTo("11");
        assertThat(lazy.get("styleClass")).contains("flagged-row");
        Map<String, String> joined = waitForOperationRow(robot, "test.fetchJoin");
        assertThat(joined.get("warningColumn")).isEmpty();
        assertThat(joined.get("statementsColumn")).isEqualTo("1");
        assertThat(joined.get("styleClass")).doesNotContain("flagged-row");
        clickRow(robot, "operationsTable", o -> ((OperationEntry) o).name().equals("test.lazyDepartments"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> text(robot, "warningLabel").contains("N+1"));
        assertThat(text(robot, "warningLabel")).contains("10 times").contains("join fetch");

        retype(robot, "#statementThresholdField", "lots");
        robot.clickOn("#applyStatementThresholdButton");
        assertThat(text(robot, "statementThresholdError")).contains("whole number");
        assertThat(ctx.get(OperationsLog.class).analyzer().statementThreshold()).isEqualTo(50);
        retype(robot, "#statementThresholdField", "5");
        robot.clickOn("#applyStatementThresholdButton");
        assertThat(ctx.get(OperationsLog.class).analyzer().statementThreshold()).isEqualTo(5);
        assertThat(text(robot, "statementThresholdError")).isEmpty();
    }

    @Test
    void theIdentityMapButtonShowsEachStepWithItsStatementsAndHits(FxRobot robot) throws Exception {
        start(TestDatabases.h2(dir), 40, "monitor/Operations.fxml");
        robot.clickOn("#identityMapButton");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "demoResult").startsWith("Within one operation:"));
        String[] lines = text(robot, "demoResult").split("\n");
        assertThat(lines).hasSize(5);
        assertThat(lines[1]).startsWith("• list query of 20 users").contains(": 1 statement, 0 L1 hits");
        assertThat(lines[2]).startsWith("• find(User, ").contains(": 0 statements, 1 L1 hit").contains("the listed instance itself");
        assertThat(lines[3]).contains(": 1 statement,").contains("20 of 20 rows are the same instances");
        assertThat(lines[4]).contains(": 0 statements,").contains("12 department objects");
        Map<String, String> op = waitForOperationRow(robot, "session.identityMap");
        assertThat(op).containsEntry("statementsColumn", "2");
    }

    @Test
    void openFromCacheVersusReloadFromDatabaseShowsTheDifference(FxRobot robot) throws Exception {
        start(TestDatabases.h2(dir), 3, "monitor/Operations.fxml");
        long id = userIds().get(1);
        robot.clickOn("#demoUserField").write(String.valueOf(id));
        robot.clickOn("#openCachedButton"); // first open fills the caches
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "demoResult").startsWith("Opened through the caches"));
        robot.clickOn("#openCachedButton");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "demoResult").contains(": 0 statements"));
        robot.clickOn("#reloadButton");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "demoResult").startsWith("Reloaded from the database"));
        assertThat(text(robot, "demoResult")).contains(": 2 statements").contains("L2 0 hits");
        waitForOperationRow(robot, "session.reloadFromDatabase");
        List<OperationEntry> opens = fx(() -> {
            TableView<?> table = robot.lookup("#operationsTable").queryAs(TableView.class);
            List<OperationEntry> out = new java.util.ArrayList<>();
            for (Object o : table.getItems()) {
                if (((OperationEntry) o).name().startsWith("session.")) {
                    out.add((OperationEntry) o);
                }
            }
            return out;
        });
        assertThat(opens).extracting(OperationEntry::name)
                .containsExactly("session.reloadFromDatabase", "session.openCached", "session.openCached");
        Map<String, String> reload = operationRow(robot, "session.reloadFromDatabase");
        assertThat(reload).containsEntry("statementsColumn", "2").containsEntry("l2HitsColumn", "0");
        Map<String, String> cached = row(robot, "operationsTable", (OperationEntry e) -> e == opens.get(1));
        assertThat(cached).containsEntry("statementsColumn", "0");
        assertThat(Long.parseLong(cached.get("l2HitsColumn"))).isGreaterThanOrEqualTo(2);

        retype(robot, "#demoUserField", "no-such-user");
        robot.clickOn("#openCachedButton");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "demoUserError").contains("neither an id"));
    }

    @Test
    void slowStatementsAreHighlightedAndTheHighlightFollowsTheThresholdAtOnce(FxRobot robot) throws Exception {
        start(TestDatabases.h2(dir), 3, "monitor/SqlLog.fxml");
        retype(robot, "#slowThresholdField", "100000");
        robot.clickOn("#applySlowThresholdButton");
        assertThat(text(robot, "slowThresholdLabel")).contains("100000 ms");
        tx().read("test.before", s -> s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult());
        Predicate<SqlEvent> before = e -> e.operationName().equals("test.before");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !row(robot, "sqlTable", before).isEmpty());
        assertThat(row(robot, "sqlTable", before).get("styleClass")).doesNotContain("slow-row");

        retype(robot, "#slowThresholdField", "abc");
        robot.clickOn("#applySlowThresholdButton");
        assertThat(text(robot, "slowThresholdError")).contains("milliseconds");
        assertThat(ctx.database().sqlMonitor().slowThreshold().toMillis()).isEqualTo(100000);

        retype(robot, "#slowThresholdField", "0.001"); // 1 microsecond: every statement is slower
        robot.clickOn("#applySlowThresholdButton");
        assertThat(text(robot, "slowThresholdError")).isEmpty();
        tx().read("test.after", s -> s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult());
        Predicate<SqlEvent> after = e -> e.operationName().equals("test.after");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !row(robot, "sqlTable", after).isEmpty());
        assertThat(row(robot, "sqlTable", after).get("styleClass")).contains("slow-row");
        // the rows already shown follow the new threshold too, both ways, without waiting for new statements
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> row(robot, "sqlTable", before).get("styleClass").contains("slow-row"));
        retype(robot, "#slowThresholdField", "100000");
        robot.clickOn("#applySlowThresholdButton");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !row(robot, "sqlTable", before).get("styleClass").contains("slow-row")
                && !row(robot, "sqlTable", after).get("styleClass").contains("slow-row"));
    }

    @Test
    void aQueryRunFromTheSqlTabAppearsInTheSqlLog(FxRobot robot) throws Exception {
        start(TestDatabases.h2(dir), 5, "inspect/SqlConsole.fxml", "monitor/SqlLog.fxml");
        robot.clickOn("#sqlText").write("SELECT id, email FROM users WHERE id <= 3 ORDER BY id");
        robot.clickOn("#runButton");
        Predicate<SqlEvent> console = e -> e.operationName().equals("SQL console") && e.sql().contains("WHERE id <= 3");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !row(robot, "sqlTable", console).isEmpty());
        Map<String, String> r = row(robot, "sqlTable", console);
        assertThat(r.get("operationColumn")).isEqualTo("SQL console");
        assertThat(r.get("rowsColumn")).isEqualTo("3");
        assertThat(r.get("sqlColumn")).isEqualTo("SELECT id, email FROM users WHERE id <= 3 ORDER BY id");
        // a query the database refuses is logged as failed, with its message
        robot.interact(() -> robot.lookup("#sqlText").queryAs(org.fxmisc.richtext.CodeArea.class).replaceText("SELECT no_such_column FROM users"));
        robot.clickOn("#runButton");
        Predicate<SqlEvent> failed = e -> e.operationName().equals("SQL console") && e.sql().contains("no_such_column");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !row(robot, "sqlTable", failed).isEmpty());
        assertThat(row(robot, "sqlTable", failed).get("paramsColumn")).startsWith("FAILED: ");
        assertThat(row(robot, "sqlTable", failed).get("styleClass")).contains("failed-row");
    }

    /** Series of a line chart drawn in {@code colour} (the runs of one line: gaps + 1). */
    private static long runsOf(FxRobot robot, String chartId, String colour) {
        return fx(() -> robot.lookup("#" + chartId).queryAs(javafx.scene.chart.LineChart.class).getData().stream()
                .filter(series -> {
                    Node n = ((javafx.scene.chart.XYChart.Series<?, ?>) series).getNode();
                    return n != null && n.getStyle().contains(colour) && !((javafx.scene.chart.XYChart.Series<?, ?>) series).getData().isEmpty();
                }).count());
    }

    @Test
    void theHitRatioChartHasAGapWhereThereWereNoLookupsAndThePoolAxisCountsWholeConnections(FxRobot robot) throws Exception {
        start(TestDatabases.h2(dir), 5, "monitor/Caches.fxml", "monitor/Pool.fxml");
        org.adminconsole.service.monitor.MonitorSampler sampler = ctx.get(org.adminconsole.service.monitor.MonitorSampler.class);
        List<Long> ids = userIds();
        Runnable lookups = () -> tx().read("test.lookups", s -> {
            ids.forEach(id -> s.find(User.class, id));
            return null;
        });
        java.util.function.Function<Integer, List<Boolean>> lastRatios = n -> {
            List<org.adminconsole.service.monitor.MonitorSampler.RatioPoint> h = sampler.hitRatios();
            return h.subList(Math.max(0, h.size() - n), h.size()).stream().map(p -> !Double.isNaN(p.l2HitRatio())).toList();
        };
        // lookups in one second, none in the next ones (the sampler takes a sample a second), lookups again
        lookups.run();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> sampler.hitRatios().stream().anyMatch(p -> !Double.isNaN(p.l2HitRatio())));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> lastRatios.apply(1).equals(List.of(false)));
        lookups.run();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> lastRatios.apply(1).equals(List.of(true)));
        // the second-level line is drawn in two runs, not across the quiet second(s)
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> runsOf(robot, "hitRatioChart", CachesPresenter.L2_COLOUR) >= 2);
        assertThat(fx(() -> robot.lookup("#hitRatioLegend").queryAs(javafx.scene.layout.HBox.class).getChildren().stream()
                .map(n -> ((Label) n).getText()).toList())).containsExactly("second-level cache", "user cache");

        // connections are whole: the pool chart's axis steps by whole numbers, its labels are integers
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> {
            javafx.scene.chart.NumberAxis y = (javafx.scene.chart.NumberAxis) robot.lookup("#poolChart")
                    .queryAs(javafx.scene.chart.LineChart.class).getYAxis();
            return !y.getTickMarks().isEmpty() && y.getTickUnit() >= 1 && y.getTickUnit() == Math.rint(y.getTickUnit())
                    && y.getTickMarks().stream().allMatch(t -> t.getValue().doubleValue() == Math.rint(t.getValue().doubleValue())
                            && y.getTickLabelFormatter().toString(t.getValue()).matches("[0-9]+"));
        }));
    }

    @Test
    void explainOfACapturedSelectShowsThePlan(FxRobot robot) throws Exception {
        start(TestDatabases.h2(dir), 3, "monitor/SqlLog.fxml");
        long id = userIds().get(2);
        tx().read("test.find", s -> s.find(User.class, id));
        Predicate<Object> find = e -> ((SqlEvent) e).operationName().equals("test.find");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !row(robot, "sqlTable", find::test).isEmpty());
        clickRow(robot, "sqlTable", find);
        robot.clickOn("#explainButton");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "planArea").contains("scanCount"));
        assertThat(text(robot, "planArea")).startsWith("EXPLAIN ANALYZE select").contains("[1=" + id + "]").containsIgnoringCase("users");
    }

    @Test
    void theCachesViewShowsNamedValuesHitsMissesAndInvalidations(FxRobot robot) throws Exception {
        start(TestDatabases.h2(dir), 3, "monitor/Caches.fxml");
        org.adminconsole.service.dashboard.DashboardService dashboard = ctx.get(org.adminconsole.service.dashboard.DashboardService.class);
        Predicate<org.adminconsole.cache.NamedValues.ValueStats> counts = v -> v.name().equals("dashboard.counts");
        Predicate<org.adminconsole.cache.NamedValues.ValueStats> byRole = v -> v.name().equals("dashboard.usersByRole");
        dashboard.figures(); // first read: a miss, computed and cached
        dashboard.figures(); // second read: a hit
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> "1".equals(row(robot, "namedTable", counts).get("namedHitsColumn")));
        Map<String, String> before = row(robot, "namedTable", counts);
        assertThat(before).containsEntry("namedMissesColumn", "1").containsEntry("namedEntriesColumn", "1")
                .containsEntry("namedPolicyColumn", "on matching change of departments, users");
        long countsInvalidated = Long.parseLong(before.get("namedInvalidationsColumn"));
        long byRoleInvalidated = Long.parseLong(row(robot, "namedTable", byRole).get("namedInvalidationsColumn"));
        long id = userIds().get(0);
        tx().write("test.deactivate", s -> {
            User u = s.find(User.class, id);
            u.setActive(!u.isActive()); // the active count changes: the counts go, the users per role stay
            return null;
        });
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> String.valueOf(countsInvalidated + 1)
                .equals(row(robot, "namedTable", counts).get("namedInvalidationsColumn")));
        assertThat(row(robot, "namedTable", counts)).containsEntry("namedEntriesColumn", "0");
        // an active change does not concern the users-by-role figure (its predicate looks at role changes only)
        assertThat(row(robot, "namedTable", byRole)).containsEntry("namedInvalidationsColumn", String.valueOf(byRoleInvalidated))
                .containsEntry("namedEntriesColumn", "1");
    }

    @Test
    void evictingARegionFromTheCachesViewMakesTheNextLookupAMiss(FxRobot robot) throws Exception {
        start(TestDatabases.h2(dir), 2, "monitor/Caches.fxml");
        long id = userIds().get(0);
        String region = User.class.getName();
        tx().read("test.warm", s -> s.find(User.class, id));
        tx().read("test.hit", s -> s.find(User.class, id));
        Predicate<CacheStatsService.RegionStats> userRegion = r -> r.name().equals(region);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> "1".equals(row(robot, "regionsTable", userRegion).get("hitsColumn")));
        Map<String, String> before = row(robot, "regionsTable", userRegion);
        assertThat(before).containsEntry("missesColumn", "1").containsEntry("inMemoryColumn", "n/a").containsEntry("ratioColumn", "50.0 %");
        clickRow(robot, "regionsTable", o -> ((CacheStatsService.RegionStats) o).name().equals(region));
        robot.clickOn("#evictRegionButton");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "cacheMessage").startsWith("Evicted region"));
        tx().read("test.afterEvict", s -> s.find(User.class, id));
        OperationEntry after = ctx.get(OperationsLog.class).snapshot().stream().filter(e -> e.name().equals("test.afterEvict")).findFirst().orElseThrow();
        assertThat(after.stats().l2Misses()).isEqualTo(1);
        assertThat(after.stats().l2Hits()).isZero();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> "2".equals(row(robot, "regionsTable", userRegion).get("missesColumn")));
        assertThat(row(robot, "regionsTable", userRegion)).containsEntry("hitsColumn", "1");
        assertThat(text(robot, "userSize")).isEqualTo("0");
        assertThat(text(robot, "userStale")).isEqualTo("0");
        // a loader handing the user cache a copy older than a committed edit: re-read, not kept, and counted
        var editing = ctx.get(org.adminconsole.service.users.UserEditing.class);
        org.adminconsole.domain.UserView old = editing.open(id).orElseThrow().user();
        var f = org.adminconsole.service.users.UserForm.of(old);
        assertThat(editing.save(new org.adminconsole.service.users.UserForm(f.id(), f.version(), f.email(), f.username(), f.role(),
                f.active(), "321", f.usage(), f.departmentIds(), f.settings()))).isInstanceOf(org.adminconsole.service.users.SaveResult.Saved.class);
        long dropped = ctx.get(org.adminconsole.cache.UserCache.class).stats().droppedPuts();
        ctx.get(org.adminconsole.cache.UserCache.class).byId(id, x -> java.util.Optional.of(old));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "userStale").equals("1"));
        assertThat(text(robot, "userDropped")).isEqualTo(String.valueOf(dropped + 1));
    }

    @Test
    void thePoolViewWarnsWhenAnOperationWaitedForAConnection(FxRobot robot) throws Exception {
        // the threshold above a busy machine's scheduling delays, the waiter's wait well above it; both connections open
        // before the holders take them (a holder that waited for the pool to open its second one was flagged too in CI)
        start(TestDatabases.h2(dir, Map.of("pool.maxSize", "2", "pool.minIdle", "2", "monitor.connectionWaitWarnMs", "100",
                // no background cache checks competing for the two connections; a generous pool timeout
                "cache.check.intervalMs", "3600000", "pool.connectionTimeoutMs", "60000")), 1, "monitor/Pool.fxml");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "poolMax").equals("2"));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ctx.database().poolStats().idle() == 2);
        assertThat(fx(() -> robot.lookup("#poolWarning").query().isVisible())).isFalse();
        CountDownLatch holding = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 2; i++) {
            new Thread(() -> tx().read("test.holder", s -> {
                // connections are taken at the first statement (lazy acquisition): run one to hold it
                s.createNativeQuery("SELECT 1", Integer.class).getSingleResult();
                holding.countDown();
                release.await();
                return null;
            })).start();
        }
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        Thread waiter = new Thread(() -> tx().read("test.waiter", s -> s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult()));
        waiter.start();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> ctx.database().poolStats().waiting() == 1);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> text(robot, "poolWaiting").equals("1") && text(robot, "poolActive").equals("2"));
        Thread.sleep(300); // the waiter has now waited at least this long: above the 100 ms threshold
        release.countDown();
        waiter.join(30_000);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> fx(() -> robot.lookup("#poolWarning").query().isVisible()));
        assertThat(text(robot, "poolWarning")).contains("1 operation waited for a connection").contains("test.waiter");
        List<?> waits = fx(() -> List.copyOf(robot.lookup("#waitList").queryListView().getItems()));
        assertThat(waits).singleElement().asString().contains("test.waiter").contains("pool max 2");
    }
}
