package org.adminconsole.service.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A forgiving SQL tokenizer for the console's editor: syntax highlighting, splitting a script into statements and
 * finding names for completion. It reads PostgreSQL and H2 text: {@code '…'} strings with {@code ''}, {@code E'…'}
 * strings with backslash escapes, {@code U&'…'}, {@code N'…'}, {@code X'…'}, {@code B'…'}, {@code "…"} identifiers,
 * dollar quotes ({@code $$…$$}, {@code $tag$…$tag$}), {@code $} inside identifiers, {@code --} and nested
 * {@code /* … *}{@code /} comments. Unterminated strings and comments run to the end of the text (no exception).
 *
 * <p>This is an editing aid, <b>not</b> a security check: what runs is decided by {@link QueryGate}, the dialect's own
 * statement count and the database (see the README's Security section).
 */
public final class SqlLexer {

    public enum Kind { KEYWORD, IDENTIFIER, QUOTED_IDENTIFIER, STRING, NUMBER, COMMENT, SEMICOLON, OTHER }

    /** One token: {@code text.substring(start, end)}. */
    public record Token(Kind kind, int start, int end) {
        public String text(CharSequence s) {
            return s.subSequence(start, end).toString();
        }
    }

    static final Set<String> KEYWORDS = Set.of(
            "ALL", "ALTER", "AND", "ANY", "ARRAY", "AS", "ASC", "BETWEEN", "BY", "CALL", "CASE", "CAST", "COALESCE",
            "COMMIT", "CREATE", "CROSS", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "DEFAULT", "DELETE", "DESC",
            "DISTINCT", "DROP", "ELSE", "END", "EXCEPT", "EXISTS", "EXPLAIN", "FALSE", "FETCH", "FILTER", "FIRST", "FOR",
            "FROM", "FULL", "GRANT", "GROUP", "HAVING", "ILIKE", "IN", "INNER", "INSERT", "INTERSECT", "INTERVAL", "INTO",
            "IS", "JOIN", "LATERAL", "LEFT", "LIKE", "LIMIT", "MERGE", "NATURAL", "NEXT", "NOT", "NULL", "NULLS", "OF",
            "OFFSET", "ON", "ONLY", "OR", "ORDER", "OUTER", "OVER", "PARTITION", "RECURSIVE", "RETURNING", "REVOKE",
            "RIGHT", "ROLLBACK", "ROW", "ROWS", "SELECT", "SET", "SOME", "TABLE", "THEN", "TO", "TRUE", "TRUNCATE", "UNION",
            "UNIQUE", "UPDATE", "USING", "VALUES", "VIEW", "WHEN", "WHERE", "WINDOW", "WITH", "WITHIN");

    private SqlLexer() {
    }

    public static boolean isKeyword(String word) {
        return KEYWORDS.contains(word.toUpperCase(Locale.ROOT));
    }

    /** Every token of {@code s} except white space, in order. */
    public static List<Token> tokens(CharSequence s) {
        List<Token> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            Kind kind;
            if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
                i = lineEnd(s, i);
                kind = Kind.COMMENT;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                i = blockCommentEnd(s, i);
                kind = Kind.COMMENT;
            } else if (c == '\'') {
                i = stringEnd(s, i, false);
                kind = Kind.STRING;
            } else if (c == '"') {
                i = quotedEnd(s, i, '"');
                kind = Kind.QUOTED_IDENTIFIER;
            } else if (c == '$') {
                int tagEnd = dollarTagEnd(s, i);
                if (tagEnd > 0) {
                    i = dollarQuoteEnd(s, i, tagEnd);
                    kind = Kind.STRING;
                } else {
                    i++;
                    while (i < n && Character.isDigit(s.charAt(i))) {
                        i++; // $1: a parameter
                    }
                    kind = Kind.OTHER;
                }
            } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1))) {
                i = numberEnd(s, i);
                kind = Kind.NUMBER;
            } else if (isIdentifierStart(c)) {
                int end = i + 1;
                while (end < n && isIdentifierPart(s.charAt(end))) {
                    end++;
                }
                int len = end - i;
                if (len == 1 && end < n && s.charAt(end) == '\'' && "EeNnXxBb".indexOf(c) >= 0) {
                    i = stringEnd(s, end, c == 'E' || c == 'e');
                    kind = Kind.STRING;
                } else if (len == 1 && (c == 'U' || c == 'u') && end + 1 < n && s.charAt(end) == '&'
                        && (s.charAt(end + 1) == '\'' || s.charAt(end + 1) == '"')) {
                    boolean str = s.charAt(end + 1) == '\'';
                    i = str ? stringEnd(s, end + 1, false) : quotedEnd(s, end + 1, '"');
                    kind = str ? Kind.STRING : Kind.QUOTED_IDENTIFIER;
                } else {
                    i = end;
                    kind = KEYWORDS.contains(s.subSequence(start, end).toString().toUpperCase(Locale.ROOT))
                            ? Kind.KEYWORD : Kind.IDENTIFIER;
                }
            } else if (c == ';') {
                i++;
                kind = Kind.SEMICOLON;
            } else {
                i++;
                kind = Kind.OTHER;
            }
            out.add(new Token(kind, start, i));
        }
        return out;
    }

    static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static int lineEnd(CharSequence s, int i) {
        while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    private static int blockCommentEnd(CharSequence s, int i) {
        int depth = 0;
        int n = s.length();
        while (i < n) {
            if (s.charAt(i) == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                depth++;
                i += 2;
            } else if (s.charAt(i) == '*' && i + 1 < n && s.charAt(i + 1) == '/') {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** {@code s.charAt(i)} is the opening quote; {@code ''} is a quote, and with {@code backslash} so is {@code \'}. */
    private static int stringEnd(CharSequence s, int i, boolean backslash) {
        int n = s.length();
        i++;
        while (i < n) {
            char c = s.charAt(i);
            if (backslash && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < n && s.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    private static int quotedEnd(CharSequence s, int i, char quote) {
        int n = s.length();
        i++;
        while (i < n) {
            if (s.charAt(i) == quote) {
                if (i + 1 < n && s.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** The end (exclusive) of a dollar-quote tag {@code $tag$} starting at {@code i}, or -1 when none starts there. */
    private static int dollarTagEnd(CharSequence s, int i) {
        int n = s.length();
        int j = i + 1;
        if (j < n && s.charAt(j) == '$') {
            return j + 1;
        }
        if (j >= n || !isIdentifierStart(s.charAt(j))) {
            return -1;
        }
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
        }
        return j < n && s.charAt(j) == '$' ? j + 1 : -1;
    }

    private static int dollarQuoteEnd(CharSequence s, int i, int tagEnd) {
        String tag = s.subSequence(i, tagEnd).toString();
        int n = s.length();
        int at = tagEnd;
        while (at + tag.length() <= n) {
            if (s.charAt(at) == '$' && s.subSequence(at, at + tag.length()).toString().equals(tag)) {
                return at + tag.length();
            }
            at++;
        }
        return n;
    }

    private static int numberEnd(CharSequence s, int i) {
        int n = s.length();
        while (i < n && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && Character.isDigit(s.charAt(i))) {
                i++;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < n && Character.isDigit(s.charAt(j))) {
                i = j;
                while (i < n && Character.isDigit(s.charAt(i))) {
                    i++;
                }
            }
        }
        return i;
    }
}
