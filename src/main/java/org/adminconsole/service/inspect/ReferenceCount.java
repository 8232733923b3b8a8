package org.adminconsole.service.inspect;

import java.util.List;

/** How many rows of {@code key.from()} reference one row: their columns hold {@code values}. */
public record ReferenceCount(IncomingKey key, List<Object> values, long count) {

    /** The filters that show exactly the referencing rows (column = value, values as text). */
    public List<Filter> filters() {
        java.util.List<Filter> out = new java.util.ArrayList<>();
        for (int i = 0; i < key.fromColumns().size(); i++) {
            out.add(new Filter(key.fromColumns().get(i), Filter.Op.EQUALS, CellFormat.display(values.get(i))));
        }
        return List.copyOf(out);
    }

    public String describe() {
        return String.format("%s.%s: %,d row%s", key.from().displayName(), String.join(", ", key.fromColumns()), count,
                count == 1 ? "" : "s");
    }
}
