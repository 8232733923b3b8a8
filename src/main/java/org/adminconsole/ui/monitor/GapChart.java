package org.adminconsole.ui.monitor;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

import javafx.scene.paint.Color;

/**
 * A line chart that reads true: where there was no data (no lookups in a second, a sample missed) the line has a
 * gap instead of a straight line drawn across it, and a count axis steps by whole numbers. JavaFX draws one path per
 * series, so each line is shown as one series per run of consecutive points, all in the line's colour, with a legend
 * of our own (the chart's would list every run). Series are reused from tick to tick; only their data changes.
 */
final class GapChart {

    /** One line: its name, its colour and its points, oldest first; a NaN value is "no data here". */
    record Line(String name, String colour, List<Point> points) {
    }

    record Point(double x, double y) {
    }

    private final LineChart<Number, Number> chart;
    private final double maxStep;
    private final List<List<XYChart.Series<Number, Number>>> shown = new ArrayList<>();

    /**
     * {@code maxStep}: the longest distance on the x axis between two points of one run; a longer step is a gap
     * (samples missed).
     */
    GapChart(LineChart<Number, Number> chart, double maxStep) {
        this.chart = chart;
        this.maxStep = maxStep;
        chart.setLegendVisible(false);
    }

    /** A legend for {@code lines}' names and colours, to place next to the chart. */
    static HBox legend(String id, String[][] namesAndColours) {
        HBox box = new HBox(16);
        box.setId(id);
        box.setAlignment(Pos.CENTER);
        for (String[] nc : namesAndColours) {
            javafx.scene.shape.Line swatch = new javafx.scene.shape.Line(0, 0, 18, 0);
            swatch.setStroke(Color.web(nc[1]));
            swatch.setStrokeWidth(3);
            Label label = new Label(nc[0], swatch);
            box.getChildren().add(label);
        }
        return box;
    }

    /** Runs of consecutive points: a NaN value or a step longer than {@code maxStep} starts a new run. */
    static List<List<Point>> runs(List<Point> points, double maxStep) {
        List<List<Point>> runs = new ArrayList<>();
        List<Point> run = new ArrayList<>();
        Point last = null;
        for (Point p : points) {
            if (Double.isNaN(p.y())) {
                if (!run.isEmpty()) {
                    runs.add(run);
                    run = new ArrayList<>();
                }
                last = null;
                continue;
            }
            if (last != null && p.x() - last.x() > maxStep && !run.isEmpty()) {
                runs.add(run);
                run = new ArrayList<>();
            }
            run.add(p);
            last = p;
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    /** Shows the lines, one series per run, reusing the series of the last call. */
    void show(List<Line> lines) {
        while (shown.size() < lines.size()) {
            shown.add(new ArrayList<>());
        }
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            List<List<Point>> runs = runs(line.points(), maxStep);
            List<XYChart.Series<Number, Number>> series = shown.get(i);
            while (series.size() > runs.size()) {
                chart.getData().remove(series.remove(series.size() - 1));
            }
            for (int r = 0; r < runs.size(); r++) {
                List<XYChart.Data<Number, Number>> data = new ArrayList<>(runs.get(r).size());
                for (Point p : runs.get(r)) {
                    data.add(new XYChart.Data<>(p.x(), p.y()));
                }
                if (r < series.size()) {
                    series.get(r).getData().setAll(data);
                } else {
                    XYChart.Series<Number, Number> s = new XYChart.Series<>(line.name(), javafx.collections.FXCollections.observableArrayList(data));
                    series.add(s);
                    chart.getData().add(s);
                    s.getNode().setStyle("-fx-stroke: " + line.colour() + ";");
                }
            }
        }
    }

    /** The number of runs shown for line {@code i} (what a test checks for gaps). */
    int runsShown(int i) {
        return i < shown.size() ? shown.get(i).size() : 0;
    }

    /**
     * A count axis that steps by whole numbers: from 0 to the largest value (at least {@code atLeast}), a tick per
     * unit while that stays readable, else per 2, 5, 10…
     */
    static void wholeNumbers(NumberAxis axis, double largest, int atLeast) {
        int top = (int) Math.max(atLeast, Math.ceil(largest));
        int unit = 1;
        int[] steps = {1, 2, 5};
        for (int scale = 1; top / unit > 10; scale *= 10) {
            for (int s : steps) {
                unit = s * scale;
                if (top / unit <= 10) {
                    break;
                }
            }
        }
        top = ((top + unit - 1) / unit) * unit;
        axis.setAutoRanging(false);
        axis.setLowerBound(0);
        axis.setUpperBound(top);
        axis.setTickUnit(unit);
        axis.setMinorTickVisible(false);
        axis.setForceZeroInRange(true);
        axis.setTickLabelFormatter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Number n) {
                return n.doubleValue() == Math.rint(n.doubleValue()) ? String.valueOf(n.longValue()) : "";
            }

            @Override
            public Number fromString(String s) {
                return Integer.valueOf(s);
            }
        });
    }
}
