package org.adminconsole.testing;

import java.sql.Connection;
import java.sql.DriverManager;

/** Run in a child JVM: opens an embedded H2 file (locking it), says "LOCKED", waits until stdin closes. */
public final class HoldH2File {
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], "sa", "")) {
            c.createStatement().execute("SELECT 1");
            System.out.println("LOCKED");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the parent closes our stdin or kills us
            }
        }
    }
}
