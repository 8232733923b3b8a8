package org.adminconsole.cache;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** One {@code table_versions} row: its version and the transaction that last incremented it. */
record VersionRow(long version, String lastTx) {

    static final String SELECT_ALL = "SELECT table_name, version, last_tx FROM table_versions";

    /** Whether both rows come from the same write (same version, same transaction id). */
    boolean sameWrite(VersionRow other) {
        return other != null && version == other.version && lastTx != null && lastTx.equals(other.lastTx);
    }

    /** Every row, by table name (one indexed query on a tiny table). */
    static Map<String, VersionRow> readAll(Connection c) throws SQLException {
        Map<String, VersionRow> m = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT_ALL); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                m.put(rs.getString(1), new VersionRow(rs.getLong(2), rs.getString(3)));
            }
        }
        return m;
    }
}
