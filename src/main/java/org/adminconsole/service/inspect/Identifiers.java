package org.adminconsole.service.inspect;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Quotes identifiers that come from the database's metadata with the database's own quote string, so any
 * table or column name (mixed case, spaces, keywords such as USER or VALUE) is used exactly as stored.
 * Values never go through here: they are always bound as parameters.
 */
public final class Identifiers {

    private final String quote;

    public Identifiers(String quote) {
        this.quote = quote == null || quote.isBlank() ? "\"" : quote.trim();
    }

    public static Identifiers of(Connection c) throws SQLException {
        return new Identifiers(c.getMetaData().getIdentifierQuoteString());
    }

    public String quote(String identifier) {
        return quote + identifier.replace(quote, quote + quote) + quote;
    }

    public String qualified(TableRef t) {
        return t.schema() == null || t.schema().isEmpty() ? quote(t.name()) : quote(t.schema()) + "." + quote(t.name());
    }
}
