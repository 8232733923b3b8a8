package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.adminconsole.config.Settings;
import org.adminconsole.service.ValidationException;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated input: scripts of one to three statements full of each dialect's lexical corners (quotes and semicolons
 * inside strings, E'\'' strings, dollar quotes with and without tags, U&amp; strings, quoted identifiers, $ inside
 * identifiers, line, block and nested comments), each statement advancing a counter sequence. The database (PostgreSQL
 * in simple query mode, where the server itself splits the text; H2, which runs every statement of a text) counts what
 * it executed; the console's counts must agree:
 * <ul>
 *   <li>the dialect's own count (pgjdbc's splitter, H2's ScriptReader) is never lower than what the database ran (a
 *       higher count only refuses more: pgjdbc counts a trailing "; -- comment" as a statement, the server does not),
 *       and equals it for most texts;</li>
 *   <li>whenever the console's gate (parser and dialect count) accepts a text, the database ran at most one statement,
 *       and exactly one when it ran without error.</li>
 * </ul>
 */
class StatementCountTest {

    private static final int SCRIPTS = 300;

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void theGatesCountMatchesWhatTheDatabaseExecutes(String db) throws Exception {
        boolean pg = db.equals("pg");
        Random random = new Random(20261125L + (pg ? 1 : 0));
        int compared = 0;
        int accepted = 0;
        int equal = 0;
        try (Connection admin = connect(pg); Statement st = admin.createStatement()) {
            st.execute("CREATE SEQUENCE ctr");
            for (int n = 0; n < SCRIPTS; n++) {
                String script = script(random, pg);
                int dialectCount;
                try {
                    dialectCount = pg ? PostgresReaderLogin.count(admin, script) : H2ReaderLogin.count(script);
                } catch (SQLException e) {
                    dialectCount = -1; // the driver refuses to split it (unterminated quote): nothing would be sent
                }
                boolean gate = gateAccepts(script, dialectCount);
                long before = value(st, pg);
                boolean ranAll;
                try {
                    st.execute(script);
                    while (st.getMoreResults() || st.getUpdateCount() != -1) {
                        // drain every result
                    }
                    ranAll = true;
                } catch (SQLException e) {
                    ranAll = false;
                }
                long executed = value(st, pg) - before;
                if (ranAll && dialectCount >= 0) {
                    compared++;
                    assertThat((long) dialectCount).as("statements in %s", script).isGreaterThanOrEqualTo(executed);
                    if (dialectCount == executed) {
                        equal++;
                    }
                }
                if (gate) {
                    accepted++;
                    assertThat(executed).as("the gate accepted %s", script).isLessThanOrEqualTo(1);
                    if (ranAll) {
                        assertThat(executed).as("the gate accepted %s", script).isEqualTo(1);
                    }
                }
            }
        }
        System.out.printf("[statement count %s] %d scripts, %d ran fully and were compared (%d counted exactly), %d accepted by the gate%n",
                db, SCRIPTS, compared, equal, accepted);
        assertThat(compared).isGreaterThan(SCRIPTS / 2);
        assertThat(equal).isGreaterThan(compared * 3 / 4);
        assertThat(accepted).isGreaterThan(SCRIPTS / 10);
    }

    private Connection connect(boolean pg) throws SQLException {
        if (!pg) {
            return DriverManager.getConnection("jdbc:h2:mem:count" + System.nanoTime(), "sa", "");
        }
        Settings s = TestDatabases.postgres(dir, Map.of());
        // simple query mode: the whole text goes to the server in one message and the server splits it
        return DriverManager.getConnection(s.dbUrl() + "&preferQueryMode=simple", "postgres", "");
    }

    private static boolean gateAccepts(String script, int dialectCount) {
        try {
            QueryGate.check(script.replace("nextval('ctr')", "abs(1)").replace("NEXT VALUE FOR ctr", "ABS(1)"), Set.of());
        } catch (ValidationException e) {
            return false;
        }
        return dialectCount == 1;
    }

    /** The counter's position: every executed statement advanced it once. */
    private static long value(Statement st, boolean pg) throws SQLException {
        try (ResultSet rs = st.executeQuery(pg ? "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM ctr"
                : "SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'CTR'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- the generator -------------------------------------------------------------------------------------------

    private static String script(Random r, boolean pg) {
        int statements = 1 + r.nextInt(3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < statements; i++) {
            if (i > 0) {
                sb.append(pick(r, List.of(";", "; ", ";\n", " ;", "; -- next ; one\n", ";/* ; */", ";;", "; /* a ; */ ")));
            }
            sb.append(statement(r, pg));
        }
        if (r.nextInt(4) == 0) {
            sb.append(pick(r, List.of(";", " -- trailing ; comment", "; -- done", " /* end; */")));
        }
        return sb.toString();
    }

    private static String statement(Random r, boolean pg) {
        List<String> columns = new ArrayList<>();
        columns.add(pg ? "nextval('ctr')" : "NEXT VALUE FOR ctr");
        int extra = r.nextInt(4);
        for (int i = 0; i < extra; i++) {
            columns.add(noise(r, pg));
        }
        java.util.Collections.shuffle(columns, r);
        StringBuilder sb = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(comment(r, pg)).append(", ");
            }
            sb.append(columns.get(i)).append(" AS ").append(alias(r, pg, i));
        }
        return sb.toString();
    }

    private static String noise(Random r, boolean pg) {
        List<String> common = List.of("'a;b'", "'it''s; fine'", "';'", "'--;'", "'/*'", "'*/;'", "\"\"", "'\"'", "1", "2.5",
                "$$;$$", "$$it's; $$", "'$$'", "'\\'");
        List<String> pgOnly = List.of("E'\\''", "E'a\\'b;'", "E'\\\\'", "E';\\''", "$t$ ; $t$", "$t$;'$$;$t$", "U&'\\0027;'",
                "U&'d\\0061t'", "'\\';'", "E'\\\\';'");
        List<String> pool = new ArrayList<>(common);
        if (pg) {
            pool.addAll(pgOnly);
        }
        return pick(r, pool);
    }

    private static String alias(Random r, boolean pg, int i) {
        List<String> aliases = new ArrayList<>(List.of("c" + i, "\"c;" + i + "\"", "\"c\"\";" + i + "\"", "c_" + i));
        if (pg) {
            aliases.add("c$" + i);
            aliases.add("a$b$" + i);
        }
        return pick(r, aliases);
    }

    private static String comment(Random r, boolean pg) {
        List<String> comments = new ArrayList<>(List.of("", "", " /* ; */", " -- ; comment\n", " /* ' */", " /* $$ */"));
        if (pg) {
            comments.add(" /* a /* nested ; */ ; */");
        } else {
            comments.add(" // line ; comment\n");
        }
        return pick(r, comments);
    }

    private static String pick(Random r, List<String> options) {
        return options.get(r.nextInt(options.size()));
    }
}
