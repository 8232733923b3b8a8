package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.adminconsole.persistence.Transactions;

/**
 * Pages through any table with plain JDBC in read-only transactions: keyset paging where the order ends in
 * the primary key over non-null columns (a deep page costs the same as the first), offset paging otherwise.
 * Filters are parsed for their column type first (a bad value never reaches the database) and bound as
 * parameters.
 */
public final class TableDataService {

    public static final List<Integer> PAGE_SIZES = List.of(50, 100, 200, 500);

    /** Above this estimated row count the page total is the database's estimate (see {@link #rowCount}). */
    public static final long EXACT_COUNT_LIMIT = 200_000;

    private final InspectSource tx;
    private final long exactCountLimit;

    public TableDataService(Transactions tx) {
        this(tx, EXACT_COUNT_LIMIT);
    }

    /** With another limit for exact page totals (tests use a small one to see estimates). */
    public TableDataService(Transactions tx, long exactCountLimit) {
        this(InspectSource.console(null, tx), exactCountLimit);
    }

    /** Reading from {@code source}: the console's database or an opened connection profile. */
    public TableDataService(InspectSource source, long exactCountLimit) {
        this.tx = source;
        this.exactCountLimit = exactCountLimit;
    }

    /**
     * Checks the query (filter values parse for their columns, the sort column exists) without touching the
     * database; throws {@link org.adminconsole.service.ValidationException} keyed by column otherwise.
     */
    public void validate(TableQuery query) {
        new TableSql(query, new Identifiers("\""));
    }

    /** A browser over the query's rows, positioned before its first page. Validates the query first. */
    public TableBrowser browse(TableQuery query, int pageSize) {
        validate(query);
        if (pageSize < 1 || pageSize > 10_000) {
            throw new IllegalArgumentException("page size " + pageSize);
        }
        return new TableBrowser(this, query, pageSize);
    }

