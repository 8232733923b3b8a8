package org.adminconsole;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;

/**
 * Run in a child JVM: starts the way the console does ({@code --loopback}: {@link Launcher#bindH2ToLoopback()} first),
 * opens an H2 file with AUTO_SERVER, prints the server address H2 wrote into its lock file ("SERVER host:port"), and
 * waits until stdin closes.
 */
public final class LoopbackProbe {
    public static void main(String[] args) throws Exception {
        if (args[1].equals("--loopback")) {
            Launcher.bindH2ToLoopback();
        }
        Path db = Path.of(args[0]);
        try (Connection c = DriverManager.getConnection("jdbc:h2:" + db + ";AUTO_SERVER=TRUE", "sa", "")) {
            c.createStatement().execute("SELECT 1");
            Properties lock = new Properties();
            try (var in = Files.newInputStream(Path.of(db + ".lock.db"))) {
                lock.load(in);
            }
            System.out.println("SERVER " + lock.getProperty("server"));
            System.out.flush();
            while (System.in.read() >= 0) {
                // keep the server up until the parent closes our stdin
            }
        }
    }
}
