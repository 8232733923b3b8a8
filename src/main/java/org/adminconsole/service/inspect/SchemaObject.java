package org.adminconsole.service.inspect;

/**
 * A schema object besides tables and views, read from the database's own catalog: a sequence, a trigger, or a
 * check or unique constraint. {@code table} is the table it belongs to (null for a sequence); {@code definition}
 * its definition as the catalog gives it (e.g. {@code CHECK (quota >= 0)}, {@code UNIQUE (email)}).
 */
public record SchemaObject(Kind kind, String schema, String name, String table, String definition) {

    public enum Kind {
        SEQUENCE("sequence"), TRIGGER("trigger"), CHECK("check"), UNIQUE("unique");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** How the schema tree shows it, e.g. {@code USERS.CK_QUOTA (check)}. */
    public String label() {
        return (table == null ? "" : table + ".") + name;
    }
}
