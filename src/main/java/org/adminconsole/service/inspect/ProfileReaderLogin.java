package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import javax.sql.DataSource;
import org.adminconsole.persistence.Dialect;

/**
 * The reader of an opened connection profile: its connections come from the profile's own pool, which creates only
 * connections it has checked cannot write (an H2 file opened read-only, a PostgreSQL login with SELECT rights only in
 * read-only sessions; see {@code service.connections.ProfileDatabase}). The gate's dialect checks are those of the
 * console's own readers.
 */
final class ProfileReaderLogin implements ReaderLogin {

    private final String name;
    private final DataSource connections;
    private final Dialect dialect;

    ProfileReaderLogin(String name, DataSource connections, Dialect dialect) {
        this.name = name;
        this.connections = connections;
        this.dialect = dialect;
    }

    @Override
    public Connection connect() throws SQLException {
        return connections.getConnection();
    }

    @Override
    public int statementCount(Connection c, String sql) throws SQLException {
        return dialect == Dialect.H2 ? H2ReaderLogin.count(sql) : PostgresReaderLogin.count(c, sql);
    }

    @Override
    public Set<String> deniedFunctions(Connection c) throws SQLException {
        return dialect == Dialect.H2 ? H2ReaderLogin.aliases(c) : Set.of();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration statementTimeout(Duration requested) {
        return requested;
    }
}
