package org.adminconsole.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.ComboBox;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator arranged, remembered between starts: window size and position, split positions, column widths
 * and order, the last filters and the selected tab. One properties file per operator in the data folder (the layout is a
 * person's, not the machine's), written when the window closes. Each control registers under a key with its defaults
 * (as the FXML made it), so {@link #reset()} puts everything back at once. FX thread only; a file that cannot be read
 * or written is logged and otherwise ignored (a layout is never worth a failed start).
 */
public final class RememberedLayout {

    private static final Logger LOG = LoggerFactory.getLogger(RememberedLayout.class);

    private final Path file;
    private final Properties values = new Properties();
    /** Per key, how to write the control's state into {@link #values} and how to put its defaults back. */
    private final Map<String, Binding> bindings = new LinkedHashMap<>();

    private record Binding(Runnable record, Runnable restoreDefaults) {
    }

    private RememberedLayout(Path file) {
        this.file = file;
        if (file != null && Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                values.load(in);
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("The remembered layout {} could not be read; starting with the default layout: {}", file, e.toString());
                values.clear();
            }
        }
    }

    /** The layout of {@code operator} in {@code dataDir} ({@code layout-<operator>.properties}). */
    public static RememberedLayout of(Path dataDir, String operator) {
        String who = operator == null || operator.isBlank() ? "default" : operator.replaceAll("[^A-Za-z0-9._-]", "_");
        return new RememberedLayout(dataDir.resolve("layout-" + who + ".properties"));
    }

    /** A layout kept for this run only (no data folder: the settings could not be read). */
    public static RememberedLayout inMemory() {
        return new RememberedLayout(null);
    }

    public Path file() {
        return file;
    }

    /** The style class that marks a filter field or choice to remember (tables and tab panes need only an id). */
    public static final String REMEMBERED = "remembered";

    /**
     * Registers everything under {@code root} that has an id: tables and tab panes, and the fields and
     * choices marked {@link #REMEMBERED}; keys are {@code prefix.id}. Walks split items, tab contents and scroll
     * contents too, so it works before the view has a skin.
     */
    public void remember(String prefix, javafx.scene.Node root) {
        java.util.ArrayDeque<javafx.scene.Node> todo = new java.util.ArrayDeque<>(List.of(root));
        java.util.Set<javafx.scene.Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!todo.isEmpty()) {
            javafx.scene.Node n = todo.pop();
            if (!seen.add(n)) {
                continue;
            }
            String key = n.getId() == null ? null : prefix + "." + n.getId();
            if (n instanceof SplitPane sp) {
                if (key != null) {
                    split(key, sp);
                }
                todo.addAll(sp.getItems());
            } else if (n instanceof TabPane tp) {
                if (key != null) {
                    tabs(key, tp);
                }
                tp.getTabs().stream().map(javafx.scene.control.Tab::getContent).filter(java.util.Objects::nonNull).forEach(todo::add);
            } else if (n instanceof javafx.scene.control.ScrollPane sc && sc.getContent() != null) {
                todo.add(sc.getContent());
            } else if (n instanceof TableView<?> tv && key != null) {
                table(key, tv);
            } else if (key != null && n.getStyleClass().contains(REMEMBERED) && n instanceof TextInputControl t) {
                text(key, t);
            } else if (key != null && n.getStyleClass().contains(REMEMBERED) && n instanceof ComboBox<?> c) {
                choice(key, c);
            } else if (key != null && n.getStyleClass().contains(REMEMBERED) && n instanceof javafx.scene.control.CheckBox box) {
                check(key, box);
            }
            if (n instanceof javafx.scene.Parent p && !(n instanceof TableView<?>)) {
                todo.addAll(p.getChildrenUnmodifiable());
            }
        }
    }

    /** Size, position and maximised state; a remembered position off every screen (a monitor gone) is not used. */
    public void stage(String key, Stage stage) {
        double w0 = stage.getWidth();
        double h0 = stage.getHeight();
        double[] xywh = numbers(key + ".bounds", 4);
        if (xywh != null && xywh[2] >= 200 && xywh[3] >= 150
                && !Screen.getScreensForRectangle(new Rectangle2D(xywh[0], xywh[1], xywh[2], xywh[3])).isEmpty()) {
            stage.setX(xywh[0]);
            stage.setY(xywh[1]);
            stage.setWidth(xywh[2]);
            stage.setHeight(xywh[3]);
        }
        stage.setMaximized(Boolean.parseBoolean(values.getProperty(key + ".maximized", "false")));
        bind(key, () -> {
            if (!stage.isMaximized()) {
                values.setProperty(key + ".bounds", join(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight()));
            }
            values.setProperty(key + ".maximized", String.valueOf(stage.isMaximized()));
        }, () -> {
            stage.setMaximized(false);
            if (!Double.isNaN(w0) && !Double.isNaN(h0)) {
                stage.setWidth(w0);
                stage.setHeight(h0);
            }
            stage.centerOnScreen();
        });
    }

    /**
     * Divider positions. A SplitPane lays out several times while its window opens or its tab is first shown, and
     * its skin moves the dividers in those layouts. So the remembered positions are set again after each size change
     * (in the next pulse, once the skin's own layout is done) until the operator presses on a divider.
     */
    public void split(String key, SplitPane pane) {
        double[] defaults = pane.getDividerPositions();
        double[] saved = numbers(key + ".dividers", defaults.length);
        boolean[] settled = {saved == null || !Arrays.stream(saved).allMatch(p -> p > 0 && p < 1)};
        if (!settled[0]) {
            Runnable apply = () -> javafx.application.Platform.runLater(() -> {
                if (!settled[0]) {
                    pane.setDividerPositions(saved);
                }
            });
            pane.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> settled[0] = true);
            pane.widthProperty().addListener(o -> apply.run());
            pane.heightProperty().addListener(o -> apply.run());
            pane.setDividerPositions(saved);
        }
        bind(key, () -> values.setProperty(key + ".dividers", join(pane.getDividerPositions())), () -> {
            settled[0] = true;
            pane.setDividerPositions(defaults);
        });
    }

    /** Column order and widths, by column id (columns without an id are left alone). */
    public <S> void table(String key, TableView<S> table) {
        List<TableColumn<S, ?>> defaults = new ArrayList<>(table.getColumns());
        Map<String, Double> defaultWidths = new LinkedHashMap<>();
        defaults.forEach(c -> defaultWidths.put(c.getId(), c.getPrefWidth()));
        String order = values.getProperty(key + ".columns");
        if (order != null) {
            List<TableColumn<S, ?>> arranged = new ArrayList<>();
            for (String entry : order.split(",")) {
                String[] idWidth = entry.split(":");
                defaults.stream().filter(c -> idWidth[0].equals(c.getId()) && !arranged.contains(c)).findFirst().ifPresent(c -> {
                    arranged.add(c);
                    if (idWidth.length == 2) {
                        try {
                            double w = Double.parseDouble(idWidth[1]);
                            if (w >= 10 && w <= 5000) {
                                c.setPrefWidth(w);
                            }
                        } catch (NumberFormatException ignored) {
                            // a hand-edited file: the FXML width stays
                        }
                    }
                });
            }
            defaults.stream().filter(c -> !arranged.contains(c)).forEach(arranged::add); // columns added since
            table.getColumns().setAll(arranged);
        }
        bind(key, () -> {
            StringBuilder sb = new StringBuilder();
            for (TableColumn<S, ?> c : table.getColumns()) {
                if (c.getId() != null) {
                    sb.append(sb.isEmpty() ? "" : ",").append(c.getId()).append(':').append(Math.round(c.getWidth()));
                }
            }
            values.setProperty(key + ".columns", sb.toString());
        }, () -> {
            defaults.forEach(c -> c.setPrefWidth(defaultWidths.get(c.getId())));
            table.getColumns().setAll(defaults);
        });
    }

    /** The selected tab, by tab id. */
    public void tabs(String key, TabPane tabs) {
        int defaultIndex = tabs.getSelectionModel().getSelectedIndex();
        String id = values.getProperty(key + ".selected");
        if (id != null) {
            tabs.getTabs().stream().filter(t -> id.equals(t.getId()) && !t.isDisabled()).findFirst()
                    .ifPresent(t -> tabs.getSelectionModel().select(t));
        }
        bind(key, () -> {
            var t = tabs.getSelectionModel().getSelectedItem();
            if (t != null && t.getId() != null) {
                values.setProperty(key + ".selected", t.getId());
            }
        }, () -> tabs.getSelectionModel().select(Math.max(0, defaultIndex)));
    }

    /** A filter's text. */
    public void text(String key, TextInputControl field) {
        String defaults = field.getText();
        String saved = values.getProperty(key + ".text");
        if (saved != null) {
            field.setText(saved);
        }
        bind(key, () -> values.setProperty(key + ".text", field.getText() == null ? "" : field.getText()),
                () -> field.setText(defaults));
    }

    /** A filter's choice, by its text (a choice no longer offered is not restored). */
    public <T> void choice(String key, ComboBox<T> box) {
        T defaults = box.getValue();
        String saved = values.getProperty(key + ".choice");
        if (saved != null) {
            box.getItems().stream().filter(v -> String.valueOf(v).equals(saved)).findFirst().ifPresent(box::setValue);
        }
        bind(key, () -> {
            if (box.getValue() != null) {
                values.setProperty(key + ".choice", String.valueOf(box.getValue()));
            } else {
                values.remove(key + ".choice");
            }
        }, () -> box.setValue(defaults));
    }

    /** A filter's check box. */
    public void check(String key, javafx.scene.control.CheckBox box) {
        boolean defaults = box.isSelected();
        String saved = values.getProperty(key + ".checked");
        if (saved != null) {
            box.setSelected(Boolean.parseBoolean(saved));
        }
        bind(key, () -> values.setProperty(key + ".checked", String.valueOf(box.isSelected())), () -> box.setSelected(defaults));
    }

    private void bind(String key, Runnable record, Runnable restoreDefaults) {
        bindings.put(key, new Binding(record, restoreDefaults));
    }

    /** Writes what every registered control shows now (when the window closes). */
    public void save() {
        bindings.values().forEach(b -> b.record().run());
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                values.store(out, "Admin Console layout (window, splits, columns, filters, tab); Reset layout deletes it");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("The layout could not be saved to {}: {}", file, e.toString());
        }
    }

    /** Puts every registered control back as the FXML made it and forgets the remembered layout. */
    public void reset() {
        bindings.values().forEach(b -> b.restoreDefaults().run());
        values.clear();
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("The remembered layout {} could not be deleted: {}", file, e.toString());
        }
    }

    private double[] numbers(String key, int n) {
        String v = values.getProperty(key);
        if (v == null) {
            return null;
        }
        try {
            double[] out = Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble).toArray();
            return out.length == n && Arrays.stream(out).allMatch(Double::isFinite) ? out : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String join(double... v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.isEmpty() ? "" : ",").append(d);
        }
        return sb.toString();
    }
}
