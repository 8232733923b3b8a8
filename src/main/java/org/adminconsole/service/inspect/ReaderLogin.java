package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * How one database gives the SQL console a login that can only read: who it is, how its rights are checked before
 * every connection, and how that database splits a text into statements. One implementation per dialect
 * ({@link H2ReaderLogin}, {@link PostgresReaderLogin}); {@link ReaderConnections} picks it.
 */
sealed interface ReaderLogin permits H2ReaderLogin, PostgresReaderLogin, ProfileReaderLogin {

    /**
     * A new connection as the reader, after its real rights were checked. Throws {@link ReaderRefusedException}
     * (a message that says what to fix, never a password) when the login cannot be used.
     */
    Connection connect() throws SQLException, ReaderRefusedException;

    /**
     * How many statements the database (or its driver) would run for {@code sql} on this connection: the dialect's own
     * lexer, which knows its string, quote and comment forms.
     */
    int statementCount(Connection c, String sql) throws SQLException;

    /** Function names the console refuses on this database besides {@link QueryGate}'s list (upper case). */
    Set<String> deniedFunctions(Connection c) throws SQLException;

    /** The login's name, for messages. */
    String name();

    /**
     * The statement timeout the reader's connections can honour for the requested one (an H2 server connection gives
     * up after its network timeout, so a longer statement timeout could never fire).
     */
    java.time.Duration statementTimeout(java.time.Duration requested);
}
