package org.adminconsole.bench;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.testing.TestDatabases;
import org.h2.tools.Server;

/** Two consoles on one shared database for the coherence benchmarks: an H2 TCP server or PostgreSQL. */
final class CoherenceSetup implements AutoCloseable {

    final AppContext a;
    final AppContext b;
    final long userId;
    private final Server server;

    CoherenceSetup(String db, Map<String, String> extra) throws Exception {
        Path dir = TestDatabases.tempDir("coherence-bench");
        Map<String, String> m = new HashMap<>(extra);
        Settings s;
        if (db.equals("postgres")) {
            server = null;
            s = TestDatabases.postgres(dir, m);
        } else {
            server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
            m.put("db.url", "jdbc:h2:tcp://localhost:" + server.getPort() + "/console");
            s = TestDatabases.h2(dir, m);
        }
        a = AppContext.start(s);
        b = AppContext.start(s);
        userId = createUser(a.database().transactions(), "bench@example.com");
    }

    static long createUser(Transactions tx, String email) {
        return tx.bulk("bench.createUser", 1, st -> st.doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (email, email_key, username, role, active,"
                    + " quota, usage_amount, created_at, updated_at, created_by, updated_by, version)"
                    + " VALUES (?, ?, ?, 'USER', TRUE, 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'bench', 'bench', 0)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, email);
                ps.setString(2, email);
                ps.setString(3, email.substring(0, email.indexOf('@')));
                ps.executeUpdate();
                tx.current().orElseThrow().touch("users");
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }));
    }

    @Override
    public void close() {
        b.close();
        a.close();
        if (server != null) {
            server.stop();
        }
    }
}
