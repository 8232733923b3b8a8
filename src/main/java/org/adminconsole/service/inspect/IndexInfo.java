package org.adminconsole.service.inspect;

import java.util.List;

/** An index of a table (columns in index order). */
public record IndexInfo(String name, boolean unique, List<String> columns) {
}
