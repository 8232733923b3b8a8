package org.adminconsole.service.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A script as statements: split on {@code ;} outside strings, quoted identifiers, comments and dollar quotes
 * ({@link SqlLexer}), and the statement under the editor's caret. A convenience for the editor only: the text that
 * runs still passes {@link QueryGate}, the dialect's own statement count and the database's read-only rules.
 */
public final class SqlStatements {

    /**
     * One statement: {@code text.substring(start, end)} is its text from its first to its last token (comments
     * included, white space and the {@code ;} not); {@code delimiter} is the position of its {@code ;}, or -1.
     */
    public record Statement(int start, int end, int delimiter) {
        public String text(String script) {
            return script.substring(start, end);
        }

        /** Where the statement ends for the caret: after its {@code ;} when it has one. */
        int reach() {
            return delimiter >= 0 ? delimiter + 1 : end;
        }
    }

    private SqlStatements() {
    }

    /** The statements of {@code script}; empty ones ({@code ;;}) and ones of comments only are left out. */
    public static List<Statement> split(String script) {
        List<Statement> out = new ArrayList<>();
        int start = -1;
        int end = -1;
        boolean code = false;
        for (SqlLexer.Token t : SqlLexer.tokens(script)) {
            if (t.kind() == SqlLexer.Kind.SEMICOLON) {
                if (code) {
                    out.add(new Statement(start, end, t.start()));
                }
                start = -1;
                code = false;
                continue;
            }
            if (start < 0) {
                start = t.start();
            }
            end = t.end();
            code |= t.kind() != SqlLexer.Kind.COMMENT;
        }
        if (code) {
            out.add(new Statement(start, end, -1));
        }
        return out;
    }

    /**
     * The statement the caret is in or next to: the one whose text (with its {@code ;}) contains the caret; in the
     * space between two statements, the previous one while the caret is still on its line, else the next one (the
     * last one after the end of the script). Empty when the script has no statement.
     */
    public static Optional<Statement> at(String script, int caret) {
        List<Statement> all = split(script);
        Statement previous = null;
        for (Statement s : all) {
            if (caret < s.start()) {
                if (previous != null && !hasLineBreak(script, previous.reach(), caret)) {
                    return Optional.of(previous);
                }
                return Optional.of(s);
            }
            if (caret <= s.reach()) {
                return Optional.of(s);
            }
            previous = s;
        }
        return Optional.ofNullable(previous);
    }

    /** The text to run for the caret, or the selection when there is one (blank: nothing to run). */
    public static String toRun(String script, int caret, int selectionStart, int selectionEnd) {
        if (selectionEnd > selectionStart) {
            return script.substring(selectionStart, selectionEnd).strip();
        }
        return at(script, caret).map(s -> s.text(script)).orElse("");
    }

    private static boolean hasLineBreak(String s, int from, int to) {
        for (int i = Math.max(0, from); i < Math.min(to, s.length()); i++) {
            if (s.charAt(i) == '\n' || s.charAt(i) == '\r') {
                return true;
            }
        }
        return false;
    }
}
