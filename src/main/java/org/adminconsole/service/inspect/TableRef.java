package org.adminconsole.service.inspect;

/** A table or view as the database's metadata names it (exact case). */
public record TableRef(String schema, String name, Kind kind) {

    public enum Kind { TABLE, VIEW }

    public boolean isView() {
        return kind == Kind.VIEW;
    }

    /** schema.name for display. */
    public String displayName() {
        return schema == null || schema.isEmpty() ? name : schema + "." + name;
    }

    public boolean sameObject(String otherSchema, String otherName) {
        return name.equals(otherName) && (schema == null ? otherSchema == null : schema.equals(otherSchema));
    }

    @Override
    public String toString() {
        return displayName();
    }
}
