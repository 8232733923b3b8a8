package org.adminconsole.service.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.inspect.CsvExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.adminconsole.testing.TestDatabases;

/**
 * Issue 16: the filtered Users list exported to CSV (every page, in the order shown, with departments) and the users
 * a bulk action would change, listed page by page before it is confirmed; on a real database.
 */
class UserExportTest {

    @TempDir Path dir;
    @TempDir Path out;
    AppContext ctx;

    Settings settings(Path dir) {
        return TestDatabases.h2(dir, Map.of("db.seed.users", "300"));
    }

    @BeforeEach
    void open() {
        ctx = AppContext.start(settings(dir));
    }

    @AfterEach
    void close() {
        ctx.close();
    }

    /** Every user of {@code q}, page by page as the Users view reads them. */
    private List<UserView> listed(UserQuery q) {
        UserListing listing = ctx.get(UserListing.class);
        List<UserView> all = new ArrayList<>();
        UserPage p = listing.page(q, UserPage.Nav.FIRST, null, 50);
        all.addAll(p.rows());
        while (p.hasNext()) {
            p = listing.page(q, UserPage.Nav.NEXT, p.last(), 50);
            all.addAll(p.rows());
        }
        return all;
    }

    @Test
    void theExportHoldsEveryMatchingUserInTheOrderShownWithTheirDepartments() throws Exception {
        UserQuery q = UserQuery.all().withRole(Role.USER).withActive(true).withSort(UserQuery.Sort.USERNAME, false);
        List<UserView> expected = listed(q);
        assertThat(expected).as("the demo data has such users, over several pages").hasSizeGreaterThan(60);

        CsvExporter.Result r = ctx.get(UserExport.class).export(q, out.resolve("users.csv").toString(), false);

        List<String> lines = Files.readAllLines(r.file());
        assertThat(lines.get(0)).isEqualTo(String.join(",", UserExport.HEADER));
        assertThat(r.rows()).isEqualTo(expected.size());
        assertThat(lines).hasSize(expected.size() + 1);
        for (int i = 0; i < expected.size(); i++) {
            UserView u = expected.get(i);
            List<String> cells = cells(lines.get(i + 1));
            assertThat(cells.get(0)).as("row %d in the list's order", i).isEqualTo(String.valueOf(u.id()));
            assertThat(cells.get(1)).isEqualTo(u.email());
            assertThat(cells.get(3)).isEqualTo("USER");
            assertThat(cells.get(4)).isEqualTo("true");
            assertThat(cells.get(7)).as("departments of %s", u.email())
                    .isEqualTo(String.join(", ", u.departments().stream().map(d -> d.name()).sorted().toList()));
        }
    }

    /** H2 reads such a page from the department's links (UserSql.orderedFromWhere); the export reads the same way. */
    @Test
    void aDepartmentSortedByDepartmentsExportsItsUsersInTheOrderShown() throws Exception {
        for (boolean ascending : new boolean[] {true, false}) {
            UserQuery q = UserQuery.all().withDepartment(ctx.get(UserListing.class).departments().get(2).id())
                    .withSort(UserQuery.Sort.DEPARTMENTS, ascending);
            List<UserView> expected = listed(q);
            assertThat(expected).as("the department has users").isNotEmpty();
            CsvExporter.Result r = ctx.get(UserExport.class).export(q, out.resolve("dept-" + ascending + ".csv").toString(), false);
            assertThat(Files.readAllLines(r.file()).stream().skip(1).map(l -> Long.parseLong(cells(l).get(0))))
                    .as("ascending %s", ascending).containsExactlyElementsOf(expected.stream().map(UserView::id).toList());
        }
    }

    @Test
    void aSearchInsideFieldsExportsOnlyItsMatchesAndAnExistingFileIsReplacedOnlyWhenConfirmed() throws Exception {
        UserView some = listed(UserQuery.all()).get(17);
        String inside = some.email().substring(1, 5);
        UserQuery q = UserQuery.all().withSearch(inside);
        List<UserView> expected = listed(q);
        Path file = out.resolve("found.csv");
        Files.writeString(file, "keep me");

        UserExport export = ctx.get(UserExport.class);
        assertThatThrownBy(() -> export.export(q, file.toString(), false)).isInstanceOf(CsvExporter.TargetExistsException.class);
        assertThat(Files.readString(file)).as("refused: the file is untouched").isEqualTo("keep me");

        CsvExporter.Result r = export.export(q, file.toString(), true);
        assertThat(r.rows()).isEqualTo(expected.size()).isPositive();
        assertThat(Files.readAllLines(file).stream().skip(1).map(l -> cells(l).get(1)))
                .containsExactlyElementsOf(expected.stream().map(UserView::email).toList())
                .allMatch(e -> e.toLowerCase().contains(inside.toLowerCase())
                        || expected.stream().anyMatch(u -> u.email().equals(e) && u.username().toLowerCase().contains(inside.toLowerCase())));
    }

    @Test
    void noExportGoesIntoTheDataFolder() {
        assertThatThrownBy(() -> ctx.get(UserExport.class).export(UserQuery.all(), dir.resolve("users.csv").toString(), false))
                .hasMessageContaining("data folder");
        assertThat(dir.resolve("users.csv")).doesNotExist();
    }

    @Test
    void thePreviewListsExactlyTheUsersTheDryRunCountsPageByPageWithTheirChange() {
        UserBulk bulk = ctx.get(UserBulk.class);
        BulkAction deactivate = BulkAction.onQuery(BulkAction.Kind.DEACTIVATE, null, UserQuery.all().withRole(Role.USER));
        long count = bulk.dryRun(deactivate);
        List<UserBulk.Change> all = new ArrayList<>();
        Long after = null;
        UserBulk.Preview p;
        do {
            p = bulk.preview(deactivate, after, 40);
            assertThat(p.changes()).hasSizeLessThanOrEqualTo(40);
            all.addAll(p.changes());
            after = p.changes().isEmpty() ? null : p.changes().get(p.changes().size() - 1).id();
        } while (p.more());
        assertThat(all).hasSize((int) count);
        assertThat(all).extracting(UserBulk.Change::id).isSorted().doesNotHaveDuplicates();
        assertThat(all).allSatisfy(c -> assertThat(c.field() + ": " + c.before() + " → " + c.after()).isEqualTo("active: yes → no"));
        List<Long> activeUserIds = listed(UserQuery.all().withRole(Role.USER).withActive(true)).stream().map(UserView::id).sorted().toList();
        assertThat(all).extracting(UserBulk.Change::id).containsExactlyElementsOf(activeUserIds);
        assertThat(bulk.dryRun(deactivate)).as("nothing was written by the dry run or the preview").isEqualTo(count);

        var dep = ctx.get(UserListing.class).departments().get(0);
        List<Long> three = activeUserIds.subList(0, 3);
        UserBulk.Preview move = bulk.preview(BulkAction.onIds(BulkAction.Kind.MOVE_TO_DEPARTMENT, dep.id(), three), null, 50);
        assertThat(move.more()).isFalse();
        assertThat(move.changes()).allSatisfy(c -> {
            assertThat(c.after()).isEqualTo(dep.name());
            UserView u = ctx.get(UserEditing.class).open(c.id()).orElseThrow().user();
            assertThat(c.before()).isEqualTo(String.join(", ", u.departments().stream().map(d -> d.name()).sorted().toList()));
        });
    }

    /** The cells of one CSV line (RFC 4180 quotes). */
    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
