package org.adminconsole.service.inspect;

import java.util.ArrayList;
import java.util.List;
import org.adminconsole.service.ValidationException;

/**
 * Builds the SELECT for a {@link TableQuery}: identifiers quoted from metadata, every filter value a bound
 * parameter (never concatenated), keyset or offset paging. Decides the paging mode: keyset when the order is
 * fully determined by non-null columns ending in the primary key, offset otherwise (with the reason).
 */
final class TableSql {

    /** SQL text and its parameters, in order. */
    record Sql(String text, List<Object> params) {
    }

    final TableQuery query;
    final Identifiers ids;
    final List<String> orderColumns;
    final boolean keyset;
    final String modeReason;
    private final String where;
    private final List<Object> whereParams;

    TableSql(TableQuery query, Identifiers ids) {
        this.query = query;
        this.ids = ids;
        TableDetails t = query.table();
        String sort = query.sortColumn();
        if (sort != null && t.column(sort).isEmpty()) {
            throw new ValidationException("sort", "No column " + sort + " in " + t.table().displayName());
        }
        List<String> order = new ArrayList<>();
        if (!t.hasPrimaryKey()) {
            if (sort != null) {
                order.add(sort);
            }
            keyset = false;
            modeReason = t.table().isView() ? "Offset paging: a view has no primary key (deep pages get slower)."
                    : "Offset paging: the table has no primary key (deep pages get slower).";
        } else if (sort == null || (t.primaryKey().size() == 1 && t.primaryKey().get(0).equals(sort))) {
            order.addAll(t.primaryKey());
            keyset = true;
            modeReason = "Keyset paging by primary key.";
        } else if (!t.column(sort).orElseThrow().nullable()) {
            order.add(sort);
            for (String k : t.primaryKey()) {
                if (!k.equals(sort)) {
                    order.add(k);
                }
            }
            keyset = true;
            modeReason = "Keyset paging by " + sort + " and the primary key.";
        } else {
            order.add(sort);
            order.addAll(t.primaryKey());
            keyset = false;
            modeReason = "Offset paging: " + sort + " may be NULL, so keyset paging cannot be used (deep pages get slower).";
        }
        this.orderColumns = List.copyOf(order);
        List<String> conditions = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (Filter f : query.filters()) {
            ColumnInfo col = t.column(f.column()).orElseThrow(() -> new ValidationException(f.column(), "No column " + f.column()));
            Object value = FilterValues.parse(col, f.op(), f.value());
            String c = ids.quote(col.name());
            String lhs = FilterValues.comparableDirectly(col) ? c : "CAST(" + c + " AS VARCHAR)";
            switch (f.op()) {
                case IS_NULL -> conditions.add(c + " IS NULL");
                case NOT_NULL -> conditions.add(c + " IS NOT NULL");
                case CONTAINS -> {
                    conditions.add("LOWER(" + (col.isCharacter() ? c : "CAST(" + c + " AS VARCHAR)") + ") LIKE ? ESCAPE '\\'");
                    params.add(FilterValues.likeContains((String) value));
                }
                case STARTS_WITH -> {
                    // case as typed, so that an index on a text column can serve the prefix
                    conditions.add((col.isCharacter() ? c : "CAST(" + c + " AS VARCHAR)") + " LIKE ? ESCAPE '\\'");
                    params.add(FilterValues.likePrefix((String) value));
                }
                case IN -> {
                    List<?> values = (List<?>) value;
                    conditions.add(lhs + " IN (" + String.join(", ", java.util.Collections.nCopies(values.size(), "?")) + ")");
                    params.addAll(values);
                }
                case BETWEEN -> {
                    List<?> bounds = (List<?>) value;
                    conditions.add(lhs + " BETWEEN ? AND ?");
                    params.addAll(bounds);
                }
                default -> {
                    conditions.add(lhs + " " + f.op().sql() + " ?");
                    params.add(value);
                }
            }
        }
        this.where = String.join(" AND ", conditions);
        this.whereParams = List.copyOf(params);
    }

    private String selectFrom() {
        StringBuilder sb = new StringBuilder("SELECT ");
        List<String> cols = query.table().columnNames();
        for (int i = 0; i < cols.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(ids.quote(cols.get(i)));
        }
        return sb.append(" FROM ").append(ids.qualified(query.table().table())).toString();
    }

