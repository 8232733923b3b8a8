package org.adminconsole.service.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;
import org.adminconsole.service.ValidationException;

/**
 * The SQL console's first gate, before anything reaches the database: a real SQL parser (JSqlParser) must read
 * the text as exactly one statement of an allowed kind (SELECT, WITH … SELECT, VALUES, TABLE, or EXPLAIN of one of
 * them), and the parser's own tokens must show no locking clause, no hidden data change and no call of a function
 * that writes, locks, reads server files or changes settings.
 *
 * <p>This gate is not the security boundary (see {@link ReaderConnections}: the database login can only read, and the
 * dialect's own statement count must be 1 too). It exists so that refusals come with a clear message before anything
 * is sent, and so that the few things the databases allow a reader (H2: {@code FOR UPDATE}, sequences; PostgreSQL:
 * advisory locks, {@code NOTIFY}) are refused as well.
 *
 * <p>The checks on functions and keywords walk the parser's token list rather than its syntax tree: the token list
 * covers every part of the statement (ORDER BY, FILTER, window clauses…), whatever the tree visitor skips.
 */
public final class QueryGate {

    public static final String SQL_FIELD = "sql";

    /** What a query may be, at the top. */
    public enum Kind { QUERY, EXPLAIN }

    /** A statement that passed: its text without a trailing semicolon, and its kind. */
    public record Checked(String sql, Kind kind) {
    }

    /** Longest a size argument of {@link #SIZE_ARGUMENT} functions may be (characters or bytes). */
    public static final long MAX_BUILT_VALUE = 100_000;

    /**
     * Functions the console never calls, by name (case-insensitive, without schema). Sequences advance whatever the
     * transaction does; the rest writes, locks, reads or writes server files, runs other SQL text, talks to other
     * servers, signals other sessions or changes settings.
     */
    static final Set<String> DENIED_FUNCTIONS = Set.of(
            // sequences (PostgreSQL and H2)
            "NEXTVAL", "SETVAL", "CURRVAL", "LASTVAL",
            // settings and session control
            "SET_CONFIG", "SET", "PG_RELOAD_CONF", "PG_TERMINATE_BACKEND", "PG_CANCEL_BACKEND", "CANCEL_SESSION",
            "ABORT_SESSION", "PG_NOTIFY", "PG_ROTATE_LOGFILE", "PG_SWITCH_WAL", "PG_PROMOTE", "PG_START_BACKUP",
            "PG_STOP_BACKUP", "PG_LOG_BACKEND_MEMORY_CONTEXTS", "PG_IMPORT_SYSTEM_COLLATIONS", "PG_STAT_FILE",
            // large objects (PostgreSQL)
            "LOREAD", "LOWRITE",
            // files and other databases (H2)
            "CSVREAD", "CSVWRITE", "FILE_READ", "FILE_WRITE", "LINK_SCHEMA");

    /** Function name prefixes refused the same way. */
    static final List<String> DENIED_PREFIXES = List.of("PG_ADVISORY_", "PG_TRY_ADVISORY_", "LO_", "PG_READ_", "PG_LS_",
            "PG_FILE_", "PG_LOGDIR_", "DBLINK", "QUERY_TO_XML", "CURSOR_TO_XML", "PG_CREATE_", "PG_DROP_",
            "PG_REPLICATION_", "PG_BACKUP_", "PG_WAL_", "PG_STAT_RESET", "PG_STAT_STATEMENTS_RESET", "BINARY_UPGRADE_");

    /**
     * Functions that build a value of a requested size, and which argument (1-based) is the size: it must be a
     * number written in the statement, at most {@value #MAX_BUILT_VALUE}. H2 evaluates a constant call while it
     * prepares the statement, in the console's own memory: {@code REPEAT('x', 400000000)} ran it out of memory.
     */
    static final Map<String, Integer> SIZE_ARGUMENT = Map.of("REPEAT", 2, "SPACE", 1, "LPAD", 2, "RPAD", 2,
            "SECURE_RAND", 1, "ARRAY_FILL", 2);

