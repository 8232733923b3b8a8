package org.adminconsole.ui;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.SnapshotParameters;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uses the JavaFX thread while it would only wait for the database: builds, styles, lays out and renders once, off
 * screen, the kinds of controls the first views show (a table with rows, a bar chart, fields, a tab pane) and parses a
 * small FXML document. The first real Dashboard and Users then find their classes loaded, their skins' code compiled
 * and the fonts made: on this project's 2-core machine their first pulse took about a second cold (CSS, skins, fonts,
 * class loading), during which the first rows waited although they had been read.
 *
 * <p>Runs in small steps, one per event, and stops at the first step after {@code done} says the database is open, so it
 * never delays the first data by more than one step. Nothing of it stays: the scene is dropped.
 */
final class Warmup {

    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
    private static final String FXML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <?import javafx.scene.control.*?>
            <?import javafx.scene.layout.*?>
            <BorderPane xmlns:fx="http://javafx.com/fxml">
              <top><HBox spacing="8"><Label text="Search"/><TextField promptText="email or username"/><Button text="Search"/></HBox></top>
              <center><TableView><columns><TableColumn text="Email" prefWidth="200"/></columns></TableView></center>
            </BorderPane>
            """;

    private final BooleanSupplier done;
    private final List<String> stylesheets;
    private final Deque<Runnable> steps = new ArrayDeque<>();
    private final long started = System.nanoTime();
    private Scene scene;
    private final VBox content = new VBox(8);

    private Warmup(BooleanSupplier done, List<String> stylesheets) {
        this.done = done;
        this.stylesheets = stylesheets;
    }

    /** Starts the warm-up on the FX thread; it stops by itself once {@code done} is true. */
    static void start(BooleanSupplier done, List<String> stylesheets) {
        Warmup w = new Warmup(done, stylesheets);
        w.steps.add(w::fxml);
        w.steps.add(w::table);
        w.steps.add(w::chart);
        w.steps.add(w::fields);
        w.steps.add(w::render);
        Platform.runLater(w::next);
    }

    private void next() {
        Runnable step = steps.poll();
        if (step == null || done.getAsBoolean()) {
            LOG.debug("Start-up warm-up {} after {} ms", step == null ? "done" : "stopped (database open)",
                    (System.nanoTime() - started) / 1_000_000);
            scene = null;
            return;
        }
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.debug("Start-up warm-up step failed (harmless): {}", e.toString());
        }
        Platform.runLater(this::next);
    }

    private void fxml() {
        try {
            Parent root = new FXMLLoader().load(new ByteArrayInputStream(FXML.getBytes(StandardCharsets.UTF_8)));
            content.getChildren().add(root);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        scene = new Scene(new TabPane(new Tab("Users", content)), 1200, 760);
        scene.getStylesheets().setAll(stylesheets);
        styled();
    }

    private void table() {
        TableView<String[]> table = new TableView<>();
        for (int c = 0; c < 9; c++) {
            int column = c;
            TableColumn<String[], String> col = new TableColumn<>("Column " + c);
            col.setCellValueFactory(r -> new ReadOnlyStringWrapper(r.getValue()[column]));
            table.getColumns().add(col);
        }
        for (int r = 0; r < 30; r++) {
            String[] row = new String[9];
            for (int c = 0; c < 9; c++) {
                row[c] = "user" + r + "@example.com " + c;
            }
            table.getItems().add(row);
        }
        content.getChildren().add(table);
        styled();
    }

    private void chart() {
        BarChart<String, Number> chart = new BarChart<>(new CategoryAxis(), new NumberAxis());
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        chart.setTitle("Users by role");
        XYChart.Series<String, Number> series = new XYChart.Series<>();
        series.getData().add(new XYChart.Data<>("ADMIN", 10));
        series.getData().add(new XYChart.Data<>("OPERATOR", 20));
        chart.getData().add(series);
        content.getChildren().add(chart);
        styled();
    }

    private void fields() {
        ComboBox<String> combo = new ComboBox<>();
        combo.getItems().addAll("Any role", "ADMIN");
        combo.getSelectionModel().selectFirst();
        HBox row = new HBox(8, new Label("Role"), combo, new CheckBox("Active only"), new Hyperlink("Clear"), new TextField("text"),
                new ProgressIndicator(), new Button("Next"));
        content.getChildren().addAll(row, new FlowPane(new Label("≈ 200,000 users"), new Label("Page 1")), new BorderPane());
        styled();
    }

    private void render() {
        scene.getRoot().snapshot(new SnapshotParameters(), null);
    }

    private void styled() {
        scene.getRoot().applyCss();
        scene.getRoot().layout();
    }
}
