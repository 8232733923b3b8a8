package org.adminconsole.service.inspect;

import java.util.List;

/**
 * One schema with its tables and views, sorted by name, and its sequences, triggers and check / unique
 * constraints from the database's catalog.
 */
public record SchemaNode(String name, List<TableRef> tables, List<TableRef> views, List<SchemaObject> sequences,
                         List<SchemaObject> triggers, List<SchemaObject> constraints) {

    public SchemaNode(String name, List<TableRef> tables, List<TableRef> views) {
        this(name, tables, views, List.of(), List.of(), List.of());
    }
}
