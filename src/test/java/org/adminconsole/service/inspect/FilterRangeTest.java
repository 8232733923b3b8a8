package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.adminconsole.AppContext;
import org.adminconsole.persistence.Database;
import org.adminconsole.service.ValidationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numeric filter values are checked against their column's type before any query: beyond the range (1e999999999,
 * values beyond BIGINT), lost to rounding (1e-999999999, 1e-400 for a DOUBLE) or not numbers in the column's sense
 * (NaN, hex floats) are refused with a message on the filter. Values inside the range reach the database and give the
 * rows it gives.
 */
class FilterRangeTest {

    @TempDir Path dir;

    private record Refusal(String column, String op, String value, String message) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void numericFilterValuesAreCheckedAgainstTheirColumnType(String db) throws Exception {
        try (AppContext ctx = InspectDatabases.open(db, dir)) {
            InspectDatabases.exec(ctx, "CREATE TABLE nums (id INT PRIMARY KEY, s SMALLINT, i INTEGER, b BIGINT, d NUMERIC(10,2),"
                            + " n NUMERIC, r REAL, f DOUBLE PRECISION)",
                    "INSERT INTO nums VALUES (1, 1, 1, 1, 1.50, 1, 1.5, 1.5)",
                    "INSERT INTO nums VALUES (2, 32767, 2147483647, 9223372036854775807, 99999999.99, 1e30, 3e38, 1e308)",
                    "INSERT INTO nums VALUES (3, -32768, -2147483648, -9223372036854775808, -99999999.99, -1e30, -3e38, -1e308)");
            SchemaService schema = ctx.get(SchemaService.class);
            TableDetails nums = schema.details(schema.find(InspectDatabases.schema(ctx), InspectDatabases.name(ctx, "nums")));
            TableDataService data = ctx.get(TableDataService.class);
            java.util.function.LongSupplier statementsOnNums = () -> ctx.get(Database.class).sqlMonitor().snapshot().stream()
                    .filter(e -> e.sql().toLowerCase(java.util.Locale.ROOT).contains("nums")).count();
            long statements = statementsOnNums.getAsLong();

            List<Refusal> refused = List.of(
                    new Refusal("s", ">", "32768", "is beyond the range of SMALLINT (-32,768 to 32,767)"),
                    new Refusal("i", "=", "2147483648", "is beyond the range of INTEGER"),
                    new Refusal("i", "<", "-2147483649", "is beyond the range of INTEGER"),
                    new Refusal("b", ">", "9223372036854775808", "is beyond the range of BIGINT"),
                    new Refusal("b", ">", "1e3", "is not a whole number"),
                    new Refusal("b", ">", "99999999999999999999999999999999999999999999999999", "is beyond the range of BIGINT"),
                    new Refusal("d", ">", "1e999999999", "is beyond the range of"),
                    new Refusal("d", ">", "123456789", "at most 8 digits before the decimal point"),
                    new Refusal("d", ">", "1e-999999999", "has too many decimal places"),
                    new Refusal("n", ">", "1e999999999", "is beyond the range of"),
                    new Refusal("n", "<", "-1e999999999", "is beyond the range of"),
                    new Refusal("n", ">", "1e-999999999", "has too many decimal places"),
                    new Refusal("n", ">", "1e99999999999", "is not a number"),
                    new Refusal("r", ">", "1e39", "is beyond the range of REAL"),
                    new Refusal("r", ">", "1e-50", "is too close to zero for REAL"),
                    new Refusal("f", ">", "1e999", "is beyond the range of DOUBLE PRECISION"),
                    new Refusal("f", ">", "1e-999999999", "is too close to zero for DOUBLE PRECISION"),
                    new Refusal("f", "=", "NaN", "is not a number"),
                    new Refusal("f", "=", "Infinity", "is not a number"),
                    new Refusal("f", "=", "0x1p3", "is not a number"));
            for (Refusal r : refused) {
                String col = InspectDatabases.name(ctx, r.column());
                Filter f = new Filter(col, r.op().equals(">") ? Filter.Op.GREATER : r.op().equals("<") ? Filter.Op.LESS : Filter.Op.EQUALS, r.value());
                assertThatThrownBy(() -> data.browse(TableQuery.of(nums).withFilters(List.of(f)), 50)).as(r.toString())
                        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors().get(col)).as(r.toString())
                                .startsWith("Filter on " + col + ": '").contains(r.message()));
                assertThatThrownBy(() -> data.count(TableQuery.of(nums).withFilters(List.of(f)))).as(r.toString())
                        .isInstanceOf(ValidationException.class);
            }
            assertThat(statementsOnNums.getAsLong()).as("no statement for a refused value").isEqualTo(statements);

            // the edges of each range are accepted and compared by the database
            assertThat(ids(data, nums, ctx, "s", Filter.Op.EQUALS, "-32768")).containsExactly(3);
            assertThat(ids(data, nums, ctx, "i", Filter.Op.EQUALS, "2147483647")).containsExactly(2);
            assertThat(ids(data, nums, ctx, "b", Filter.Op.EQUALS, "9223372036854775807")).containsExactly(2);
            assertThat(ids(data, nums, ctx, "b", Filter.Op.LESS, "-9223372036854775807")).containsExactly(3);
            assertThat(ids(data, nums, ctx, "d", Filter.Op.GREATER, "1.505")).containsExactly(2);
            assertThat(ids(data, nums, ctx, "d", Filter.Op.GREATER, "9.999999998e7")).containsExactly(2);
            assertThat(ids(data, nums, ctx, "n", Filter.Op.GREATER, "1e29")).containsExactly(2);
            assertThat(ids(data, nums, ctx, "n", Filter.Op.LESS, "-1E+29")).containsExactly(3);
            assertThat(ids(data, nums, ctx, "r", Filter.Op.GREATER, "2e38")).containsExactly(2);
            assertThat(ids(data, nums, ctx, "f", Filter.Op.GREATER, "1e307")).containsExactly(2);
            assertThat(ids(data, nums, ctx, "f", Filter.Op.LESS, "-1.7e308")).isEmpty();
            assertThat(ids(data, nums, ctx, "f", Filter.Op.GREATER, "0.0")).containsExactlyInAnyOrder(1, 2);
        }
    }

    private static List<Integer> ids(TableDataService data, TableDetails nums, AppContext ctx, String column, Filter.Op op, String value) {
        Page p = data.browse(TableQuery.of(nums).withFilters(List.of(new Filter(InspectDatabases.name(ctx, column), op, value)))
                .sortedBy(nums.columnNames().get(0), true), 50).first();
        List<Integer> out = new ArrayList<>();
        p.rows().forEach(r -> out.add(((Number) r.get(0)).intValue()));
        return out;
    }
}
