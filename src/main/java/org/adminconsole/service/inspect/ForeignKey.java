package org.adminconsole.service.inspect;

import java.util.List;

/** A foreign key of a table: its columns and the table and columns they reference. */
public record ForeignKey(String name, List<String> columns, TableRef referenced, List<String> referencedColumns) {

    public String describe() {
        return String.join(", ", columns) + " → " + referenced.displayName() + " (" + String.join(", ", referencedColumns) + ")";
    }
}
