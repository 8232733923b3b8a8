package org.adminconsole.domain;

/** Immutable snapshot of a department. */
public record DepartmentView(long id, String name, String description) {
    @Override
    public String toString() {
        return name;
    }
}