    /** The number of rows matching the query's filters. */
    public long count(TableQuery query) {
        return tx.read("inspect.filteredCount", tx.longTimeout(), c -> {
            TableSql.Sql sql = new TableSql(query, Identifiers.of(c)).count();
            try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw Inspection.cancelledOr(e);
            }
        });
    }

    /**
     * One page straight from a position: after the order key {@code afterKey} with keyset paging (null: from
     * the start), or at row {@code offset} with offset paging. Which one applies is decided as for
     * {@link #browse} (see {@link Page#mode()}); the other argument is ignored.
     */
    public Page page(TableQuery query, int pageSize, List<Object> afterKey, long offset) {
        validate(query);
        int number = (int) Math.min(Integer.MAX_VALUE, offset / pageSize + 1);
        return load(query, pageSize, number, offset + 1, true, false, afterKey, 0, pageSize).page();
    }

    /**
     * How many rows the query matches: counted exactly when that is cheap (the table's estimate is at most
     * {@link #exactCountLimit()} rows, or - for a filtered query on a larger table, a view or a table without an
     * estimate - the count finishes within a few seconds), otherwise the database's estimate (no filters) or
     * unknown.
     */
    public RowCount rowCount(TableQuery query) {
        validate(query);
        long estimate = query.table().rowEstimate();
        if (estimate > exactCountLimit || estimate < 0) {
            // a large table, or no estimate at all (a view, a table never analyzed): count only if it is quick
            if (query.filters().isEmpty() && estimate >= 0) {
                return RowCount.estimate(estimate, "a large table: the database's estimate");
            }
            try {
                return RowCount.exact(count(query, java.time.Duration.ofSeconds(FILTERED_COUNT_SECONDS)));
            } catch (org.adminconsole.support.CancelledException e) {
                throw e;
            } catch (RuntimeException e) {
                return RowCount.unknown("counting the matching rows took longer than " + FILTERED_COUNT_SECONDS + " s");
            }
        }
        return RowCount.exact(count(query));
    }

    /** Tables with more rows than this (by the database's estimate) are not counted exactly for the page total. */
    public long exactCountLimit() {
        return exactCountLimit;
    }

    private static final int FILTERED_COUNT_SECONDS = 3;

    private long count(TableQuery query, java.time.Duration timeout) {
        return tx.read("inspect.filteredCount", timeout, c -> {
            TableSql.Sql sql = new TableSql(query, Identifiers.of(c)).count();
            try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw Inspection.cancelledOr(e);
            }
        });
    }

    /** A loaded page and the order keys of its first and last rows (where the neighbouring keyset pages start). */
    record Loaded(Page page, List<Object> firstKey, List<Object> lastKey) {
    }

    /**
     * Reads one page. Keyset paging: {@code limit} rows after {@code key} (before it, read in reverse, when
     * {@code backward}; null: from the start / the end), skipping {@code skip} rows first. Offset paging: the rows
     * from {@code firstRow} on. {@code number}, {@code firstRow} and {@code exact} only label the page.
     */
    Loaded load(TableQuery query, int pageSize, int number, long firstRow, boolean exact, boolean backward,
                List<Object> key, long skip, int limit) {
        return load(query, pageSize, number, firstRow, exact, backward, key, skip, limit, false);
    }

    /** As above; {@code inclusive}: the row at {@code key} itself is part of the page (reloading a page). */
    Loaded load(TableQuery query, int pageSize, int number, long firstRow, boolean exact, boolean backward,
                List<Object> key, long skip, int limit, boolean inclusive) {
        return tx.read("inspect.page", null, c -> {
            TableSql ts = new TableSql(query, Identifiers.of(c));
            boolean back = ts.keyset && backward;
            TableSql.Sql sql = ts.keyset ? ts.seek(backward, key, inclusive, skip, limit + 1) : ts.offsetPage(Math.max(0, firstRow - 1), limit + 1);
            List<ColumnInfo> cols = query.table().columns();
            int[] keyIdx = indexes(query.table(), query.table().primaryKey());
            int[] orderIdx = indexes(query.table(), ts.orderColumns);
            List<List<Object>> rows = new ArrayList<>();
            List<List<Object>> keys = new ArrayList<>();
            List<List<Object>> orderKeys = new ArrayList<>();
            boolean more = false;
            try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rows.size() == limit) {
                        more = true;
                        break;
                    }
                    List<Object> row = new ArrayList<>(cols.size());
                    for (int i = 0; i < cols.size(); i++) {
                        row.add(CellFormat.readForDisplay(rs, i + 1, cols.get(i).jdbcType()));
                    }
                    rows.add(java.util.Collections.unmodifiableList(row));
                    keys.add(rawValues(rs, keyIdx));
                    orderKeys.add(ts.keyset ? rawValues(rs, orderIdx) : null);
                }
            }
            if (back) {
                java.util.Collections.reverse(rows);
                java.util.Collections.reverse(keys);
                java.util.Collections.reverse(orderKeys);
            }
            boolean fromBoundary = key != null || skip > 0;
            boolean hasNext = back ? fromBoundary : more;
            boolean hasBefore = !ts.keyset ? firstRow > 1 : back ? more : fromBoundary;
            Page page = new Page(query.table().columnNames(), List.copyOf(rows), List.copyOf(keys), number, firstRow,
                    hasNext, ts.keyset ? Page.PagingMode.KEYSET : Page.PagingMode.OFFSET, ts.modeReason, hasBefore, exact);
            return new Loaded(page, orderKeys.isEmpty() ? null : orderKeys.get(0),
                    orderKeys.isEmpty() ? null : orderKeys.get(orderKeys.size() - 1));
        });
    }

    private static int[] indexes(TableDetails t, List<String> names) {
        List<String> all = t.columnNames();
        return names.stream().mapToInt(n -> all.indexOf(n) + 1).toArray();
    }

    private static List<Object> rawValues(ResultSet rs, int[] idx) throws SQLException {
        List<Object> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(rs.getObject(i));
        }
        return out;
    }

    static PreparedStatement prepare(Connection c, TableSql.Sql sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql.text(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        for (int i = 0; i < sql.params().size(); i++) {
            ps.setObject(i + 1, sql.params().get(i));
        }
        return ps;
    }

    /**
     * For one row of {@code table} (its display values and primary key values), how many rows of each referencing
     * table point at it: one COUNT per foreign key, bound values, in one read-only transaction. A key whose
     * referenced value is NULL (or only shown truncated) counts 0 without a query.
     */
    public List<ReferenceCount> references(TableDetails table, List<Object> row, List<Object> primaryKey) {
        if (table.referencedBy().isEmpty()) {
            return List.of();
        }
        return tx.read("inspect.references", tx.longTimeout(), c -> {
            Identifiers ids = Identifiers.of(c);
            List<ReferenceCount> out = new ArrayList<>();
            for (IncomingKey k : table.referencedBy()) {
                List<Object> values = new ArrayList<>();
                for (String col : k.toColumns()) {
                    int pk = table.primaryKey().indexOf(col);
                    int idx = table.columnNames().indexOf(col);
                    Object v = pk >= 0 && pk < primaryKey.size() ? primaryKey.get(pk) : idx >= 0 ? row.get(idx) : null;
                    values.add(v instanceof TruncatedValue ? null : v);
                }
                if (values.contains(null)) {
                    out.add(new ReferenceCount(k, values, 0));
                    continue;
                }
                StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM ").append(ids.qualified(k.from())).append(" WHERE ");
                for (int i = 0; i < k.fromColumns().size(); i++) {
                    sql.append(i == 0 ? "" : " AND ").append(ids.quote(k.fromColumns().get(i))).append(" = ?");
                }
                try (PreparedStatement ps = prepare(c, new TableSql.Sql(sql.toString(), values)); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    out.add(new ReferenceCount(k, List.copyOf(values), rs.getLong(1)));
                } catch (SQLException e) {
                    throw Inspection.cancelledOr(e);
                }
            }
            return List.copyOf(out);
        });
    }

    /** The full text of one cell (text, or hex for binary), looked up by the row's primary key. */
    public String fullValue(TableDetails table, List<Object> key, String column) {
        if (!table.hasPrimaryKey()) {
            throw new InspectionException("The table " + table.table().displayName()
                    + " has no primary key, so the full value of one cell cannot be looked up.");
        }
        return tx.read("inspect.fullValue", null, c -> {
            TableSql.Sql sql = new TableSql(TableQuery.of(table), Identifiers.of(c)).valueByKey(column, key);
            try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new InspectionException("The row is gone (deleted meanwhile). Reload the page.");
                }
                return CellFormat.text(rs.getObject(1));
            }
        });
    }
}