    private String orderBy() {
        return orderBy(query.descending());
    }

    private String orderBy(boolean descending) {
        if (orderColumns.isEmpty()) {
            return "";
        }
        String dir = descending ? " DESC" : " ASC";
        StringBuilder sb = new StringBuilder(" ORDER BY ");
        for (int i = 0; i < orderColumns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(ids.quote(orderColumns.get(i))).append(dir);
        }
        return sb.toString();
    }

    /** Every matching row in order (CSV export). */
    Sql all() {
        return new Sql(selectFrom() + (where.isEmpty() ? "" : " WHERE " + where) + orderBy(), whereParams);
    }

    Sql count() {
        return new Sql("SELECT COUNT(*) FROM " + ids.qualified(query.table().table()) + (where.isEmpty() ? "" : " WHERE " + where), whereParams);
    }

    /** Keyset page: rows after {@code afterKey} (null: from the start), {@code limit} rows. */
    Sql keysetPage(List<Object> afterKey, int limit) {
        List<Object> params = new ArrayList<>(whereParams);
        List<String> conds = new ArrayList<>();
        if (!where.isEmpty()) {
            conds.add(where);
        }
        if (afterKey != null) {
            conds.add(keyCondition(query.descending() ? " < " : " > "));
            params.addAll(afterKey);
        }
        params.add(limit);
        return new Sql(selectFrom() + (conds.isEmpty() ? "" : " WHERE " + String.join(" AND ", conds)) + orderBy()
                + " FETCH FIRST ? ROWS ONLY", params);
    }

    /** The order columns compared with as many parameters: {@code col > ?}, or the row value {@code (a, b) > (?, ?)}. */
    private String keyCondition(String cmp) {
        if (orderColumns.size() == 1) {
            return ids.quote(orderColumns.get(0)) + cmp + "?";
        }
        StringBuilder lhs = new StringBuilder("(");
        StringBuilder rhs = new StringBuilder("(");
        for (int i = 0; i < orderColumns.size(); i++) {
            lhs.append(i == 0 ? "" : ", ").append(ids.quote(orderColumns.get(i)));
            rhs.append(i == 0 ? "?" : ", ?");
        }
        return lhs + ")" + cmp + rhs + ")";
    }

    /**
     * A keyset read in either direction: {@code backward} reads the rows before {@code key} (null: from the end)
     * in reverse order, otherwise the rows after it (null: from the start); {@code skip} rows are passed over
     * first (a jump from a known page), then {@code limit} rows.
     */
    Sql seek(boolean backward, List<Object> key, boolean inclusive, long skip, int limit) {
        boolean desc = query.descending() ^ backward;
        List<Object> params = new ArrayList<>(whereParams);
        List<String> conds = new ArrayList<>();
        if (!where.isEmpty()) {
            conds.add(where);
        }
        if (key != null) {
            conds.add(keyCondition((desc ? " <" : " >") + (inclusive ? "= " : " ")));
            params.addAll(key);
        }
        String paging = " FETCH FIRST ? ROWS ONLY";
        if (skip > 0) {
            paging = " OFFSET ? ROWS" + paging;
            params.add(skip);
        }
        params.add(limit);
        return new Sql(selectFrom() + (conds.isEmpty() ? "" : " WHERE " + String.join(" AND ", conds)) + orderBy(desc)
                + paging, params);
    }

    Sql offsetPage(long offset, int limit) {
        List<Object> params = new ArrayList<>(whereParams);
        params.add(offset);
        params.add(limit);
        return new Sql(selectFrom() + (where.isEmpty() ? "" : " WHERE " + where) + orderBy()
                + " OFFSET ? ROWS FETCH FIRST ? ROWS ONLY", params);
    }

    /** SELECT of one column of the row with the given primary key values. */
    Sql valueByKey(String column, List<Object> key) {
        List<String> pk = query.table().primaryKey();
        StringBuilder sb = new StringBuilder("SELECT ").append(ids.quote(column)).append(" FROM ")
                .append(ids.qualified(query.table().table())).append(" WHERE ");
        for (int i = 0; i < pk.size(); i++) {
            sb.append(i == 0 ? "" : " AND ").append(ids.quote(pk.get(i))).append(" = ?");
        }
        return new Sql(sb.toString(), key);
    }
}
