package org.adminconsole.testing;

import java.nio.file.Path;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.User;
import org.adminconsole.persistence.Database;

/**
 * Run in a child JVM: opens the console database in {@code args[0]} with durability {@code args[1]}, commits
 * users one by one and prints "COMMITTED n" after each commit returned, then hangs until killed.
 */
public final class CommitThenHang {
    public static void main(String[] args) throws Exception {
        Database db = Database.open(Settings.of(Map.of("data.dir", Path.of(args[0]).toString(), "db.seed.users", "0",
                "db.durability", args[1], "operator", "child")));
        for (int i = 1; i <= 20; i++) {
            final int n = i;
            db.transactions().write("durability.commit", s -> {
                s.persist(new User("durable" + n + "@example.com", "durable" + n, Role.USER));
                return null;
            });
            System.out.println("COMMITTED " + n);
            System.out.flush();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
