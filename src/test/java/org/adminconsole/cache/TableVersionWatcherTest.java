package org.adminconsole.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watcher's reading of table_versions rows, on a bare table whose rows the test sets directly (no triggers):
 * a database that lost commits (a killed server, a restored backup) and was written again must never look unchanged.
 */
class TableVersionWatcherTest {

    JdbcDataSource ds;
    TableVersionWatcher watcher;
    final List<Set<String>> foreign = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:watcher" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        exec("CREATE TABLE table_versions (table_name VARCHAR(64) PRIMARY KEY, version BIGINT, changed_at TIMESTAMP, last_tx VARCHAR(80))",
                "INSERT INTO table_versions VALUES ('users', 10, CURRENT_TIMESTAMP, 'a:10')");
        watcher = new TableVersionWatcher(ds, org.adminconsole.persistence.Dialect.H2);
        watcher.setChangeHandler(foreign::add);
    }

    private void exec(String... sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    @Test
    void anIncrementByAnotherConsoleIsSeen() throws Exception {
        exec("UPDATE table_versions SET version = 11, last_tx = 'b:1'");
        assertThat(watcher.checkNow().foreign()).containsExactly("users");
        assertThat(watcher.checkNow().foreign()).isEmpty();
    }

    @Test
    void theSameVersionNumberFromAnotherTransactionIsAChange() throws Exception {
        // version 11 committed by console B was seen; the server then lost it (killed with commits in memory) ...
        exec("UPDATE table_versions SET version = 11, last_tx = 'b:1'");
        assertThat(watcher.checkNow().foreign()).containsExactly("users");
        // ... and the next write, by anyone, produces version 11 again, from another transaction
        exec("UPDATE table_versions SET version = 11, last_tx = 'c:7'");
        assertThat(watcher.checkNow().foreign()).as("same number, different transaction").containsExactly("users");
    }

    @Test
    void aVersionThatWentBackIsAChange() throws Exception {
        exec("UPDATE table_versions SET version = 12, last_tx = 'b:2'");
        watcher.checkNow();
        exec("UPDATE table_versions SET version = 9, last_tx = 'restored'");
        assertThat(watcher.checkNow().foreign()).containsExactly("users");
        assertThat(foreign).hasSize(2);
    }

    @Test
    void anUnchangedRowIsNoChange() {
        assertThat(watcher.checkNow().foreign()).isEmpty();
        assertThat(foreign).isEmpty();
    }
}
