package org.adminconsole.ui.monitor;

import java.util.ArrayList;
import java.util.List;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
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
    private final XYChart.Series<Number, Number> active = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> idle = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> waiting = new XYChart.Series<>();
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
        active.setName("active");
        idle.setName("idle");
        waiting.setName("waiting");
        poolChart.getData().setAll(List.of(active, idle, waiting));
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
        List<XYChart.Data<Number, Number>> a = new ArrayList<>();
        List<XYChart.Data<Number, Number>> i = new ArrayList<>();
        List<XYChart.Data<Number, Number>> w = new ArrayList<>();
        for (MonitorSampler.Sample h : sampler.history()) {
            double ago = (h.at().toEpochMilli() - s.at().toEpochMilli()) / 1000.0;
            a.add(new XYChart.Data<>(ago, h.pool().active()));
            i.add(new XYChart.Data<>(ago, h.pool().idle()));
            w.add(new XYChart.Data<>(ago, h.pool().waiting()));
        }
        active.getData().setAll(a);
        idle.getData().setAll(i);
        waiting.getData().setAll(w);
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
