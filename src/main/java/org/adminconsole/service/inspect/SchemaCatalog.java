package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.adminconsole.persistence.Dialect;

/**
 * Read-only queries on the database's own catalog (H2: INFORMATION_SCHEMA; PostgreSQL: pg_catalog and its
 * pg_get_*def functions): sequences, triggers, check and unique constraints, and the DDL of a table or view.
 * Names are bound as parameters; nothing here writes.
 */
final class SchemaCatalog {

    private final Dialect dialect;

    SchemaCatalog(Dialect dialect) {
        this.dialect = dialect;
    }

    private boolean h2() {
        return dialect == Dialect.H2;
    }

    /** Sequences, triggers, check and unique constraints of every schema, by schema name. */
    Map<String, List<SchemaObject>> objects(Connection c) throws SQLException {
        Map<String, List<SchemaObject>> out = new LinkedHashMap<>();
        List<SchemaObject> all = new ArrayList<>();
        if (h2()) {
            all.addAll(query(c, "SELECT SEQUENCE_SCHEMA, SEQUENCE_NAME, NULL, 'START WITH ' || START_VALUE || ' INCREMENT BY ' || INCREMENT"
                    + " FROM INFORMATION_SCHEMA.SEQUENCES ORDER BY SEQUENCE_NAME", SchemaObject.Kind.SEQUENCE));
            all.addAll(query(c, "SELECT TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING || ' ' || EVENT_MANIPULATION"
                    + " || ' ON ' || EVENT_OBJECT_TABLE || ' FOR EACH ' || ACTION_ORIENTATION || ' CALL ' || JAVA_CLASS"
                    + " FROM INFORMATION_SCHEMA.TRIGGERS ORDER BY TRIGGER_NAME", SchemaObject.Kind.TRIGGER));
            try (PreparedStatement ps = c.prepareStatement("SELECT tc.CONSTRAINT_SCHEMA, tc.CONSTRAINT_NAME, tc.TABLE_NAME,"
                    + " tc.CONSTRAINT_TYPE, cc.CHECK_CLAUSE, tc.TABLE_SCHEMA FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc"
                    + " LEFT JOIN INFORMATION_SCHEMA.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA"
                    + " AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME WHERE tc.CONSTRAINT_TYPE IN ('CHECK', 'UNIQUE')"
                    + " ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean check = "CHECK".equals(rs.getString(4));
                    String def = check ? "CHECK (" + rs.getString(5) + ")"
                            : "UNIQUE (" + String.join(", ", h2KeyColumns(c, rs.getString(1), rs.getString(2))) + ")";
                    all.add(new SchemaObject(check ? SchemaObject.Kind.CHECK : SchemaObject.Kind.UNIQUE, rs.getString(1),
                            rs.getString(2), rs.getString(3), def));
                }
            }
        } else {
            all.addAll(query(c, "SELECT n.nspname, c.relname, NULL, 'START WITH ' || s.seqstart || ' INCREMENT BY ' || s.seqincrement"
                    + " FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " ORDER BY c.relname", SchemaObject.Kind.SEQUENCE));
            all.addAll(query(c, "SELECT n.nspname, t.tgname, c.relname, pg_get_triggerdef(t.oid, true) FROM pg_trigger t"
                    + " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE NOT t.tgisinternal ORDER BY t.tgname", SchemaObject.Kind.TRIGGER));
            try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, con.conname, c.relname, con.contype,"
                    + " pg_get_constraintdef(con.oid, true) FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE con.contype IN ('c', 'u')"
                    + " ORDER BY c.relname, con.conname"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(new SchemaObject("c".equals(rs.getString(4)) ? SchemaObject.Kind.CHECK : SchemaObject.Kind.UNIQUE,
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(5)));
                }
            }
        }
        for (SchemaObject o : all) {
            out.computeIfAbsent(o.schema(), k -> new ArrayList<>()).add(o);
        }
        return out;
    }

