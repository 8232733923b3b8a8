package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.adminconsole.service.ValidationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The parser gate alone (no database): what it lets through, what it refuses, and with which words. */
class QueryGateTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM users",
            "select id, email from users where role = 'ADMIN' order by id desc limit 10",
            "SELECT role, COUNT(*) FILTER (WHERE active) FROM users GROUP BY role HAVING COUNT(*) > 1",
            "WITH a AS (SELECT id FROM users) SELECT * FROM a",
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r",
            "VALUES (1, 2), (3, 4)",
            "TABLE users",
            "EXPLAIN SELECT * FROM users",
            "EXPLAIN ANALYZE SELECT * FROM users WHERE id = 1",
            "SELECT row_number() OVER (PARTITION BY role ORDER BY id) FROM users",
            "SELECT SUBSTRING(email FROM 1 FOR 3), POSITION('@' IN email) FROM users",
            "SELECT $$a;b$$, 'it''s', a$b FROM (SELECT 1 AS a$b) q",
            "SELECT U&'d\\0061t'",
            "SELECT E'a\\\\' AS escaped_backslash",
            "SELECT * FROM SYSTEM_RANGE(1, 10)",
            "SELECT g FROM generate_series(1, 10) g",
            "SELECT LPAD(email, 40, '.'), REPEAT('-', 20) FROM users",
            "select u1_0.id,u1_0.email from users u1_0 where u1_0.id=?",
            "SELECT 1; -- trailing comment",
            "SELECT \"update\", \"delete\" FROM t"})
    void acceptsQueries(String sql) {
        QueryGate.Checked c = QueryGate.check(sql, Set.of());
        assertThat(c.sql()).doesNotEndWith(";").doesNotContain("trailing comment");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "DELETE FROM users                                        | Refused: DELETE statements change the database",
            "CALL BUMP()                                              | Refused: CALL statements are not queries",
            "COMMIT                                                   | Refused: COMMIT statements are not queries",
            "SELECT 1; SELECT 2                                       | Run one statement at a time (found 2",
            "SELECT * FROM users FOR UPDATE                           | Refused: FOR UPDATE locks rows",
            "SELECT * FROM users FOR KEY SHARE                        | Refused: FOR KEY SHARE locks rows",
            "SELECT * FROM (SELECT * FROM users FOR SHARE) s          | Refused: FOR SHARE locks rows",
            "SELECT * INTO evil FROM users                            | Refused: SELECT … INTO creates a table",
            "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d    | Refused: the WITH part d changes data",
            "SELECT NEXT VALUE FOR s                                  | Refused: NEXT VALUE FOR advances a sequence",
            "SELECT \"NEXTVAL\"('S')                                  | Refused: the function NEXTVAL is not allowed here",
            "SELECT id FROM users ORDER BY nextval('s')               | Refused: NEXTVAL advances a sequence",
            "SELECT pg_catalog.pg_read_file('/etc/passwd')            | Refused: the function PG_READ_FILE is not allowed",
            "SELECT pg_advisory_lock(1)                               | Refused: the function PG_ADVISORY_LOCK is not allowed",
            "SELECT lo_export(1, '/tmp/x')                            | Refused: the function LO_EXPORT is not allowed",
            "SELECT set_config('a', 'b', false)                       | Refused: the function SET_CONFIG is not allowed",
            "SELECT CSVWRITE('/tmp/x', 'SELECT 1')                    | Refused: the function CSVWRITE is not allowed",
            "SELECT REPEAT('x', 400000000)                            | Refused: REPEAT would build a value of 400000000 characters",
            "SELECT E'\\'' AS a                                        | SQL error: Syntax error",
            "SELECT E'\\'', nextval('s') --'                           | SQL error: Syntax error",
            "SELECT E'\\' = 'x'                                       | Refused: the escape string E'\\' ends in \\'",
            "SELECT 1 /* a /* b */ c */                               | SQL error: Syntax error",
            "'   '                                                    | SQL error: Syntax error",
            "  -- nothing                                             | Type a query to run"})
    void refusesWithAMessage(String sql, String message) {
        assertThatThrownBy(() -> QueryGate.check(sql, Set.of())).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith(message);
    }

    /** Statements that would keep the parser busy for ever are refused before it starts; what it accepts stays quick. */
    @org.junit.jupiter.api.Test
    void inputThatWouldHoldUpTheParserIsRefusedBeforeParsing() {
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> QueryGate.check("SELECT " + "(".repeat(30) + "1" + ")".repeat(30), Set.of()))
                    .hasMessageStartingWith("The statement nests parentheses more than 16 levels deep");
        }
        assertThatThrownBy(() -> QueryGate.check("SELECT '" + "x".repeat(100_001) + "'", Set.of()))
                .hasMessageStartingWith("The statement is longer than the 100,000 characters");
        assertThat(QueryGate.check("SELECT " + "(".repeat(16) + "1" + ")".repeat(16), Set.of()).kind()).isEqualTo(QueryGate.Kind.QUERY);
        assertThat(QueryGate.check("SELECT * FROM t WHERE a IN " + "(SELECT a FROM t WHERE a IN ".repeat(7) + "(1)" + ")".repeat(7),
                Set.of()).kind()).isEqualTo(QueryGate.Kind.QUERY);
        assertThat(java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(3);
        assertThat(QueryGate.check("SELECT 1", Set.of()).sql()).isEqualTo("SELECT 1"); // and the parser is free
    }

    /**
     * Eight consoles (or a console and the EXPLAIN of slow statements) checking at the same moment: more than the three
     * parser threads. Each check waits for a free parser instead of telling the operator the parser is busy.
     */
    @org.junit.jupiter.api.Test
    void eightChecksAtOnceAllGetTheirAnswer() throws Exception {
        String nested = "SELECT * FROM t WHERE a IN " + "(SELECT a FROM t WHERE a IN ".repeat(7) + "(1)" + ")".repeat(7);
        int operators = 8;
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(operators);
        java.util.concurrent.ExecutorService consoles = java.util.concurrent.Executors.newFixedThreadPool(operators);
        try {
            java.util.List<java.util.concurrent.Future<QueryGate.Kind>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < operators * 3; i++) {
                answers.add(consoles.submit(() -> {
                    together.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    return QueryGate.check(nested, Set.of()).kind();
                }));
            }
            for (java.util.concurrent.Future<QueryGate.Kind> answer : answers) {
                assertThat(answer.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(QueryGate.Kind.QUERY);
            }
        } finally {
            consoles.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT BUMP()", "SELECT bump(1) FROM users", "SELECT PUBLIC.BUMP()"})
    void refusesTheDatabasesOwnDeniedFunctions(String sql) {
        assertThatThrownBy(() -> QueryGate.check(sql, Set.of("BUMP"))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("is defined in the database as Java code");
    }
}
