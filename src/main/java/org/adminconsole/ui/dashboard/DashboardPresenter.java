package org.adminconsole.ui.dashboard;

import org.adminconsole.ui.TaskRunner;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.adminconsole.domain.Role;
import org.adminconsole.service.DataChanges;
import org.adminconsole.service.dashboard.DashboardService;
import org.adminconsole.ui.FollowData;

/** The dashboard: totals, users by role, over-quota count and department sizes, loaded in the background. */
public class DashboardPresenter {

    private final TaskRunner runner;
    private final DashboardService dashboard;

    @FXML private Label userCount;
    @FXML private Label activeCount;
    @FXML private Label departmentCount;
    @FXML private Label overQuotaCount;
    @FXML private BarChart<String, Number> roleChart;
    @FXML private TableView<DashboardService.DepartmentSize> departmentTable;
    @FXML private TableColumn<DashboardService.DepartmentSize, String> departmentColumn;
    @FXML private TableColumn<DashboardService.DepartmentSize, Long> membersColumn;

    private final DataChanges changes;
    private boolean counted;

    public DashboardPresenter(TaskRunner runner, DashboardService dashboard, DataChanges changes) {
        this.runner = runner;
        this.dashboard = dashboard;
        this.changes = changes;
    }

    @FXML
    private void initialize() {
        departmentColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        membersColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().members()));
        estimateFirst();
        refresh();
        // every figure follows every commit: this console's, other consoles', and a reconnect
        FollowData.tables(changes, userCount, DashboardService.TABLES, java.time.Duration.ofSeconds(1),
                () -> runner.job("Refreshing dashboard", dashboard::figures).key("dashboard@" + System.identityHashCode(this)).quiet().onSuccess(this::show).start());
    }

    /**
     * The total first as the database's estimate ("≈ 200,000", in milliseconds), then every figure counted; the estimate
     * never replaces counted figures.
     */
    private void estimateFirst() {
        runner.job("Estimating users", dashboard::estimatedUsers).key("dashboard.estimate@" + System.identityHashCode(this)).quiet()
                .onSuccess(n -> {
                    if (n >= 0 && !counted) {
                        userCount.setText(String.format("≈ %,d", n));
                    }
                }).start();
    }

    @FXML
    public void refresh() {
        runner.job("Loading dashboard", dashboard::figures).key("dashboard@" + System.identityHashCode(this)).onSuccess(this::show)
                .onFailure(message -> userCount.setText("—")).start();
    }

    private void show(DashboardService.Figures f) {
        counted = true;
        userCount.setText(String.format("%,d", f.counts().users()));
        activeCount.setText(String.format("%,d", f.counts().activeUsers()));
        departmentCount.setText(String.format("%,d", f.counts().departments()));
        overQuotaCount.setText(String.format("%,d", f.overQuota()));
        XYChart.Series<String, Number> series = new XYChart.Series<>();
        for (Role r : Role.values()) {
            series.getData().add(new XYChart.Data<>(r.name(), f.usersByRole().getOrDefault(r, 0L)));
        }
        roleChart.getData().setAll(java.util.List.of(series));
        departmentTable.getItems().setAll(f.departments());
    }
}
