package org.adminconsole.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.adminconsole.config.Settings;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Waits until the database itself shows a statement executing in another session. A cancel hook alone is no proof:
 * it may belong to an earlier statement of the same run (the SQL console's checks), and a cancel or low-memory stop
 * landing there missed the statement the test meant (seen in CI for the cross-join tests).
 */
public final class Executing {

    private Executing() {
    }

    /** {@code fragment}: a piece of the statement's text, matched with LIKE. */
    public static void await(Settings s, String fragment) throws Exception {
        String sql = s.isH2()
                ? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE EXECUTING_STATEMENT LIKE ? AND SESSION_ID <> SESSION_ID()"
                : "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE ? AND pid <> pg_backend_pid()";
        try (Connection watch = TestDatabases.connect(s); PreparedStatement ps = watch.prepareStatement(sql)) {
            ps.setString(1, "%" + fragment + "%");
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> {
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getLong(1) > 0;
                }
            });
        }
    }
}
