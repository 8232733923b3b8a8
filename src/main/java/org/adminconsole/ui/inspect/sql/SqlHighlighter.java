package org.adminconsole.ui.inspect.sql;

import java.util.Collection;
import java.util.List;
import org.adminconsole.service.inspect.SqlLexer;
import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;

/**
 * The style spans of a SQL text (keyword, string, number, comment, quoted identifier), from {@link SqlLexer}. Pure
 * computation on a text snapshot: it runs off the FX thread, and only the result is applied on it.
 */
public final class SqlHighlighter {

    private SqlHighlighter() {
    }

    /** The style class of a token kind, or null for plain text. */
    static String styleOf(SqlLexer.Kind kind) {
        return switch (kind) {
            case KEYWORD -> "sql-keyword";
            case STRING -> "sql-string";
            case NUMBER -> "sql-number";
            case COMMENT -> "sql-comment";
            case QUOTED_IDENTIFIER -> "sql-quoted";
            default -> null;
        };
    }

    public static StyleSpans<Collection<String>> compute(String text) {
        StyleSpansBuilder<Collection<String>> spans = new StyleSpansBuilder<>();
        int at = 0;
        for (SqlLexer.Token t : SqlLexer.tokens(text)) {
            String style = styleOf(t.kind());
            if (style == null) {
                continue;
            }
            if (t.start() > at) {
                spans.add(List.of(), t.start() - at);
            }
            spans.add(List.of(style), t.end() - t.start());
            at = t.end();
        }
        spans.add(List.of(), text.length() - at); // a builder needs at least one span
        return spans.create();
    }
}
