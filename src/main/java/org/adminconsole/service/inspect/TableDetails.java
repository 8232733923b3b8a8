package org.adminconsole.service.inspect;

import java.util.List;
import java.util.Optional;

/**
 * Everything the schema browser shows for one table: columns, primary key, foreign keys, indexes, a row
 * count estimate from the database's statistics ({@code -1} when it has none) and the foreign keys of other
 * tables that reference it.
 */
public record TableDetails(TableRef table, List<ColumnInfo> columns, List<String> primaryKey,
                           List<ForeignKey> foreignKeys, List<IndexInfo> indexes, long rowEstimate,
                           List<IncomingKey> referencedBy) {

    public TableDetails(TableRef table, List<ColumnInfo> columns, List<String> primaryKey, List<ForeignKey> foreignKeys,
                        List<IndexInfo> indexes, long rowEstimate) {
        this(table, columns, primaryKey, foreignKeys, indexes, rowEstimate, List.of());
    }

    /** The foreign key a column is the (single) first column of, if any. */
    public Optional<ForeignKey> foreignKeyOf(String column) {
        return foreignKeys.stream().filter(f -> f.columns().contains(column)).findFirst();
    }

    public Optional<ColumnInfo> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public boolean hasPrimaryKey() {
        return !primaryKey.isEmpty();
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnInfo::name).toList();
    }
}
