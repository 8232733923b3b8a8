package org.adminconsole.ui.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.adminconsole.cache.NamedValues;
import org.adminconsole.cache.UserCache;
import org.adminconsole.service.monitor.CacheStatsService;
import org.adminconsole.service.monitor.MonitorSampler;
import org.adminconsole.ui.TaskRunner;

/**
 * Caches: second-level regions with hits, misses, puts and hit ratio; the user cache; evictions; a chart
 * of hit ratios over the last minutes. Refreshed every second from the sampler's latest sample.
 */
public class CachesPresenter {

    private final CacheStatsService caches;
    private final MonitorSampler sampler;
    private final TaskRunner runner;
    static final String L2_COLOUR = "#1e88e5";
    static final String USER_COLOUR = "#43a047";
    private GapChart hitRatios;
    private MonitorSampler.Sample shown;

    @FXML private TableView<CacheStatsService.RegionStats> regionsTable;
    @FXML private TableColumn<CacheStatsService.RegionStats, String> regionColumn;
    @FXML private TableColumn<CacheStatsService.RegionStats, String> kindColumn;
    @FXML private TableColumn<CacheStatsService.RegionStats, Long> hitsColumn;
    @FXML private TableColumn<CacheStatsService.RegionStats, Long> missesColumn;
    @FXML private TableColumn<CacheStatsService.RegionStats, Long> putsColumn;
    @FXML private TableColumn<CacheStatsService.RegionStats, String> ratioColumn;
    @FXML private TableColumn<CacheStatsService.RegionStats, String> inMemoryColumn;
    @FXML private Button evictRegionButton;
    @FXML private ComboBox<String> entityTypeChoice;
    @FXML private Button evictEntityButton;
    @FXML private Button evictAllButton;
    @FXML private Label cacheMessage;
    @FXML private Label userHits;
    @FXML private Label userMisses;
    @FXML private Label userSize;
    @FXML private Label userRatio;
    @FXML private Label userDropped;
    @FXML private Label userStale;
    @FXML private LineChart<Number, Number> hitRatioChart;

    @FXML private TableView<NamedValues.ValueStats> namedTable;
    @FXML private TableColumn<NamedValues.ValueStats, String> namedNameColumn;
    @FXML private TableColumn<NamedValues.ValueStats, String> namedPolicyColumn;
    @FXML private TableColumn<NamedValues.ValueStats, Long> namedHitsColumn;
    @FXML private TableColumn<NamedValues.ValueStats, Long> namedMissesColumn;
    @FXML private TableColumn<NamedValues.ValueStats, Long> namedInvalidationsColumn;
    @FXML private TableColumn<NamedValues.ValueStats, Long> namedEntriesColumn;

    public CachesPresenter(CacheStatsService caches, MonitorSampler sampler, TaskRunner runner) {
        this.caches = caches;
        this.sampler = sampler;
        this.runner = runner;
    }

    @FXML
    private void initialize() {
        Columns.bind(regionColumn, CacheStatsService.RegionStats::name);
        Columns.bind(kindColumn, r -> r.kind().label());
        Columns.bind(hitsColumn, CacheStatsService.RegionStats::hits);
        Columns.bind(missesColumn, CacheStatsService.RegionStats::misses);
        Columns.bind(putsColumn, CacheStatsService.RegionStats::puts);
        Columns.bind(ratioColumn, r -> Columns.percent(r.hitRatio()));
        Columns.bind(inMemoryColumn, r -> r.elementsInMemory() == null ? "n/a" : String.valueOf(r.elementsInMemory()));
        Columns.bind(namedNameColumn, NamedValues.ValueStats::name);
        Columns.bind(namedPolicyColumn, NamedValues.ValueStats::policy);
        Columns.bind(namedHitsColumn, NamedValues.ValueStats::hits);
        Columns.bind(namedMissesColumn, NamedValues.ValueStats::misses);
        Columns.bind(namedInvalidationsColumn, NamedValues.ValueStats::invalidations);
        Columns.bind(namedEntriesColumn, NamedValues.ValueStats::entries);
        evictRegionButton.disableProperty().bind(regionsTable.getSelectionModel().selectedItemProperty().isNull());
        evictEntityButton.disableProperty().bind(entityTypeChoice.valueProperty().isNull());
        entityTypeChoice.setItems(FXCollections.observableArrayList(caches.entityTypes()));
        // a second without lookups has no ratio: a gap, never a line drawn across it (1.5 s: one sample missed is a gap)
        hitRatios = new GapChart(hitRatioChart, 1.5);
        javafx.scene.layout.Pane parent = (javafx.scene.layout.Pane) hitRatioChart.getParent();
        parent.getChildren().add(parent.getChildren().indexOf(hitRatioChart) + 1, GapChart.legend("hitRatioLegend",
                new String[][] {{"second-level cache", L2_COLOUR}, {"user cache", USER_COLOUR}}));
        refresh();
        Drain.every(Drain.SAMPLED, regionsTable, this::refresh);
    }

