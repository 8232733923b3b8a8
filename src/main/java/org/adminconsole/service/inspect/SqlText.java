package org.adminconsole.service.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small SQL scanner (no parser): splits a script into statements at top-level semicolons and lists the
 * words outside string literals, quoted identifiers, comments and PostgreSQL dollar quotes. Used to refuse
 * several statements at once and to recognise the kind of a statement before sending it.
 */
public final class SqlText {

    private final List<String> statements;
    private final List<List<String>> words;

    private SqlText(List<String> statements, List<List<String>> words) {
        this.statements = statements;
        this.words = words;
    }

    public static SqlText scan(String sql) {
        List<String> stmts = new ArrayList<>();
        List<List<String>> allWords = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        StringBuilder word = new StringBuilder();
        boolean hasContent = false;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int end = i + 1;
            if (c == '\'' || c == '"' || c == '`') {
                end = closeQuote(sql, i, c);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                end = sql.indexOf('\n', i);
                end = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
            } else if (c == '$' && word.length() == 0) {
                int tagEnd = sql.indexOf('$', i + 1);
                if (tagEnd > 0 && sql.substring(i + 1, tagEnd).matches("[A-Za-z_0-9]*")) {
                    String tag = sql.substring(i, tagEnd + 1);
                    int close = sql.indexOf(tag, tagEnd + 1);
                    end = close < 0 ? n : close + tag.length();
                }
            }
            boolean isWordChar = Character.isLetterOrDigit(c) || c == '_';
            if (end == i + 1 && isWordChar) {
                word.append(c);
            } else if (word.length() > 0) {
                words.add(word.toString().toUpperCase(Locale.ROOT));
                word.setLength(0);
            }
            if (end == i + 1 && c == ';') {
                if (hasContent) {
                    stmts.add(cur.toString().trim());
                    allWords.add(List.copyOf(words));
                }
                cur.setLength(0);
                words.clear();
                hasContent = false;
            } else {
                String piece = sql.substring(i, end);
                cur.append(piece);
                boolean comment = piece.startsWith("--") || piece.startsWith("/*");
                if (!comment && !piece.isBlank()) {
                    hasContent = true;
                }
            }
            i = end;
        }
        if (word.length() > 0) {
            words.add(word.toString().toUpperCase(Locale.ROOT));
        }
        if (hasContent) {
            stmts.add(cur.toString().trim());
            allWords.add(List.copyOf(words));
        }
        return new SqlText(List.copyOf(stmts), List.copyOf(allWords));
    }

    private static int closeQuote(String sql, int start, char q) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == q) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == q) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    public List<String> statements() {
        return statements;
    }

    /** Words of statement {@code i}, upper case, outside literals and comments. */
    public List<String> words(int i) {
        return words.get(i);
    }

    /** The first word of the first statement, or "" (e.g. SELECT, WITH, INSERT). */
    public String firstWord() {
        return words.isEmpty() || words.get(0).isEmpty() ? "" : words.get(0).get(0);
    }

    /** Whether statement 0 contains the given consecutive words (e.g. NEXT VALUE FOR). */
    public boolean containsSequence(String... seq) {
        if (words.isEmpty()) {
            return false;
        }
        List<String> w = words.get(0);
        outer:
        for (int i = 0; i + seq.length <= w.size(); i++) {
            for (int k = 0; k < seq.length; k++) {
                if (!w.get(i + k).equals(seq[k])) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
