package org.adminconsole.ui.monitor;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableColumn;

/** Small helpers for read-only table columns and figures. */
final class Columns {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private Columns() {
    }

    static <S, T> void bind(TableColumn<S, T> column, Function<S, T> value) {
        column.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(value.apply(cd.getValue())));
    }

    static String time(Instant at) {
        return TIME.format(at);
    }

    static String millis(double ms) {
        return ms >= 100 ? String.format("%.0f", ms) : String.format("%.2f", ms);
    }

    /** SQL on one line, cut at {@code max} characters: cheap to lay out in a table cell. */
    static String oneLine(String sql, int max) {
        String one = sql.replaceAll("\\s+", " ").trim();
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }

    static String percent(double ratio) {
        return Double.isNaN(ratio) ? "–" : String.format("%.1f %%", ratio * 100);
    }
}