    /** Shows the sampler's latest sample (taken on its own thread) if it is new. */
    void refresh() {
        MonitorSampler.Sample s = sampler.latest();
        if (s == null || s == shown) {
            return;
        }
        shown = s;
        CacheStatsService.RegionStats selected = regionsTable.getSelectionModel().getSelectedItem();
        if (!regionsTable.getItems().equals(s.caches().regions())) { // unchanged figures: no relayout of the table
            regionsTable.getItems().setAll(s.caches().regions());
        }
        if (selected != null && regionsTable.getSelectionModel().getSelectedItem() != selected) {
            regionsTable.getItems().stream().filter(r -> r.name().equals(selected.name())).findFirst()
                    .ifPresent(r -> regionsTable.getSelectionModel().select(r));
        }
        if (!namedTable.getItems().equals(s.caches().namedValues().values())) {
            namedTable.getItems().setAll(s.caches().namedValues().values());
        }
        UserCache.Stats u = s.caches().userCache();
        userHits.setText(String.valueOf(u.hits()));
        userMisses.setText(String.valueOf(u.misses()));
        userDropped.setText(String.valueOf(u.droppedPuts()));
        userStale.setText(String.valueOf(u.staleLoads()));
        userSize.setText(String.valueOf(u.size()));
        userRatio.setText(u.hits() + u.misses() == 0 ? "–" : Columns.percent(u.hitRatio()));
        List<GapChart.Point> l2 = new ArrayList<>();
        List<GapChart.Point> user = new ArrayList<>();
        Instant now = s.at();
        for (MonitorSampler.RatioPoint p : sampler.hitRatios()) {
            double ago = (p.at().toEpochMilli() - now.toEpochMilli()) / 1000.0;
            l2.add(new GapChart.Point(ago, p.l2HitRatio() * 100)); // NaN (no lookups) stays NaN: a gap
            user.add(new GapChart.Point(ago, p.userCacheHitRatio() * 100));
        }
        hitRatios.show(List.of(new GapChart.Line("second-level cache", L2_COLOUR, l2), new GapChart.Line("user cache", USER_COLOUR, user)));
    }

    /** Runs of the hit-ratio line {@code i} (0: second-level cache, 1: user cache) now shown: gaps + 1. */
    int hitRatioRuns(int i) {
        return hitRatios.runsShown(i);
    }

    @FXML
    void evictRegion() {
        CacheStatsService.RegionStats r = regionsTable.getSelectionModel().getSelectedItem();
        if (r != null) {
            evict("Evicting region " + r.name(), () -> caches.evictRegion(r.name()), "Evicted region " + r.name() + ".");
        }
    }

    @FXML
    void evictEntityType() {
        String type = entityTypeChoice.getValue();
        if (type != null) {
            evict("Evicting " + type, () -> caches.evictEntityType(type), "Evicted entity type " + type + " (entities, natural ids, collections).");
        }
    }

    @FXML
    void evictAll() {
        evict("Evicting all caches", caches::evictAll, "Evicted every second-level region and the user cache.");
    }

    private void evict(String description, Runnable eviction, String done) {
        runner.run(description, () -> {
            eviction.run();
            return sampler.sampleNow();
        }, sample -> {
            cacheMessage.getStyleClass().remove("warning");
            cacheMessage.setText(done);
            refresh();
        }, message -> {
            cacheMessage.getStyleClass().add("warning");
            cacheMessage.setText(message);
        });
    }
}