    /** Words that mean a change or a transaction or session command anywhere in the statement (outside quotes). */
    static final Set<String> CHANGING_WORDS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "INTO", "RETURNING",
            "SET", "RESET", "COMMIT", "ROLLBACK", "SAVEPOINT", "COPY", "CALL", "EXECUTE", "DO", "LOCK", "NOTIFY", "LISTEN");

    private static final String READ_ONLY = ". The SQL console is read-only: only queries run here (SELECT, WITH … SELECT, "
            + "VALUES, TABLE, or EXPLAIN of one of them). Nothing was changed.";
    private static final int PARSE_TIMEOUT_MS = 3_000;

    /** One daemon thread for every parse (the parser's own timeout needs an executor; never interrupted). */
    private static final ExecutorService PARSER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sql-gate-parser");
        t.setDaemon(true);
        return t;
    });

    private QueryGate() {
    }

    /** Loads the parser's classes in the background, so that the operator's first query is not the slow one. */
    public static void warmUp() {
        PARSER.execute(() -> {
            try {
                parse("SELECT a, count(*) FROM t WHERE b LIKE 'x%' GROUP BY a ORDER BY 2 DESC", true);
            } catch (JSQLParserException | RuntimeException e) {
                // only warming up
            }
        });
    }

    /**
     * Checks one statement typed by the operator (or captured by the SQL monitor). Extra denied names (e.g. H2
     * aliases, which run Java code) come from the database. Throws {@link ValidationException} on field
     * {@value #SQL_FIELD}; never anything else.
     */
    public static Checked check(String sql, Set<String> extraDeniedFunctions) {
        String text = sql == null ? "" : sql.strip();
        if (isBlank(text)) {
            throw new ValidationException(SQL_FIELD, "Type a query to run, e.g. SELECT * FROM users.");
        }
        Parsed parsed;
        try {
            parsed = parseWithFallback(text);
        } catch (JSQLParserException e) {
            throw new ValidationException(SQL_FIELD, "SQL error: Syntax error, or syntax the console's SQL parser does not "
                    + "accept: " + parserMessage(e) + ". Nothing was run.");
        } catch (RuntimeException | StackOverflowError e) {
            throw new ValidationException(SQL_FIELD, "SQL error: the console's SQL parser cannot read this statement ("
                    + e.getClass().getSimpleName() + "). Nothing was run.");
        }
        if (parsed.statements.size() != 1) {
            throw new ValidationException(SQL_FIELD, "Run one statement at a time (found " + parsed.statements.size()
                    + " separated by ';'). Nothing was run.");
        }
        Statement st = parsed.statements.get(0);
        Kind kind;
        Select select;
        if (st instanceof Select s) {
            kind = Kind.QUERY;
            select = s;
        } else if (st instanceof ExplainStatement ex && ex.getStatement() != null) {
            kind = Kind.EXPLAIN;
            select = ex.getStatement();
        } else {
            throw refused(describe(st));
        }
        checkStructure(select);
        checkTokens(parsed.tokens, extraDeniedFunctions);
        return new Checked(withoutTrailing(text, parsed.tokens), kind);
    }

    /** The refusal every gate uses, so that the operator always reads the same sentence. */
    public static ValidationException refused(String why) {
        return new ValidationException(SQL_FIELD, "Refused: " + why + READ_ONLY);
    }

    // ---- parsing -------------------------------------------------------------------------------------------------

    private record Parsed(Statements statements, List<Token> tokens) {
    }

    /** Simple parsing first (fast); complex parsing only when that fails, as JSqlParser's own utility does. */
    private static Parsed parseWithFallback(String text) throws JSQLParserException {
        try {
            return parse(text, false);
        } catch (JSQLParserException first) {
            return parse(text, true);
        }
    }

    private static Parsed parse(String text, boolean complex) throws JSQLParserException {
        CCJSqlParser parser = CCJSqlParserUtil.newParser(text).withTimeOut(PARSE_TIMEOUT_MS).withAllowComplexParsing(complex);
        Token start = parser.token;
        Statements statements = CCJSqlParserUtil.parseStatements(parser, PARSER);
        List<Token> tokens = new ArrayList<>();
        for (Token t = start.next; t != null && t.kind != CCJSqlParserConstants.EOF; t = t.next) {
            tokens.add(t);
        }
        return new Parsed(statements, tokens);
    }

    private static String parserMessage(JSQLParserException e) {
        Throwable t = e.getCause() != null ? e.getCause() : e;
        String m = Inspection.firstLine(t.getMessage());
        m = m.replaceFirst("^net\\.sf\\.jsqlparser\\.parser\\.ParseException: ", "").replaceFirst("^Encountered", "encountered");
        int was = m.indexOf(". Was expecting");
        if (was > 0) {
            m = m.substring(0, was);
        }
        if (m.endsWith(".")) {
            m = m.substring(0, m.length() - 1);
        }
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    // ---- the syntax tree: top-level shape -----------------------------------------------------------------------

    private static void checkStructure(Select select) {
        if (select.getForMode() != null || select.getForUpdateTable() != null || select.isSkipLocked() || select.isNoWait()
                || select.getWait() != null) {
            throw refused("FOR " + (select.getForMode() == null ? "UPDATE" : select.getForMode().getValue())
                    + " locks rows (a save elsewhere would wait for this result)");
        }
        if (select instanceof PlainSelect p && (p.getIntoTables() != null && !p.getIntoTables().isEmpty() || p.getIntoTempTable() != null)) {
            throw refused("SELECT … INTO creates a table");
        }
        if (select.getWithItemsList() != null) {
            for (WithItem<?> w : select.getWithItemsList()) {
                if (!(w.getParenthesedStatement() instanceof ParenthesedSelect)) {
                    throw refused("the WITH part " + w.getAliasName() + " changes data");
                }
            }
        }
    }

    private static final Set<String> CHANGING_STATEMENTS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE",
            "TRUNCATE", "CREATE", "DROP", "ALTER", "RENAME", "GRANT", "REVOKE", "COMMENT", "COPY");

    private static String describe(Statement st) {
        String name = st.getClass().getSimpleName();
        String first = st.toString().strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        if (first.isEmpty() || first.length() > 20) {
            return name + " statements are not queries";
        }
        return CHANGING_STATEMENTS.contains(first) ? first + " statements change the database" : first + " statements are not queries";
    }

    // ---- the tokens: every part of the statement ---------------------------------------------------------------

    private static void checkTokens(List<Token> tokens, Set<String> extraDenied) {
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            boolean call = i + 1 < tokens.size() && "(".equals(tokens.get(i + 1).image);
            String word = word(t);
            if (t.kind == CCJSqlParserConstants.S_CHAR_LITERAL) {
                checkEscapeString(t.image);
                continue;
            }
            if (word == null) {
                continue;
            }
            if (t.kind == CCJSqlParserConstants.K_NEXTVAL) {
                throw refused(word.replaceAll("\\s+", " ") + " advances a sequence, a change that a rollback does not undo");
            }
            if (call) {
                checkFunction(word, tokens, i, extraDenied);
            } else if (t.kind != CCJSqlParserConstants.S_QUOTED_IDENTIFIER && CHANGING_WORDS.contains(word)) {
                throw refused("the statement contains " + word + ", which changes data, the transaction or the session"
                        + " (write it in double quotes if it is a name)");
            }
            if (word.equals("FOR") && i + 1 < tokens.size()) {
                String next = upper(tokens.get(i + 1).image);
                if (Set.of("UPDATE", "SHARE", "NO", "KEY").contains(next)) {
                    throw refused("FOR " + next + " locks rows (a save elsewhere would wait for this result)");
                }
            }
            if (word.equals("NEXT") && i + 2 < tokens.size() && upper(tokens.get(i + 1).image).equals("VALUE")
                    && upper(tokens.get(i + 2).image).equals("FOR")) {
                throw refused("NEXT VALUE FOR advances a sequence, a change that a rollback does not undo");
            }
        }
    }

    private static void checkFunction(String name, List<Token> tokens, int at, Set<String> extraDenied) {
        String why = null;
        if (Set.of("NEXTVAL", "SETVAL", "CURRVAL", "LASTVAL").contains(name)) {
            why = "it advances or reads a sequence, a change that a rollback does not undo";
        } else if (DENIED_FUNCTIONS.contains(name) || DENIED_PREFIXES.stream().anyMatch(name::startsWith)) {
            why = "it writes, locks, reads server files, changes settings or reaches other sessions or servers";
        } else if (extraDenied.contains(name)) {
            why = "it is defined in the database as Java code, which the console does not run";
        }
        if (why != null) {
            throw refused("the function " + name + " is not allowed here: " + why);
        }
        Integer sizeArg = SIZE_ARGUMENT.get(name);
        if (sizeArg != null) {
            checkSizeArgument(name, sizeArg, tokens, at + 2);
        }
    }

    /** The size argument of REPEAT, SPACE, LPAD… must be one number literal up to {@link #MAX_BUILT_VALUE}. */
    private static void checkSizeArgument(String name, int argument, List<Token> tokens, int from) {
        int depth = 0;
        int arg = 1;
        List<Token> value = new ArrayList<>();
        for (int i = from; i < tokens.size(); i++) {
            String img = tokens.get(i).image;
            if (depth == 0 && (img.equals(")") || img.equals(","))) {
                if (arg == argument) {
                    break;
                }
                if (img.equals(")")) {
                    break;
                }
                arg++;
                continue;
            }
            if (img.equals("(")) {
                depth++;
            } else if (img.equals(")")) {
                depth--;
            }
            if (arg == argument) {
                value.add(tokens.get(i));
            }
        }
        String limit = String.format(Locale.ROOT, "%,d", MAX_BUILT_VALUE);
        if (value.size() != 1 || value.get(0).kind != CCJSqlParserConstants.S_LONG) {
            if (value.isEmpty()) {
                return; // the function has fewer arguments than that (another overload): nothing to bound
            }
            throw refused(name + " builds a value of any size: its size must be a number up to " + limit
                    + " written in the statement");
        }
        try {
            if (Long.parseLong(value.get(0).image) <= MAX_BUILT_VALUE) {
                return;
            }
        } catch (NumberFormatException tooLong) {
            // beyond long: too big
        }
        throw refused(name + " would build a value of " + value.get(0).image + " characters; the console allows up to " + limit);
    }

    /**
     * A PostgreSQL escape string ({@code E'…'}) that ends in a backslash-quote: the parser and the server disagree
     * where such a string ends ({@code E'\''} is one quote to PostgreSQL), so text after it could be read as code by
     * one and as a string by the other. Write a quote as two quotes instead.
     */
    private static void checkEscapeString(String image) {
        if (image.length() >= 3 && (image.charAt(0) == 'E' || image.charAt(0) == 'e') && image.charAt(1) == '\'') {
            int backslashes = 0;
            for (int i = image.length() - 2; i >= 0 && image.charAt(i) == '\\'; i--) {
                backslashes++;
            }
            if (backslashes % 2 == 1) {
                throw refused("the escape string " + image + " ends in \\' (the parser and the database read it differently);"
                        + " write a quote inside a string as ''");
            }
        }
    }

    /** The word of an identifier or keyword token (unquoted: upper case; quoted: without quotes), else null. */
    private static String word(Token t) {
        String img = t.image;
        if (img == null || img.isEmpty()) {
            return null;
        }
        if (t.kind == CCJSqlParserConstants.S_QUOTED_IDENTIFIER) {
            if (img.length() >= 2 && (img.charAt(0) == '"' || img.charAt(0) == '`' || img.charAt(0) == '[')) {
                return upper(img.substring(1, img.length() - 1).replace("\"\"", "\""));
            }
            return upper(img);
        }
        char c = img.charAt(0);
        if (!(Character.isLetter(c) || c == '_') || t.kind == CCJSqlParserConstants.S_CHAR_LITERAL) {
            return null;
        }
        return upper(img);
    }

    private static String upper(String s) {
        return s == null ? "" : s.toUpperCase(Locale.ROOT);
    }

    private static boolean isBlank(String text) {
        // only comments and semicolons: nothing to run
        String t = text.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ").replace(";", " ");
        return t.isBlank();
    }

    /**
     * The text up to the end of its last token that is not a semicolon: trailing semicolons and comments go (a driver
     * would count "; -- comment" as a second, empty statement). Token images are the text as typed, and comments are
     * the tokens' special tokens, so walking them in order finds each token's place.
     */
    static String withoutTrailing(String text, List<Token> tokens) {
        int pos = 0;
        int end = -1;
        for (Token t : tokens) {
            for (Token special : specialTokensInOrder(t)) {
                int at = text.indexOf(special.image, pos);
                if (at < 0) {
                    return text;
                }
                pos = at + special.image.length();
            }
            int at = text.indexOf(t.image, pos);
            if (at < 0) {
                return text;
            }
            pos = at + t.image.length();
            if (!";".equals(t.image)) {
                end = pos;
            }
        }
        return end < 0 ? text : text.substring(0, end).strip();
    }

    private static List<Token> specialTokensInOrder(Token t) {
        List<Token> out = new ArrayList<>();
        for (Token s = t.specialToken; s != null; s = s.specialToken) {
            out.add(0, s);
        }
        return out;
    }
}
