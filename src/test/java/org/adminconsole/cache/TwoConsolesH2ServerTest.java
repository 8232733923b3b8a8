package org.adminconsole.cache;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;

/** Two consoles connected to one H2 TCP server. */
class TwoConsolesH2ServerTest extends TwoConsolesTestBase {

    private Server server;

    @Override
    Settings settings(Path dir, Map<String, String> extra) {
        try {
            server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> m = new HashMap<>(extra);
        m.put("db.url", "jdbc:h2:tcp://localhost:" + server.getPort() + "/console");
        return TestDatabases.h2(dir, m);
    }

    @AfterEach
    void stopServer() {
        closeConsoles();
        a = null;
        b = null;
        if (server != null) {
            server.stop();
        }
    }
}
