package org.adminconsole.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.support.TaskHandle;

/**
 * Run in a child JVM: starts a console (migrations, first-start seeding) on the data folder {@code args[0]} with the URL
 * {@code args[1]} (empty: the default H2 file) seeding {@code args[2]} users, printing "SEEDING n" as the seeding goes
 * and "USERS n" once started; then hangs until killed.
 */
public final class StartConsole {
    public static void main(String[] args) throws Exception {
        Map<String, String> m = new HashMap<>(Map.of("data.dir", Path.of(args[0]).toString(), "db.seed.users", args[2],
                "operator", "child"));
        if (!args[1].isEmpty()) {
            m.put("db.url", args[1]);
        }
        TaskHandle start = new TaskHandle("start");
        start.setListener(new TaskHandle.Listener() {
            @Override
            public void progress(long done, long total) {
                System.out.println("SEEDING " + done);
                System.out.flush();
            }

            @Override
            public void message(String text) {
            }
        });
        AppContext ctx = start.run(() -> AppContext.start(Settings.of(m)));
        long users = ctx.database().transactions().read("count", s ->
                s.createSelectionQuery("select count(u) from User u", Long.class).getSingleResult());
        System.out.println("USERS " + users);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
