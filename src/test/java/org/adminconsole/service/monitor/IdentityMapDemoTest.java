package org.adminconsole.service.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The session's identity map, shown with the statements and first-level hits of each step (H2 and PostgreSQL). */
class IdentityMapDemoTest {

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "pg"})
    void aListQueryFillsTheIdentityMapARepeatedQueryReturnsTheSameInstancesAndDepartmentsAreReused(String db) {
        Settings s = db.equals("pg") ? TestDatabases.postgres(dir, Map.of("db.seed.users", "60")) : TestDatabases.h2(dir, Map.of("db.seed.users", "60"));
        try (AppContext ctx = AppContext.start(s)) {
            List<IdentityMapDemo.Step> steps = ctx.get(IdentityMapDemo.class).run(20);
            assertThat(steps).hasSize(4);
            assertThat(steps.get(0).statements()).as("one query loads users and departments").isEqualTo(1);
            assertThat(steps.get(1).statements()).as("find by id of a listed user").isZero();
            assertThat(steps.get(1).l1Hits()).isEqualTo(1);
            assertThat(steps.get(1).shows()).contains("the listed instance itself");
            assertThat(steps.get(2).statements()).as("a query always goes to the database").isEqualTo(1);
            assertThat(steps.get(2).shows()).contains("20 of 20 rows are the same instances");
            assertThat(steps.get(3).statements()).as("the fetched departments are reused").isZero();
            assertThat(steps.get(3).shows()).contains("12 department objects");
        }
    }
}
