package org.adminconsole.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.service.connections.ConnectionProfile;

/**
 * Second databases for connection-profile tests: an H2 file of its own (login SA, password {@value #H2_PASSWORD}) and a
 * PostgreSQL database of its own (read through {@link TestDatabases#PG_READER}), each with the same small shop schema:
 * {@code shops} (40 rows) and {@code orders} (300 rows, {@code shop_id} a foreign key to {@code shops}).
 */
public final class ProfileFixtures {

    public static final String H2_PASSWORD = "s3cret-h2";

    private ProfileFixtures() {
    }

    /** Creates the shop schema in a new H2 file {@code dir/shop.mv.db} and closes it again; returns the file. */
    public static Path h2File(Path dir) throws SQLException {
        Path base = dir.resolve("shop").toAbsolutePath();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base, "SA", H2_PASSWORD)) {
            fill(c);
        }
        return Path.of(base + ".mv.db");
    }

    public static ConnectionProfile h2Profile(String name, Path file) {
        return new ConnectionProfile(name, ConnectionProfile.Kind.H2_FILE, file.toString(), "", 0, "", "SA",
                ConnectionProfile.PasswordSource.ASK, "");
    }

    /** A new PostgreSQL database with the shop schema, readable by the test reader; skips when no server answers. */
    public static String postgresDatabase(Path dir) throws SQLException {
        Settings s = TestDatabases.postgresDatabase(dir, Map.of());
        String url = s.dbUrl();
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            fill(c);
        }
        String name = url.substring(url.lastIndexOf('/') + 1);
        return name.contains("?") ? name.substring(0, name.indexOf('?')) : name;
    }

    public static ConnectionProfile pgProfile(String name, String database, String user) {
        return new ConnectionProfile(name, ConnectionProfile.Kind.POSTGRES, "", "127.0.0.1", 5432, database, user,
                ConnectionProfile.PasswordSource.NONE, "");
    }

    private static void fill(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE shops (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, city VARCHAR(40))");
            st.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, shop_id INT NOT NULL REFERENCES shops (id),"
                    + " amount NUMERIC(10,2), note VARCHAR(100))");
            st.execute("CREATE SEQUENCE counter");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO shops VALUES (?, ?, ?)")) {
            for (int i = 1; i <= 40; i++) {
                ps.setInt(1, i);
                ps.setString(2, "Shop " + i);
                ps.setString(3, i % 2 == 0 ? "Lyon" : "Oslo");
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?)")) {
            for (int i = 1; i <= 300; i++) {
                ps.setLong(1, i);
                ps.setInt(2, i % 40 + 1);
                ps.setBigDecimal(3, java.math.BigDecimal.valueOf(i * 125L, 2));
                ps.setString(4, i == 7 ? "=HYPERLINK(\"x\")" : "order " + i);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (!c.getAutoCommit()) {
            c.commit();
        }
    }
}
