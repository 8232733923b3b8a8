package org.adminconsole.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.User;
import org.adminconsole.persistence.Database;

/**
 * Run in a child JVM: opens the console database in {@code args[0]} with durability {@code args[1]} (and the URL
 * {@code args[2]} when given), commits {@code args[3]} users (default 20) one by one, printing "COMMITTED n" after each
 * commit returned, then "READY", then hangs until killed.
 */
public final class CommitThenHang {
    public static void main(String[] args) throws Exception {
        Map<String, String> m = new HashMap<>(Map.of("data.dir", Path.of(args[0]).toString(), "db.seed.users", "0",
                "db.durability", args[1], "operator", "child"));
        if (args.length > 2 && !args[2].isEmpty()) {
            m.put("db.url", args[2]);
        }
        int commits = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Database db = Database.open(Settings.of(m));
        for (int i = 1; i <= commits; i++) {
            final int n = i;
            db.transactions().write("durability.commit", s -> {
                s.persist(new User("durable" + n + "@example.com", "durable" + n, Role.USER));
                return null;
            });
            System.out.println("COMMITTED " + n);
            System.out.flush();
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
