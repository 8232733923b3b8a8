package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.persistence.Transactions;

/**
 * The schema browser's data, read from JDBC {@link DatabaseMetaData} (any table, no entities): schemas,
 * tables and views, columns, keys, indexes, a row count estimate from the database's statistics (H2:
 * INFORMATION_SCHEMA.TABLES.ROW_COUNT_ESTIMATE, PostgreSQL: pg_class.reltuples) and an exact count on demand.
 */
public final class SchemaService {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SchemaService.class);
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("INFORMATION_SCHEMA", "information_schema", "pg_catalog", "pg_toast");

    private final InspectSource tx;

    public SchemaService(DataSource dataSource, Transactions tx, Dialect dialect) {
        this(InspectSource.console(dataSource, tx));
    }

    /** Reading from {@code source}: the console's database or an opened connection profile. */
    public SchemaService(InspectSource source) {
        this.tx = source;
    }

    /** Every user schema with its tables and views, sorted by name. */
    public List<SchemaNode> schemas() {
        try (Connection c = tx.metadataConnection()) {
            DatabaseMetaData md = c.getMetaData();
            Map<String, List<TableRef>> tables = new TreeMap<>();
            Map<String, List<TableRef>> views = new TreeMap<>();
            try (ResultSet rs = md.getSchemas()) {
                while (rs.next()) {
                    String s = rs.getString("TABLE_SCHEM");
                    if (!isSystemSchema(s)) {
                        tables.put(s, new ArrayList<>());
                        views.put(s, new ArrayList<>());
                    }
                }
            }
            try (ResultSet rs = md.getTables(null, null, "%", null)) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    String type = String.valueOf(rs.getString("TABLE_TYPE")).toUpperCase();
                    if (isSystemSchema(schema) || type.contains("SYSTEM") || type.contains("TEMPORARY")) {
                        continue;
                    }
                    String name = rs.getString("TABLE_NAME");
                    if (type.contains("VIEW")) {
                        views.computeIfAbsent(schema, k -> new ArrayList<>()).add(new TableRef(schema, name, TableRef.Kind.VIEW));
                    } else if (type.contains("TABLE")) {
                        tables.computeIfAbsent(schema, k -> new ArrayList<>()).add(new TableRef(schema, name, TableRef.Kind.TABLE));
                    }
                }
            }
            List<SchemaNode> out = new ArrayList<>();
            Comparator<TableRef> byName = Comparator.comparing(TableRef::name, String.CASE_INSENSITIVE_ORDER);
            Map<String, List<SchemaObject>> objects;
            try {
                objects = new SchemaCatalog(tx.dialect()).objects(c);
            } catch (SQLException e) {
                // the tables and views still show; only the catalog groups are missing
                LOG.warn("Cannot read sequences, triggers and constraints from the catalog: {}", e.getMessage(), e);
                objects = Map.of();
            }
            for (String s : tables.keySet()) {
                List<TableRef> t = tables.get(s);
                List<TableRef> v = views.getOrDefault(s, new ArrayList<>());
                t.sort(byName);
                v.sort(byName);
                List<SchemaObject> o = objects.getOrDefault(s, List.of());
                out.add(new SchemaNode(s, List.copyOf(t), List.copyOf(v), ofKind(o, SchemaObject.Kind.SEQUENCE),
                        ofKind(o, SchemaObject.Kind.TRIGGER),
                        o.stream().filter(x -> x.kind() == SchemaObject.Kind.CHECK || x.kind() == SchemaObject.Kind.UNIQUE).toList()));
            }
            return out;
        } catch (SQLException e) {
            throw new InspectionException("Cannot read the database schema: " + e.getMessage(), e);
        }
    }

    private static List<SchemaObject> ofKind(List<SchemaObject> all, SchemaObject.Kind kind) {
        return all.stream().filter(o -> o.kind() == kind).toList();
    }

    private static boolean isSystemSchema(String s) {
        return s == null || SYSTEM_SCHEMAS.contains(s) || s.startsWith("pg_temp") || s.startsWith("pg_toast");
    }

    /** Finds a table or view by schema and name (exact, as in metadata). */
    public TableRef find(String schema, String name) {
        for (SchemaNode s : schemas()) {
            if (s.name().equals(schema)) {
                for (TableRef t : s.tables()) {
                    if (t.name().equals(name)) {
                        return t;
                    }
                }
                for (TableRef t : s.views()) {
                    if (t.name().equals(name)) {
                        return t;
                    }
                }
            }
        }
        throw new InspectionException("No table or view " + schema + "." + name);
    }

    /** Columns, keys, indexes and the row count estimate of one table or view. */
    public TableDetails details(TableRef t) {
        try (Connection c = tx.metadataConnection()) {
            DatabaseMetaData md = c.getMetaData();
            Map<String, Integer> pk = new LinkedHashMap<>();
            String[] pkByPos = new String[64];
            try (ResultSet rs = md.getPrimaryKeys(null, t.schema(), t.name())) {
                while (rs.next()) {
                    int seq = rs.getInt("KEY_SEQ");
                    pk.put(rs.getString("COLUMN_NAME"), seq);
                    if (seq > 0 && seq < pkByPos.length) {
                        pkByPos[seq] = rs.getString("COLUMN_NAME");
                    }
                }
            }
            List<String> primaryKey = new ArrayList<>();
            for (String s : pkByPos) {
                if (s != null) {
                    primaryKey.add(s);
                }
            }
            String esc = md.getSearchStringEscape();
            List<ColumnInfo> columns = new ArrayList<>();
            try (ResultSet rs = md.getColumns(null, like(t.schema(), esc), like(t.name(), esc), "%")) {
                while (rs.next()) {
                    if (!t.sameObject(rs.getString("TABLE_SCHEM"), rs.getString("TABLE_NAME"))) {
                        continue;
                    }
                    String name = rs.getString("COLUMN_NAME");
                    columns.add(new ColumnInfo(name, rs.getString("TYPE_NAME"), rs.getInt("DATA_TYPE"),
                            rs.getInt("COLUMN_SIZE"), rs.getInt("DECIMAL_DIGITS"),
                            rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls, rs.getString("COLUMN_DEF"),
                            pk.getOrDefault(name, 0)));
                }
            }
            if (columns.isEmpty()) {
                throw new InspectionException("The table " + t.displayName() + " does not exist (any more). Refresh the schema.");
            }
            List<ForeignKey> fks = t.isView() ? List.of() : foreignKeys(md, t);
            List<IndexInfo> indexes = t.isView() ? List.of() : indexes(md, t);
            List<IncomingKey> incoming = t.isView() ? List.of() : incomingKeys(md, t);
            return new TableDetails(t, List.copyOf(columns), List.copyOf(primaryKey), fks, indexes, estimate(c, t), incoming);
        } catch (SQLException e) {
            throw new InspectionException("Cannot read the structure of " + t.displayName() + ": " + e.getMessage(), e);
        }
    }

    private static String like(String s, String esc) {
        if (s == null || esc == null || esc.isEmpty()) {
            return s;
        }
        return s.replace(esc, esc + esc).replace("%", esc + "%").replace("_", esc + "_");
    }

    private static List<ForeignKey> foreignKeys(DatabaseMetaData md, TableRef t) throws SQLException {
        Map<String, List<String[]>> byName = new LinkedHashMap<>();
        Map<String, TableRef> target = new LinkedHashMap<>();
        try (ResultSet rs = md.getImportedKeys(null, t.schema(), t.name())) {
            while (rs.next()) {
                String name = rs.getString("FK_NAME");
                String key = name != null ? name : rs.getString("PKTABLE_NAME") + "#" + rs.getString("FKCOLUMN_NAME");
                byName.computeIfAbsent(key, k -> new ArrayList<>()).add(new String[]{
                        rs.getString("FKCOLUMN_NAME"), rs.getString("PKCOLUMN_NAME"), String.valueOf(rs.getInt("KEY_SEQ"))});
                target.put(key, new TableRef(rs.getString("PKTABLE_SCHEM"), rs.getString("PKTABLE_NAME"), TableRef.Kind.TABLE));
            }
        }
        List<ForeignKey> out = new ArrayList<>();
        byName.forEach((name, cols) -> {
            cols.sort(Comparator.comparingInt(a -> Integer.parseInt(a[2])));
            out.add(new ForeignKey(name, cols.stream().map(a -> a[0]).toList(), target.get(name),
                    cols.stream().map(a -> a[1]).toList()));
        });
        return List.copyOf(out);
    }

    private static List<IncomingKey> incomingKeys(DatabaseMetaData md, TableRef t) throws SQLException {
        Map<String, List<String[]>> byName = new LinkedHashMap<>();
        Map<String, TableRef> source = new LinkedHashMap<>();
        try (ResultSet rs = md.getExportedKeys(null, t.schema(), t.name())) {
            while (rs.next()) {
                String name = rs.getString("FK_NAME");
                String key = rs.getString("FKTABLE_SCHEM") + "." + rs.getString("FKTABLE_NAME") + "#"
                        + (name != null ? name : rs.getString("FKCOLUMN_NAME"));
                byName.computeIfAbsent(key, k -> new ArrayList<>()).add(new String[]{
                        rs.getString("FKCOLUMN_NAME"), rs.getString("PKCOLUMN_NAME"), String.valueOf(rs.getInt("KEY_SEQ")), name});
                source.put(key, new TableRef(rs.getString("FKTABLE_SCHEM"), rs.getString("FKTABLE_NAME"), TableRef.Kind.TABLE));
            }
        }
        List<IncomingKey> out = new ArrayList<>();
        byName.forEach((key, cols) -> {
            cols.sort(Comparator.comparingInt(a -> Integer.parseInt(a[2])));
            out.add(new IncomingKey(cols.get(0)[3], source.get(key), cols.stream().map(a -> a[0]).toList(),
                    cols.stream().map(a -> a[1]).toList()));
        });
        out.sort(Comparator.comparing((IncomingKey k) -> k.from().displayName()).thenComparing(k -> String.join(",", k.fromColumns())));
        return List.copyOf(out);
    }

    /**
     * The DDL of a table or view from the database's own catalog, in a read-only transaction: a view's stored
     * definition (H2: INFORMATION_SCHEMA.VIEWS, PostgreSQL: pg_get_viewdef); a table's columns, constraints,
     * indexes and triggers (PostgreSQL: pg_catalog with pg_get_constraintdef / pg_get_indexdef / pg_get_triggerdef).
     */
    public String ddl(TableDetails d) {
        return tx.read("inspect.ddl", null, c -> {
            try {
                return new SchemaCatalog(tx.dialect()).ddl(c, d);
            } catch (SQLException e) {
                throw new InspectionException("Cannot read the definition of " + d.table().displayName() + ": "
                        + Inspection.firstLine(e.getMessage()), e);
            }
        });
    }

    private static List<IndexInfo> indexes(DatabaseMetaData md, TableRef t) throws SQLException {
        Map<String, List<String[]>> cols = new LinkedHashMap<>();
        Map<String, Boolean> unique = new LinkedHashMap<>();
        try (ResultSet rs = md.getIndexInfo(null, t.schema(), t.name(), false, true)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                String col = rs.getString("COLUMN_NAME");
                if (name == null || col == null) {
                    continue; // table statistics row
                }
                unique.put(name, !rs.getBoolean("NON_UNIQUE"));
                cols.computeIfAbsent(name, k -> new ArrayList<>()).add(new String[]{col, String.valueOf(rs.getInt("ORDINAL_POSITION"))});
            }
        }
        List<IndexInfo> out = new ArrayList<>();
        cols.forEach((name, c) -> {
            c.sort(Comparator.comparingInt(a -> Integer.parseInt(a[1])));
            out.add(new IndexInfo(name, unique.get(name), c.stream().map(a -> a[0]).toList()));
        });
        out.sort(Comparator.comparing(IndexInfo::name));
        return List.copyOf(out);
    }

    /** The database's own row count estimate, -1 when it has none (views, never-analyzed tables). */
    private long estimate(Connection c, TableRef t) throws SQLException {
        if (t.isView()) {
            return -1;
        }
        return tx.dialect().rowEstimate(c, t.schema(), t.name());
    }

    /** The exact row count, in a read-only transaction under the long deadline; cancelling the task stops it at once. */
    public long exactCount(TableRef t) {
        return tx.read("inspect.count", tx.longTimeout(), c -> {
            String sql = "SELECT COUNT(*) FROM " + Identifiers.of(c).qualified(t);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw Inspection.cancelledOr(e);
            }
        });
    }
}
