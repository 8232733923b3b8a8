package org.adminconsole.service.inspect;

import java.util.List;

/** One schema with its tables and views, sorted by name. */
public record SchemaNode(String name, List<TableRef> tables, List<TableRef> views) {
}
