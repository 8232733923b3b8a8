package org.adminconsole.service.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.Token;

/**
 * The part of {@link QueryGate} that reads the parser's tokens: every part of a statement (ORDER BY, FILTER, window
 * clauses… that the syntax tree's visitor skips) is checked for locking clauses, words that change data, the
 * transaction or the session, denied functions, unbounded value builders and escape strings the parser and
 * PostgreSQL would read differently. Unquoted words compare in upper case; quoted names without their quotes.
 */
final class QueryTokens {

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

    private QueryTokens() {
    }

    static void check(List<Token> tokens, Set<String> extraDenied) {
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
                throw QueryGate.refused(word.replaceAll("\\s+", " ") + " advances a sequence, a change that a rollback does not undo");
            }
            if (call) {
                checkFunction(word, tokens, i, extraDenied);
            } else if (t.kind != CCJSqlParserConstants.S_QUOTED_IDENTIFIER && CHANGING_WORDS.contains(word)) {
                throw QueryGate.refused("the statement contains " + word + ", which changes data, the transaction or the session"
                        + " (write it in double quotes if it is a name)");
            }
            if (word.equals("FOR") && i + 1 < tokens.size()) {
                String next = upper(tokens.get(i + 1).image);
                if (Set.of("UPDATE", "SHARE", "NO", "KEY").contains(next)) {
                    throw QueryGate.refused("FOR " + next + " locks rows (a save elsewhere would wait for this result)");
                }
            }
            if (word.equals("NEXT") && i + 2 < tokens.size() && upper(tokens.get(i + 1).image).equals("VALUE")
                    && upper(tokens.get(i + 2).image).equals("FOR")) {
                throw QueryGate.refused("NEXT VALUE FOR advances a sequence, a change that a rollback does not undo");
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
            throw QueryGate.refused("the function " + name + " is not allowed here: " + why);
        }
        Integer sizeArg = SIZE_ARGUMENT.get(name);
        if (sizeArg != null) {
            checkSizeArgument(name, sizeArg, tokens, at + 2);
        }
    }

    /** The size argument of REPEAT, SPACE, LPAD… must be one number literal up to {@link #QueryGate.MAX_BUILT_VALUE}. */
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
        String limit = String.format(Locale.ROOT, "%,d", QueryGate.MAX_BUILT_VALUE);
        if (value.size() != 1 || value.get(0).kind != CCJSqlParserConstants.S_LONG) {
            if (value.isEmpty()) {
                return; // the function has fewer arguments than that (another overload): nothing to bound
            }
            throw QueryGate.refused(name + " builds a value of any size: its size must be a number up to " + limit
                    + " written in the statement");
        }
        try {
            if (Long.parseLong(value.get(0).image) <= QueryGate.MAX_BUILT_VALUE) {
                return;
            }
        } catch (NumberFormatException tooLong) {
            // beyond long: too big
        }
        throw QueryGate.refused(name + " would build a value of " + value.get(0).image + " characters; the console allows up to " + limit);
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
                throw QueryGate.refused("the escape string " + image + " ends in \\' (the parser and the database read it differently);"
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
}
