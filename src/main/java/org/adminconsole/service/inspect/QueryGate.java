package org.adminconsole.service.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
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

    /** Longest a size argument of REPEAT, SPACE, LPAD… may be (characters or bytes); see {@link QueryTokens}. */
    public static final long MAX_BUILT_VALUE = 100_000;

    private static final String READ_ONLY = ". The SQL console is read-only: only queries run here (SELECT, WITH … SELECT, "
            + "VALUES, TABLE, or EXPLAIN of one of them). Nothing was changed.";
    private static final int PARSE_TIMEOUT_MS = 3_000;

    /** Longest statement the gate reads. */
    static final int MAX_LENGTH = 100_000;
    /**
     * Deepest parenthesis nesting the gate reads: JSqlParser's backtracking grows exponentially with it (17 levels of
     * plain parentheses took more than 3 s here, 30 levels never finished), and a parse that times out keeps its
     * thread busy until it is done.
     */
    static final int MAX_NESTING = 16;

    /**
     * Parser threads (the parser's timeout needs an executor). At most three parses at a time, so that parses that
     * ignore their timeout cannot hold up every later query. A check waits for a free parser up to
     * {@link #PARSER_WAIT_MS} (several operators, or a console and the EXPLAIN of a slow statement, may check at the
     * same moment); only past that does the gate say it is busy. Parser threads never touch a database, so the parser's
     * own cancel (an interrupt) is harmless here.
     */
    private static final BoundedParsers PARSER = new BoundedParsers(3);

    /** Longest a check waits for one of the parser threads. */
    static final int PARSER_WAIT_MS = PARSE_TIMEOUT_MS + 2_000;

    private static final java.util.concurrent.atomic.AtomicBoolean WARMED_UP = new java.util.concurrent.atomic.AtomicBoolean();

    private QueryGate() {
    }

    /** Loads the parser's classes in the background, so that the operator's first query is not the slow one. */
    public static void warmUp() {
        if (!WARMED_UP.compareAndSet(false, true)) {
            return; // the classes stay loaded: one warm-up per process, however many consoles it opens
        }
        PARSER.executeIfFree(() -> {
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
        if (text.length() > MAX_LENGTH) {
            throw new ValidationException(SQL_FIELD, String.format(Locale.ROOT, "The statement is longer than the %,d characters"
                    + " the console reads. Nothing was run.", MAX_LENGTH));
        }
        if (CCJSqlParserUtil.getNestingDepth(text) > MAX_NESTING) {
            throw new ValidationException(SQL_FIELD, "The statement nests parentheses more than " + MAX_NESTING
                    + " levels deep, more than the console's SQL parser can check. Nothing was run.");
        }
        Parsed parsed;
        try {
            parsed = parseWithFallback(text);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new ValidationException(SQL_FIELD, "The console's SQL parser is still busy with earlier statements; try again"
                    + " in a moment. Nothing was run.");
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
        QueryTokens.check(parsed.tokens, extraDeniedFunctions);
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
        if (e.getCause() instanceof java.util.concurrent.TimeoutException || "Time out occurred.".equals(e.getMessage())) {
            return "the parser gave up after " + PARSE_TIMEOUT_MS / 1000 + " s";
        }
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
        String first;
        try {
            first = st.toString().strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        } catch (RuntimeException e) {
            first = ""; // a statement the parser cannot print back: named by its kind
        }
        if (first.isEmpty() || first.length() > 20) {
            return name + " statements are not queries";
        }
        return CHANGING_STATEMENTS.contains(first) ? first + " statements change the database" : first + " statements are not queries";
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

    /**
     * An executor of at most {@code slots} parses at a time. A parse takes a slot when submitted and gives it back when
     * its thread is done with it (not when its caller stops waiting: a parse past its timeout keeps its slot until it
     * ends). {@link #execute} waits up to {@link #PARSER_WAIT_MS} for a slot, then refuses.
     */
    private static final class BoundedParsers extends java.util.concurrent.AbstractExecutorService {
        private final java.util.concurrent.Semaphore slots;
        private final java.util.concurrent.ThreadPoolExecutor threads;

        BoundedParsers(int slots) {
            this.slots = new java.util.concurrent.Semaphore(slots);
            this.threads = new java.util.concurrent.ThreadPoolExecutor(slots, slots, 30, java.util.concurrent.TimeUnit.SECONDS,
                    new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "sql-gate-parser");
                        t.setDaemon(true);
                        return t;
                    });
            threads.allowCoreThreadTimeOut(true);
        }

        @Override
        public void execute(Runnable parse) {
            boolean free;
            try {
                free = slots.tryAcquire(PARSER_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.RejectedExecutionException("interrupted while waiting for a parser", e);
            }
            if (!free) {
                throw new java.util.concurrent.RejectedExecutionException("every parser busy for " + PARSER_WAIT_MS + " ms");
            }
            start(parse);
        }

        /** Runs {@code parse} if a slot is free now; otherwise does nothing. */
        void executeIfFree(Runnable parse) {
            if (slots.tryAcquire()) {
                start(parse);
            }
        }

        private void start(Runnable parse) {
            try {
                threads.execute(() -> {
                    try {
                        parse.run();
                    } finally {
                        slots.release();
                    }
                });
            } catch (RuntimeException e) {
                slots.release();
                throw e;
            }
        }

        @Override
        public void shutdown() {
            throw new UnsupportedOperationException("the parser threads live as long as the process");
        }

        @Override
        public java.util.List<Runnable> shutdownNow() {
            throw new UnsupportedOperationException("the parser threads live as long as the process");
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) {
            return false;
        }
    }
}
