package org.adminconsole.service.inspect;

import java.util.List;

/**
 * What to show of a table: filters (all must match) and the sort column ({@code null}: primary key order,
 * or no particular order without one).
 */
public record TableQuery(TableDetails table, List<Filter> filters, String sortColumn, boolean descending) {

    public TableQuery {
        filters = List.copyOf(filters);
    }

    public static TableQuery of(TableDetails table) {
        return new TableQuery(table, List.of(), null, false);
    }

    public TableQuery withFilters(List<Filter> f) {
        return new TableQuery(table, f, sortColumn, descending);
    }

    public TableQuery sortedBy(String column, boolean desc) {
        return new TableQuery(table, filters, column, desc);
    }
}
