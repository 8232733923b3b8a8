package org.adminconsole.service.inspect;

import java.util.List;

/** A foreign key of a table: its columns and the table and columns they reference. */
public record ForeignKey(String name, List<String> columns, TableRef referenced, List<String> referencedColumns) {

    /**
     * The filters that open the row this foreign key of {@code table}'s row points at (referenced column = value,
     * as text); empty when a value is NULL (the row references nothing).
     */
    public List<Filter> filtersFor(TableDetails table, List<Object> row) {
        java.util.List<Filter> out = new java.util.ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            int idx = table.columnNames().indexOf(columns.get(i));
            Object v = idx < 0 ? null : row.get(idx);
            if (v == null) {
                return List.of();
            }
            out.add(new Filter(referencedColumns.get(i), Filter.Op.EQUALS, CellFormat.display(v)));
        }
        return List.copyOf(out);
    }

    public String describe() {
        return String.join(", ", columns) + " → " + referenced.displayName() + " (" + String.join(", ", referencedColumns) + ")";
    }
}