    private static List<SchemaObject> query(Connection c, String sql, SchemaObject.Kind kind) throws SQLException {
        List<SchemaObject> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SchemaObject(kind, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        return out;
    }

    private static List<String> h2KeyColumns(Connection c, String schema, String constraint) throws SQLException {
        List<String> cols = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE"
                + " WHERE CONSTRAINT_SCHEMA = ? AND CONSTRAINT_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, schema);
            ps.setString(2, constraint);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(rs.getString(1));
                }
            }
        }
        return cols;
    }

    /** The DDL of a table (reconstructed from the catalog) or a view (its stored definition). */
    String ddl(Connection c, TableDetails d) throws SQLException {
        Identifiers ids = Identifiers.of(c);
        TableRef t = d.table();
        if (t.isView()) {
            String def = h2() ? one(c, "SELECT VIEW_DEFINITION FROM INFORMATION_SCHEMA.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", t)
                    : one(c, "SELECT pg_get_viewdef(c.oid, true) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relname = ?", t);
            if (def == null) {
                throw new InspectionException("The catalog has no definition for the view " + t.displayName() + ".");
            }
            def = def.strip();
            return "CREATE VIEW " + ids.qualified(t) + " AS\n" + (def.endsWith(";") ? def : def + ";") + "\n";
        }
        return h2() ? h2TableDdl(c, ids, d) : pgTableDdl(c, ids, d);
    }

    private static String one(Connection c, String sql, TableRef t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, t.schema());
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static String h2TableDdl(Connection c, Identifiers ids, TableDetails d) throws SQLException {
        TableRef t = d.table();
        List<String> lines = new ArrayList<>();
        Map<String, String> identity = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, IS_IDENTITY, IDENTITY_GENERATION"
                + " FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, t.schema());
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if ("YES".equals(rs.getString(2))) {
                        identity.put(rs.getString(1), rs.getString(3));
                    }
                }
            }
        }
        for (ColumnInfo col : d.columns()) {
            StringBuilder sb = new StringBuilder("    ").append(ids.quote(col.name())).append(' ').append(col.displayType());
            if (identity.containsKey(col.name())) {
                sb.append(" GENERATED ").append(identity.get(col.name())).append(" AS IDENTITY");
            } else if (col.defaultValue() != null) {
                sb.append(" DEFAULT ").append(col.defaultValue());
            }
            if (!col.nullable()) {
                sb.append(" NOT NULL");
            }
            lines.add(sb.toString());
        }
        List<String> constraintIndexes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tc.CONSTRAINT_NAME, tc.CONSTRAINT_TYPE, cc.CHECK_CLAUSE, tc.INDEX_NAME"
                + " FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc LEFT JOIN INFORMATION_SCHEMA.CHECK_CONSTRAINTS cc"
                + " ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME"
                + " WHERE tc.TABLE_SCHEMA = ? AND tc.TABLE_NAME = ? ORDER BY CASE tc.CONSTRAINT_TYPE WHEN 'PRIMARY KEY' THEN 0"
                + " WHEN 'UNIQUE' THEN 1 WHEN 'CHECK' THEN 2 ELSE 3 END, tc.CONSTRAINT_NAME")) {
            ps.setString(1, t.schema());
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String type = rs.getString(2);
                    if (rs.getString(4) != null) {
                        constraintIndexes.add(rs.getString(4));
                    }
                    String body = switch (type) {
                        case "PRIMARY KEY", "UNIQUE" -> type + " (" + quoted(ids, h2KeyColumns(c, t.schema(), name)) + ")";
                        case "CHECK" -> "CHECK (" + rs.getString(3) + ")";
                        default -> null; // foreign keys: from the metadata below
                    };
                    if (body != null) {
                        lines.add("    CONSTRAINT " + ids.quote(name) + " " + body);
                    }
                }
            }
        }
        for (ForeignKey fk : d.foreignKeys()) {
            lines.add("    CONSTRAINT " + ids.quote(fk.name()) + " FOREIGN KEY (" + quoted(ids, fk.columns()) + ") REFERENCES "
                    + ids.qualified(fk.referenced()) + " (" + quoted(ids, fk.referencedColumns()) + ")");
        }
        StringBuilder out = new StringBuilder("CREATE TABLE ").append(ids.qualified(t)).append(" (\n")
                .append(String.join(",\n", lines)).append("\n);\n");
        for (IndexInfo ix : d.indexes()) {
            if (!constraintIndexes.contains(ix.name()) && !ix.name().startsWith("PRIMARY_KEY_")) {
                out.append("CREATE ").append(ix.unique() ? "UNIQUE " : "").append("INDEX ").append(ids.quote(ix.name()))
                        .append(" ON ").append(ids.qualified(t)).append(" (").append(quoted(ids, ix.columns())).append(");\n");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORIENTATION,"
                + " JAVA_CLASS FROM INFORMATION_SCHEMA.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?"
                + " ORDER BY TRIGGER_NAME")) {
            ps.setString(1, t.schema());
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append("CREATE TRIGGER ").append(ids.quote(rs.getString(1))).append(' ').append(rs.getString(2)).append(' ')
                            .append(rs.getString(3)).append(" ON ").append(ids.qualified(t)).append(" FOR EACH ")
                            .append(rs.getString(4)).append(" CALL '").append(rs.getString(5).replace("'", "''")).append("';\n");
                }
            }
        }
        return out.toString();
    }

    private static String pgTableDdl(Connection c, Identifiers ids, TableDetails d) throws SQLException {
        TableRef t = d.table();
        long oid;
        try (PreparedStatement ps = c.prepareStatement("SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ?")) {
            ps.setString(1, t.schema());
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new InspectionException("The table " + t.displayName() + " does not exist (any more). Refresh the schema.");
                }
                oid = rs.getLong(1);
            }
        }
        List<String> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
                + " pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated FROM pg_attribute a"
                + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setObject(1, oid, java.sql.Types.OTHER);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder("    ").append(ids.quote(rs.getString(1))).append(' ').append(rs.getString(2));
                    String identity = rs.getString(5);
                    String generated = rs.getString(6);
                    if ("a".equals(identity) || "d".equals(identity)) {
                        sb.append(" GENERATED ").append("a".equals(identity) ? "ALWAYS" : "BY DEFAULT").append(" AS IDENTITY");
                    } else if ("s".equals(generated) && rs.getString(4) != null) {
                        sb.append(" GENERATED ALWAYS AS (").append(rs.getString(4)).append(") STORED");
                    } else if (rs.getString(4) != null) {
                        sb.append(" DEFAULT ").append(rs.getString(4));
                    }
                    if (rs.getBoolean(3)) {
                        sb.append(" NOT NULL");
                    }
                    lines.add(sb.toString());
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT conname, pg_get_constraintdef(oid, true) FROM pg_constraint"
                + " WHERE conrelid = ? AND contype IN ('p', 'u', 'c', 'f', 'x')"
                + " ORDER BY CASE contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'c' THEN 2 WHEN 'f' THEN 3 ELSE 4 END, conname")) {
            ps.setObject(1, oid, java.sql.Types.OTHER);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add("    CONSTRAINT " + ids.quote(rs.getString(1)) + " " + rs.getString(2));
                }
            }
        }
        StringBuilder out = new StringBuilder("CREATE TABLE ").append(ids.qualified(t)).append(" (\n")
                .append(String.join(",\n", lines)).append("\n);\n");
        appendAll(c, out, "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = ? AND NOT EXISTS"
                + " (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)"
                + " ORDER BY i.indexrelid::regclass::text", oid);
        appendAll(c, out, "SELECT pg_get_triggerdef(oid, true) FROM pg_trigger WHERE tgrelid = ? AND NOT tgisinternal"
                + " ORDER BY tgname", oid);
        return out.toString();
    }

    private static void appendAll(Connection c, StringBuilder out, String sql, long oid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, oid, java.sql.Types.OTHER);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append(";\n");
                }
            }
        }
    }

    private static String quoted(Identifiers ids, List<String> names) {
        return String.join(", ", names.stream().map(ids::quote).toList());
    }
}
