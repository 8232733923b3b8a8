package org.adminconsole.service.inspect;

import java.util.List;

/** A foreign key of another table that references this one: {@code from}'s columns → this table's columns. */
public record IncomingKey(String name, TableRef from, List<String> fromColumns, List<String> toColumns) {

    public String describe() {
        return from.displayName() + " (" + String.join(", ", fromColumns) + ")";
    }
}
