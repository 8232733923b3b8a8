package org.adminconsole.service.inspect;

import java.util.List;
import java.util.Optional;

/**
 * Everything the schema browser shows for one table: columns, primary key, foreign keys, indexes and a row
 * count estimate from the database's statistics ({@code -1} when it has none).
 */
public record TableDetails(TableRef table, List<ColumnInfo> columns, List<String> primaryKey,
                           List<ForeignKey> foreignKeys, List<IndexInfo> indexes, long rowEstimate) {

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
