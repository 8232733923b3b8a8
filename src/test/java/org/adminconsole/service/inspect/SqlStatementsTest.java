package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting a script on ';' and finding the statement under the caret, on the texts that fool naive splitters. */
class SqlStatementsTest {

    private static List<String> split(String script) {
        return SqlStatements.split(script).stream().map(s -> s.text(script)).toList();
    }

    /** The statement for a caret written as '|' in the script. */
    private static String at(String scriptWithCaret) {
        int caret = scriptWithCaret.indexOf('|');
        String script = scriptWithCaret.substring(0, caret) + scriptWithCaret.substring(caret + 1);
        return SqlStatements.at(script, caret).map(s -> s.text(script)).orElse(null);
    }

    @Test
    void splitsOnSemicolonsAndDropsEmptyStatements() {
        assertThat(split("SELECT 1; SELECT 2;\n\n  SELECT 3")).containsExactly("SELECT 1", "SELECT 2", "SELECT 3");
        assertThat(split(";;  ; SELECT 1;;")).containsExactly("SELECT 1");
        assertThat(split("")).isEmpty();
        assertThat(split("  \n -- only a comment;\n")).isEmpty();
    }

    @Test
    void aSemicolonInAStringIdentifierOrCommentDoesNotSplit() {
        assertThat(split("SELECT ';' AS a, 'it''s;' FROM t; SELECT 2")).containsExactly("SELECT ';' AS a, 'it''s;' FROM t", "SELECT 2");
        assertThat(split("SELECT \"a;b\" FROM \"x\"\"; y\"; SELECT 2")).containsExactly("SELECT \"a;b\" FROM \"x\"\"; y\"", "SELECT 2");
        assertThat(split("SELECT 1 -- not here; nor here\n; SELECT 2")).containsExactly("SELECT 1 -- not here; nor here", "SELECT 2");
        assertThat(split("SELECT /* a ; /* nested ; */ still ; */ 1; SELECT 2"))
                .containsExactly("SELECT /* a ; /* nested ; */ still ; */ 1", "SELECT 2");
    }

    @Test
    void postgresEscapeStringsAndDollarQuotes() {
        // E'\'' is one quote inside the string: a naive splitter ends the string there and splits at the ';'
        assertThat(split("SELECT E'\\'; DELETE FROM t; --' AS x; SELECT 2"))
                .containsExactly("SELECT E'\\'; DELETE FROM t; --' AS x", "SELECT 2");
        // without E a backslash is an ordinary character
        assertThat(split("SELECT '\\'; SELECT 2")).containsExactly("SELECT '\\'", "SELECT 2");
        assertThat(split("SELECT $$ a ; b $$; SELECT $tag$ ; $$ ; $tag$ AS y; SELECT 3"))
                .containsExactly("SELECT $$ a ; b $$", "SELECT $tag$ ; $$ ; $tag$ AS y", "SELECT 3");
        // $ inside an identifier and $1 parameters do not open a dollar quote
        assertThat(split("SELECT a$b$ FROM t$1 WHERE x = $1; SELECT 2")).containsExactly("SELECT a$b$ FROM t$1 WHERE x = $1", "SELECT 2");
        assertThat(split("SELECT U&'d\\0061t;a' , N'x;y', X'3b'; SELECT 2")).hasSize(2);
    }

    @Test
    void unterminatedStringsAndCommentsRunToTheEnd() {
        assertThat(split("SELECT 1; SELECT 'open ; SELECT 3")).containsExactly("SELECT 1", "SELECT 'open ; SELECT 3");
        assertThat(split("SELECT 1; /* open ; SELECT 3")).containsExactly("SELECT 1");
        assertThat(split("SELECT $x$ open ; SELECT 3")).containsExactly("SELECT $x$ open ; SELECT 3");
    }

    @Test
    void theStatementUnderTheCaret() {
        assertThat(at("|SELECT 1; SELECT 2")).isEqualTo("SELECT 1");
        assertThat(at("SELECT 1|; SELECT 2")).isEqualTo("SELECT 1");
        assertThat(at("SELECT 1;| SELECT 2")).as("right after the ';'").isEqualTo("SELECT 1");
        assertThat(at("SELECT 1; |SELECT 2")).isEqualTo("SELECT 2");
        assertThat(at("SELECT 1; SELECT 2|")).isEqualTo("SELECT 2");
        assertThat(at("SELECT 1;   |\nSELECT 2")).as("still on the first one's line").isEqualTo("SELECT 1");
        assertThat(at("SELECT 1;\n|\nSELECT 2")).as("on the empty line between").isEqualTo("SELECT 2");
        assertThat(at("SELECT 1;\nSELECT 2;\n\n|")).as("after the last one").isEqualTo("SELECT 2");
        assertThat(at("SELECT 'a;|b'; SELECT 2")).isEqualTo("SELECT 'a;b'");
        assertThat(at("SELECT $$ ; | ; $$; SELECT 2")).isEqualTo("SELECT $$ ;  ; $$");
        assertThat(at("-- the users\nSELECT * FROM users|;\nSELECT 2")).isEqualTo("-- the users\nSELECT * FROM users");
        assertThat(at("  |  ")).isNull();
    }

    @Test
    void theSelectionWinsOverTheCaret() {
        String script = "SELECT 1; SELECT 2; SELECT 3";
        assertThat(SqlStatements.toRun(script, 0, 10, 18)).isEqualTo("SELECT 2");
        assertThat(SqlStatements.toRun(script, 25, 25, 25)).isEqualTo("SELECT 3");
    }

    @Test
    void tokensForHighlighting() {
        String s = "SELECT 'x', 42, \"Name\" -- c\nFROM t /* b */";
        assertThat(SqlLexer.tokens(s)).extracting(SqlLexer.Token::kind).containsExactly(
                SqlLexer.Kind.KEYWORD, SqlLexer.Kind.STRING, SqlLexer.Kind.OTHER, SqlLexer.Kind.NUMBER, SqlLexer.Kind.OTHER,
                SqlLexer.Kind.QUOTED_IDENTIFIER, SqlLexer.Kind.COMMENT, SqlLexer.Kind.KEYWORD, SqlLexer.Kind.IDENTIFIER,
                SqlLexer.Kind.COMMENT);
        assertThat(SqlLexer.tokens("1.5e10 .5 7")).extracting(SqlLexer.Token::kind).containsOnly(SqlLexer.Kind.NUMBER).hasSize(3);
    }
}
