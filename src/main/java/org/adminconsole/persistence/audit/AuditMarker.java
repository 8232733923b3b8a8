package org.adminconsole.persistence.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Marks a console write transaction as "audited by the console", so the external-write triggers (migration V101)
 * do not record its changes a second time: the console writes those audit rows itself, with the operator and the
 * operation.
 *
 * <ul>
 *   <li>PostgreSQL: {@code set_config('admin_console.audited', 'on', true)}, a transaction-local setting that ends
 *       with the transaction (commit or rollback), whatever happens to the connection afterwards.</li>
 *   <li>H2 has no transaction-local settings: the session variable {@code @ADMIN_CONSOLE_AUDITED} is set to
 *       {@code armed}; the first trigger fired in the transaction binds it to that transaction's sequence number
 *       ({@link ExternalAuditTrigger}), so a later transaction on the same connection is not covered by it unless it
 *       arms again. Every console write transaction arms at its start.</li>
 * </ul>
 * Not a security boundary: any client may set the same marker (it could equally write to audit_log directly).
 */
public final class AuditMarker {

    public static final String H2_VARIABLE = "ADMIN_CONSOLE_AUDITED";
    static final String ARMED = "armed";

    private AuditMarker() {
    }

    public static void arm(Connection c, boolean postgres) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(postgres ? "SELECT set_config('admin_console.audited', 'on', true)"
                    : "SET @" + H2_VARIABLE + " = '" + ARMED + "'");
        }
    }
}
