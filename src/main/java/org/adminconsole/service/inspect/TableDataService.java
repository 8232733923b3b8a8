package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.persistence.TxOptions;

/**
 * Pages through any table with plain JDBC in read-only transactions: keyset paging where the order ends in
 * the primary key over non-null columns (a deep page costs the same as the first), offset paging otherwise.
 * Filters are parsed for their column type first (a bad value never reaches the database) and bound as
 * parameters.
 */
public final class TableDataService {

    public static final List<Integer> PAGE_SIZES = List.of(50, 100, 200, 500);

    private final Transactions tx;

    public TableDataService(Transactions tx) {
        this.tx = tx;
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
        return tx.execute(TxOptions.read("inspect.filteredCount").timeout(tx.longTimeout()), s -> s.doReturningWork(c -> {
            TableSql.Sql sql = new TableSql(query, Identifiers.of(c)).count();
            try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw Inspection.cancelledOr(e);
            }
        }));
    }

    /** Loads one page: keyset after {@code afterKey}, or offset {@code offset}. */
    /**
     * One page straight from a position: after the order key {@code afterKey} with keyset paging (null: from
     * the start), or at row {@code offset} with offset paging. Which one applies is decided as for
     * {@link #browse} (see {@link Page#mode()}); the other argument is ignored.
     */
    public Page page(TableQuery query, int pageSize, List<Object> afterKey, long offset) {
        validate(query);
        return load(query, pageSize, (int) Math.min(Integer.MAX_VALUE, offset / pageSize + 1), afterKey, offset).page();
    }

    /** A loaded page and the order key of its last row (where the next keyset page starts). */
    record Loaded(Page page, List<Object> lastKey) {
    }

    Loaded load(TableQuery query, int pageSize, int number, List<Object> afterKey, long offset) {
        return tx.read("inspect.page", s -> s.doReturningWork(c -> {
            TableSql ts = new TableSql(query, Identifiers.of(c));
            TableSql.Sql sql = ts.keyset ? ts.keysetPage(afterKey, pageSize + 1) : ts.offsetPage(offset, pageSize + 1);
            List<ColumnInfo> cols = query.table().columns();
            int[] keyIdx = indexes(query.table(), query.table().primaryKey());
            int[] orderIdx = indexes(query.table(), ts.orderColumns);
            List<List<Object>> rows = new ArrayList<>();
            List<List<Object>> keys = new ArrayList<>();
            List<Object> lastOrderKey = null;
            try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
                boolean hasNext = false;
                while (rs.next()) {
                    if (rows.size() == pageSize) {
                        hasNext = true;
                        break;
                    }
                    List<Object> row = new ArrayList<>(cols.size());
                    for (int i = 0; i < cols.size(); i++) {
                        row.add(CellFormat.readForDisplay(rs, i + 1, cols.get(i).jdbcType()));
                    }
                    rows.add(java.util.Collections.unmodifiableList(row));
                    keys.add(rawValues(rs, keyIdx));
                    lastOrderKey = ts.keyset ? rawValues(rs, orderIdx) : null;
                }
                return new Loaded(new Page(query.table().columnNames(), List.copyOf(rows), List.copyOf(keys), number,
                        offset + 1, hasNext, ts.keyset ? Page.PagingMode.KEYSET : Page.PagingMode.OFFSET, ts.modeReason),
                        lastOrderKey);
            }
        }));
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

    /** The full text of one cell (text, or hex for binary), looked up by the row's primary key. */
    public String fullValue(TableDetails table, List<Object> key, String column) {
        if (!table.hasPrimaryKey()) {
            throw new InspectionException("The table " + table.table().displayName()
                    + " has no primary key, so the full value of one cell cannot be looked up.");
        }
        return tx.read("inspect.fullValue", s -> s.doReturningWork(c -> {
            TableSql.Sql sql = new TableSql(TableQuery.of(table), Identifiers.of(c)).valueByKey(column, key);
            try (PreparedStatement ps = prepare(c, sql); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new InspectionException("The row is gone (deleted meanwhile). Reload the page.");
                }
                return CellFormat.text(rs.getObject(1));
            }
        }));
    }
}
