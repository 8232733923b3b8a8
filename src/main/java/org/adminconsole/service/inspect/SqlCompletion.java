package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Completion of table and column names in the SQL editor. The names come from the catalog as the console's reader
 * login sees it ({@link #load}: one metadata read on a reader connection, in the background); {@link #propose} then
 * works on the editor's text alone (no database), so it can run on every key.
 */
public final class SqlCompletion {

    /** Most proposals shown at once. */
    static final int MAX_ITEMS = 200;
    private static final Set<String> SYSTEM_SCHEMAS = Set.of("INFORMATION_SCHEMA", "information_schema", "pg_catalog", "pg_toast");
    /** Names that need quotes even when their case is the folded one (keywords of H2 or PostgreSQL). */
    private static final Set<String> RESERVED = Set.of("USER", "VALUE", "KEY", "YEAR", "MONTH", "DAY", "HOUR", "MINUTE",
            "SECOND", "ROWNUM", "_ROWID_", "TOP", "MINUS", "QUALIFY", "REGEXP", "SYSDATE", "SYSTIME", "SYSTIMESTAMP", "TODAY");

    /** One table or view with its columns, names exactly as the catalog spells them. */
    public record Table(String schema, String name, List<String> columns) {
    }

    /**
     * The names the reader can see; {@code upperCase}: the database folds unquoted names to upper case (H2), else to
     * lower case (PostgreSQL).
     */
    public record Catalog(List<Table> tables, boolean upperCase) {
        public static final Catalog EMPTY = new Catalog(List.of(), true);

        public int columnCount() {
            return tables.stream().mapToInt(t -> t.columns().size()).sum();
        }
    }

    public enum ItemKind { TABLE, COLUMN }

    /** One proposal: what the list shows, what is inserted, and where it comes from (a column's table). */
    public record Item(String label, String insert, ItemKind kind, String detail) {
    }

    /** The proposals for the caret: inserting one replaces {@code text[from, to)} (the word before the caret). */
    public record Proposal(int from, int to, String prefix, List<Item> items) {
    }

    private SqlCompletion() {
    }

    /** Reads every table, view and column the reader login can see (system schemas left out). */
    public static Catalog load(ReaderConnections readers) {
        Connection c = readers.open();
        try {
            return read(c);
        } catch (SQLException e) {
            throw readers.translate(e);
        } finally {
            ReaderConnections.release(c);
        }
    }

    static Catalog read(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        Map<List<String>, List<String>> columns = new LinkedHashMap<>();
        try (ResultSet rs = md.getColumns(null, null, "%", "%")) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if (schema == null || SYSTEM_SCHEMAS.contains(schema) || schema.startsWith("pg_")) {
                    continue;
                }
                columns.computeIfAbsent(List.of(schema, rs.getString("TABLE_NAME")), k -> new ArrayList<>())
                        .add(rs.getString("COLUMN_NAME"));
            }
        }
        List<Table> tables = new ArrayList<>();
        columns.forEach((k, cols) -> tables.add(new Table(k.get(0), k.get(1), List.copyOf(cols))));
        tables.sort(Comparator.comparing(Table::name, String.CASE_INSENSITIVE_ORDER).thenComparing(Table::schema));
        return new Catalog(List.copyOf(tables), md.storesUpperCaseIdentifiers());
    }

    /**
     * The proposals at {@code caret} in {@code text}: after {@code alias.} or {@code table.} that table's columns;
     * after {@code schema.} its tables; otherwise the columns of the tables the statement names, then every table
     * (and, while the statement names no table yet, every table's columns).
     * Only names starting with the word before the caret (any case) are proposed.
     */
    public static Proposal propose(Catalog catalog, String text, int caret) {
        caret = Math.max(0, Math.min(caret, text.length()));
        int from = caret;
        while (from > 0 && SqlLexer.isIdentifierPart(text.charAt(from - 1))) {
            from--;
        }
        String prefix = text.substring(from, caret);
        String qualifier = from > 0 && text.charAt(from - 1) == '.' ? qualifierBefore(text, from - 1) : null;
        String statement = SqlStatements.at(text, caret).map(s -> s.text(text)).orElse("");
        Map<String, Table> aliases = new HashMap<>();
        List<Table> named = new ArrayList<>();
        tablesNamedIn(catalog, statement, aliases, named);

        List<Item> items = new ArrayList<>();
        if (qualifier != null) {
            Table t = aliases.get(fold(qualifier));
            if (t == null) {
                t = find(catalog, qualifier);
            }
            if (t != null) {
                addColumns(items, catalog, t, prefix, new LinkedHashSet<>());
            } else {
                for (Table s : catalog.tables()) {
                    if (matchesName(s.schema(), qualifier) && startsWith(s.name(), prefix)) {
                        items.add(new Item(s.name(), render(catalog, s.name(), prefix), ItemKind.TABLE, s.schema()));
                    }
                }
            }
        } else {
            Set<String> seen = new LinkedHashSet<>();
            for (Table t : named) {
                addColumns(items, catalog, t, prefix, seen);
            }
            for (Table t : catalog.tables()) {
                if (startsWith(t.name(), prefix)) {
                    items.add(new Item(t.name(), render(catalog, t.name(), prefix), ItemKind.TABLE, t.schema()));
                }
            }
            if (named.isEmpty() && !prefix.isEmpty()) {
                for (Table t : catalog.tables()) { // no table named yet (SELECT before FROM): every table's columns
                    addColumns(items, catalog, t, prefix, seen);
                }
            }
        }
        return new Proposal(from, caret, prefix, items.size() > MAX_ITEMS ? List.copyOf(items.subList(0, MAX_ITEMS)) : List.copyOf(items));
    }

    private static void addColumns(List<Item> items, Catalog catalog, Table t, String prefix, Set<String> seen) {
        for (String col : t.columns()) {
            if (startsWith(col, prefix) && seen.add(col)) {
                items.add(new Item(col, render(catalog, col, prefix), ItemKind.COLUMN, t.name()));
            }
        }
    }

    /** The tables the statement names (FROM, JOIN, a list), each with the alias written after it. */
    private static void tablesNamedIn(Catalog catalog, String statement, Map<String, Table> aliases, List<Table> named) {
        List<SqlLexer.Token> tokens = SqlLexer.tokens(statement);
        for (int i = 0; i < tokens.size(); i++) {
            SqlLexer.Token t = tokens.get(i);
            if (!isName(t)) {
                continue;
            }
            String first = name(statement, t);
            Table table = null;
            int last = i;
            if (i + 2 < tokens.size() && tokens.get(i + 1).text(statement).equals(".") && isName(tokens.get(i + 2))
                    && tokens.get(i + 1).start() == t.end()) {
                String second = name(statement, tokens.get(i + 2));
                for (Table c : catalog.tables()) {
                    if (matchesName(c.schema(), first) && matchesName(c.name(), second)) {
                        table = c;
                        last = i + 2;
                        break;
                    }
                }
            }
            if (table == null && (i == 0 || !tokens.get(i - 1).text(statement).equals("."))) {
                table = find(catalog, first);
            }
            if (table == null) {
                continue;
            }
            if (!named.contains(table)) {
                named.add(table);
            }
            aliases.putIfAbsent(fold(table.name()), table);
            int a = last + 1;
            if (a < tokens.size() && tokens.get(a).text(statement).equalsIgnoreCase("AS")) {
                a++;
            }
            if (a < tokens.size() && (tokens.get(a).kind() == SqlLexer.Kind.IDENTIFIER
                    || tokens.get(a).kind() == SqlLexer.Kind.QUOTED_IDENTIFIER)) {
                aliases.put(fold(name(statement, tokens.get(a))), table);
            }
            i = last;
        }
    }

    private static boolean isName(SqlLexer.Token t) {
        return t.kind() == SqlLexer.Kind.IDENTIFIER || t.kind() == SqlLexer.Kind.QUOTED_IDENTIFIER
                || t.kind() == SqlLexer.Kind.KEYWORD;
    }

    /** An identifier token's name: unquoted as written, quoted without its quotes. */
    private static String name(String s, SqlLexer.Token t) {
        String text = t.text(s);
        return t.kind() == SqlLexer.Kind.QUOTED_IDENTIFIER ? unquote(text) : text;
    }

    private static String unquote(String q) {
        if (q.length() >= 2 && q.startsWith("\"") && q.endsWith("\"")) {
            return "\u0000" + q.substring(1, q.length() - 1).replace("\"\"", "\"");
        }
        return q;
    }

    /** The identifier before the {@code .} at {@code dot} (quoted or not), or null. */
    private static String qualifierBefore(String text, int dot) {
        int end = dot;
        if (end > 0 && text.charAt(end - 1) == '"') {
            int open = text.lastIndexOf('"', end - 2);
            return open < 0 ? null : unquote(text.substring(open, end));
        }
        int start = end;
        while (start > 0 && SqlLexer.isIdentifierPart(text.charAt(start - 1))) {
            start--;
        }
        return start == end ? null : text.substring(start, end);
    }

    private static Table find(Catalog catalog, String written) {
        Table loose = null;
        for (Table t : catalog.tables()) {
            if (matchesName(t.name(), written)) {
                if (written.startsWith("\u0000") || t.name().equals(written)) {
                    return t;
                }
                if (loose == null) {
                    loose = t;
                }
            }
        }
        return loose;
    }

    /** A written name (unquoted: any case; quoted, marked with a leading NUL: exact) against a catalog name. */
    private static boolean matchesName(String catalogName, String written) {
        if (written.startsWith("\u0000")) {
            return catalogName.equals(written.substring(1));
        }
        return catalogName.equalsIgnoreCase(written);
    }

    private static String fold(String written) {
        return written.startsWith("\u0000") ? written : written.toLowerCase(Locale.ROOT);
    }

    private static boolean startsWith(String name, String prefix) {
        return name.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /**
     * How a name is written into the SQL: unquoted when the database would read it back as this name (in the case the
     * operator is typing in), else in double quotes.
     */
    static String render(Catalog catalog, String name, String typed) {
        boolean plain = !name.isEmpty() && SqlLexer.isIdentifierStart(name.charAt(0)) && name.chars().allMatch(
                ch -> ch < 128 && (Character.isLetterOrDigit(ch) || ch == '_'))
                && name.equals(catalog.upperCase() ? name.toUpperCase(Locale.ROOT) : name.toLowerCase(Locale.ROOT))
                && !SqlLexer.isKeyword(name) && !RESERVED.contains(name.toUpperCase(Locale.ROOT));
        if (!plain) {
            return "\"" + name.replace("\"", "\"\"") + "\"";
        }
        boolean lower = !typed.isEmpty() ? typed.equals(typed.toLowerCase(Locale.ROOT)) : !catalog.upperCase();
        return lower ? name.toLowerCase(Locale.ROOT) : name.toUpperCase(Locale.ROOT);
    }
}
