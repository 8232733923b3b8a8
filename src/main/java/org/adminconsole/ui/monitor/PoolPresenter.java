package org.adminconsole.ui.monitor;

import java.util.ArrayList;
import java.util.List;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import org.adminconsole.persistence.Database;
import org.adminconsole.service.monitor.MonitorSampler;
import org.adminconsole.service.monitor.OperationEntry;
import org.adminconsole.service.monitor.OperationsLog;

/** The connection pool: active, idle, waiting and total connections, a chart, and operations that waited. */
public class PoolPresenter {

    private static final int MAX_WAITS = 50;

    private final MonitorSampler sampler;
    private final OperationsLog log;
    private static final String[][] LINES = {{"active", "#e53935"}, {"idle", "#1e88e5"}, {"waiting", "#fb8c00"}};
    private GapChart chart;
    private MonitorSampler.Sample shown;

    @FXML private Label poolActive;
    @FXML private Label poolIdle;
    @FXML private Label poolWaiting;
    @FXML private Label poolTotal;
    @FXML private Label poolMax;
    @FXML private LineChart<Number, Number> poolChart;
    @FXML private Label poolWarning;
    @FXML private ListView<String> waitList;

    public PoolPresenter(MonitorSampler sampler, OperationsLog log) {
        this.sampler = sampler;
        this.log = log;
    }

    @FXML
    private void initialize() {
        chart = new GapChart(poolChart, 2.5); // samples every second: a longer step is a sample missed, shown as a gap
        javafx.scene.layout.Pane parent = (javafx.scene.layout.Pane) poolChart.getParent();
        parent.getChildren().add(parent.getChildren().indexOf(poolChart) + 1, GapChart.legend("poolLegend", LINES));
        refresh();
        Drain.every(Drain.SAMPLED, poolChart, this::refresh);
    }

    void refresh() {
        MonitorSampler.Sample s = sampler.latest();
        if (s == null || s == shown) {
            return;
        }
        shown = s;
        Database.PoolStats p = s.pool();
        poolActive.setText(String.valueOf(p.active()));
        poolIdle.setText(String.valueOf(p.idle()));
        poolWaiting.setText(String.valueOf(p.waiting()));
        poolTotal.setText(String.valueOf(p.total()));
        poolMax.setText(String.valueOf(p.max()));
        List<GapChart.Point> a = new ArrayList<>();
        List<GapChart.Point> i = new ArrayList<>();
        List<GapChart.Point> w = new ArrayList<>();
        int largest = p.max();
        for (MonitorSampler.Sample h : sampler.history()) {
            double ago = (h.at().toEpochMilli() - s.at().toEpochMilli()) / 1000.0;
            a.add(new GapChart.Point(ago, h.pool().active()));
            i.add(new GapChart.Point(ago, h.pool().idle()));
            w.add(new GapChart.Point(ago, h.pool().waiting()));
            largest = Math.max(largest, Math.max(h.pool().waiting(), h.pool().active() + h.pool().idle()));
        }
        // connections are counted in whole numbers: the axis too (it stepped by 0.25 connection)
        GapChart.wholeNumbers((javafx.scene.chart.NumberAxis) poolChart.getYAxis(), largest, 1);
        chart.show(List.of(new GapChart.Line(LINES[0][0], LINES[0][1], a), new GapChart.Line(LINES[1][0], LINES[1][1], i),
                new GapChart.Line(LINES[2][0], LINES[2][1], w)));
        List<OperationEntry> waits = log.connectionWaits(MAX_WAITS);
        List<String> lines = waits.stream().map(e -> Columns.time(e.record().startedAt()) + "  " + e.record().label() + ": "
                + e.warnings().stream().filter(x -> x.kind() == OperationEntry.WarningKind.CONNECTION_WAIT)
                .map(OperationEntry.Warning::message).findFirst().orElse("")).toList();
        if (!lines.equals(waitList.getItems())) {
            waitList.getItems().setAll(lines);
        }
        boolean warn = !waits.isEmpty();
        poolWarning.setVisible(warn);
        poolWarning.setManaged(warn);
        poolWarning.setText(warn ? waits.size() + (waits.size() == 1 ? " operation" : " operations")
                + " waited for a connection (latest: " + waits.get(0).record().label() + "). See below." : "");
    }
}
