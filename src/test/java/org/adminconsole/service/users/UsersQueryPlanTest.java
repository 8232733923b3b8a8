package org.adminconsole.service.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserView;
import org.adminconsole.persistence.Dialect;
import org.adminconsole.persistence.monitor.SqlEvent;
import org.adminconsole.service.demo.DemoDataService;
import org.adminconsole.service.monitor.ExplainService;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every query the Users screen issues, explained by the console's own Explain (EXPLAIN ANALYZE on the reader login,
 * the plan the monitoring shows) on 20,000 demo users with fresh statistics: the SQL and parameters are captured
 * from the SQL monitor while the real services run, never copied. Pages by each sort column in both directions
 * (first, next by keyset, last), the search by email and by username prefix, each filter, the totals, the
 * departments of a page, opening and saving a user, and the history. The rule: no full scan of {@code users} where an
 * index serves the query, and a page is read in its sort index's order (no sort of the matching rows). Exact counts
 * over a large share of the table are exempt (a count reads every matching row; the screen runs it in the background).
 * The PostgreSQL subclass runs the same scenarios there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsersQueryPlanTest {

    static final int USERS = 20_000;
    static final Map<UserQuery.Sort, String> SORT_INDEX = new EnumMap<>(Map.of(
            UserQuery.Sort.EMAIL, "ix_users_email_key_id",
            UserQuery.Sort.USERNAME, "ix_users_username_id",
            UserQuery.Sort.ROLE, "ix_users_role",
            UserQuery.Sort.ACTIVE, "ix_users_active",
            UserQuery.Sort.DEPARTMENTS, "ix_users_department_key",
            UserQuery.Sort.QUOTA, "ix_users_quota",
            UserQuery.Sort.USAGE, "ix_users_usage",
            UserQuery.Sort.LAST_LOGIN, "ix_users_last_login_key",
            UserQuery.Sort.UPDATED, "ix_users_updated"));

    AppContext ctx;
    UserListing listing;
    UserEditing editing;
    UserHistory history;
    ExplainService explain;
    Dialect dialect;
    List<DepartmentView> departments;
    UserView edited;

    Settings settings(Path dir) {
        return TestDatabases.h2(dir, Map.of("tx.longTimeoutSeconds", "600"));
    }

    @BeforeAll
    void open() throws Exception {
        ctx = AppContext.start(settings(TestDatabases.tempDir("users-plans")));
        listing = ctx.get(UserListing.class);
        editing = ctx.get(UserEditing.class);
        history = ctx.get(UserHistory.class);
        explain = ctx.get(ExplainService.class);
        dialect = ctx.database().dialect();
        ctx.get(DemoDataService.class).generate(USERS);
        // one user whose username is not its email, so that the username half of the search has a match of its own
        SaveResult r = editing.save(new UserForm(null, 0, "plan.mail@example.com", "qqplanner", Role.ADMIN, true, "10", "0",
                Set.of(), null));
        edited = ((SaveResult.Saved) r).user();
        UserView saved = ((SaveResult.Saved) editing.save(UserForm.of(edited).withVersion(edited.version()))).user();
        edited = saved;
        // a realistic audit trail (one row per changed user) so that the history's plan is the plan of a used console
        ctx.get(UserBulk.class).apply(BulkAction.onQuery(BulkAction.Kind.RESET_USAGE, null, UserQuery.all().withRole(Role.OPERATOR)));
        try (Connection c = ctx.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String t : new String[] {"users", "user_departments", "departments", "audit_log", "audit_changes"}) {
                st.execute(dialect == Dialect.H2 ? "ANALYZE TABLE " + t : "ANALYZE " + t);
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        departments = listing.departments();
    }

    @AfterAll
    void close() {
        if (ctx != null) {
            ctx.close();
        }
    }

    /** One captured statement and its plan. */
    record Explained(String scenario, SqlEvent event, String plan) {
        String sql() {
            return event.sql();
        }

        boolean isPage() {
            return event.operationName().equals("users.page") && sql().contains(" AS sort_key FROM users u");
        }

        @Override
        public String toString() {
            return scenario + "\n  " + event.sql() + "  " + event.parameterText() + "\n  " + plan.replace("\n", "\n  ");
        }
    }

    /** Runs the action, then explains every SELECT it issued in the named operations (the screen's own statements). */
    List<Explained> explained(String scenario, Runnable action) {
        return explained(scenario, "users.", action);
    }

    /** {@link #explained(String, Runnable)} for the operations whose name starts with {@code operations}. */
    List<Explained> explained(String scenario, String operations, Runnable action) {
        long seq = ctx.database().sqlMonitor().lastSeq();
        action.run();
        List<Explained> out = new ArrayList<>();
        for (SqlEvent e : ctx.database().sqlMonitor().since(seq)) {
            // not the console's write mark (SELECT set_config(…), which the query gate refuses to explain)
            if (e.operationName().startsWith(operations) && ExplainService.refusal(e) == null && !e.sql().contains("set_config(")) {
                out.add(new Explained(scenario, e, explain.explain(e).text()));
            }
        }
        if (Boolean.getBoolean("plans.print")) {
            out.forEach(x -> System.out.println("PLAN " + x));
        }
        assertThat(out).as("statements captured for " + scenario).isNotEmpty();
        return out;
    }

    // ---- what a plan must show -------------------------------------------------------------------------------

    boolean h2() {
        return dialect == Dialect.H2;
    }

    /**
     * No full scan of users: no plan node reads 90 % or more of its rows (H2: the scanCount of a node on users;
     * PostgreSQL: the rows a Seq Scan on users returned plus those its filter removed). A bounded read such as the
     * estimate's, which stops at 1,001 matches, passes when it stops early.
     */
    void noFullScanOfUsers(Explained x) {
        assertThat(rowsReadFromUsers(x.plan())).as("most rows read from users by one node\n" + x).isLessThan(USERS * 9L / 10);
    }

    static long rowsReadFromUsers(String plan) {
        long max = 0;
        if (plan.contains("scanCount")) {
            var m = java.util.regex.Pattern.compile("/\\* PUBLIC\\.(USERS\\.tableScan|[A-Z0-9_]+)[^/]*\\*/\\s*/\\* scanCount: (\\d+) \\*/").matcher(plan);
            while (m.find()) {
                String node = m.group(1);
                if (node.equals("USERS.tableScan") || node.startsWith("IX_USERS") || node.startsWith("UQ_USERS")) {
                    max = Math.max(max, Long.parseLong(m.group(2)));
                }
            }
            return max;
        }
        String[] lines = plan.split("\n");
        for (int i = 0; i < lines.length; i++) {
            var m = java.util.regex.Pattern.compile("Seq Scan on users .*actual time=\\S+ rows=(\\d+) loops=(\\d+)").matcher(lines[i]);
            if (m.find()) {
                long rows = Long.parseLong(m.group(1)) * Long.parseLong(m.group(2));
                for (int j = i + 1; j < lines.length && !lines[j].contains("->"); j++) {
                    var r = java.util.regex.Pattern.compile("Rows Removed by Filter: (\\d+)").matcher(lines[j]);
                    if (r.find()) {
                        rows += Long.parseLong(r.group(1)) * Long.parseLong(m.group(2));
                    }
                }
                max = Math.max(max, rows);
            }
        }
        return max;
    }

    /** The page is read in the order of its sort column's index: no sort of the matching rows. */
    void readInSortIndexOrder(Explained x, UserQuery.Sort sort) {
        String p = x.plan().toLowerCase(Locale.ROOT);
        String index = SORT_INDEX.get(sort);
        noFullScanOfUsers(x);
        if (h2()) {
            assertThat(p).as(x.toString()).contains("public." + index).contains("index sorted");
        } else {
            assertThat(p).as(x.toString()).contains("index scan").contains(index).doesNotContainPattern("(?m)^\\s*(->\\s*)?sort\\b");
        }
    }

    /** The departments of a page: the primary key of user_departments, never a scan of it. */
    void departmentsByKey(Explained x) {
        String p = x.plan().toLowerCase(Locale.ROOT);
        if (h2()) {
            assertThat(p).as(x.toString()).doesNotContain("user_departments.tablescan").contains("primary_key");
        } else {
            assertThat(p).as(x.toString()).doesNotContain("seq scan on user_departments");
        }
    }

    void pageChecks(List<Explained> xs, UserQuery.Sort sort) {
        for (Explained x : xs) {
            if (x.isPage() && !h2() && x.plan().contains("ix_users_over_quota")) {
                // PostgreSQL weighs the over-quota users' partial index (V130) against the sort order by cost: with a
                // department too (about 1 user in 100 matches both) it reads both sets and sorts the few matches
                noFullScanOfUsers(x);
                assertThat(x.plan()).as(x.toString()).contains("top-N heapsort");
            } else if (x.isPage()) {
                readInSortIndexOrder(x, sort);
            } else if (x.sql().contains("FROM user_departments ud JOIN departments d")) {
                departmentsByKey(x);
            } else {
                noFullScanOfUsers(x);
            }
        }
    }

    // ---- the scenarios ---------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> pagesBySortColumnBothDirectionsFirstNextAndLast() {
        List<DynamicTest> tests = new ArrayList<>();
        for (UserQuery.Sort sort : UserQuery.Sort.values()) {
            for (boolean asc : new boolean[] {true, false}) {
                UserQuery q = UserQuery.all().withSort(sort, asc);
                tests.add(DynamicTest.dynamicTest(sort + (asc ? " ascending" : " descending"), () -> {
                    UserPage[] first = new UserPage[1];
                    pageChecks(explained("first page " + q, () -> first[0] = listing.page(q, UserPage.Nav.FIRST, null, 50)), sort);
                    pageChecks(explained("next page " + q, () -> listing.page(q, UserPage.Nav.NEXT, first[0].last(), 50)), sort);
                    pageChecks(explained("last page " + q, () -> listing.page(q, UserPage.Nav.LAST, null, 50)), sort);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> eachFilterFirstAndNextPage() {
        Map<String, UserQuery> filters = new java.util.LinkedHashMap<>();
        filters.put("role ADMIN", UserQuery.all().withRole(Role.ADMIN));
        filters.put("role USER", UserQuery.all().withRole(Role.USER));
        filters.put("active", UserQuery.all().withActive(true));
        filters.put("inactive", UserQuery.all().withActive(false));
        filters.put("department", UserQuery.all().withDepartment(departments.get(0).id()));
        filters.put("over quota", UserQuery.all().withOverQuota(true));
        filters.put("role OPERATOR, active, by updated desc", UserQuery.all().withRole(Role.OPERATOR).withActive(true)
                .withSort(UserQuery.Sort.UPDATED, false));
        filters.put("department, over quota, by quota", UserQuery.all().withDepartment(departments.get(1).id())
                .withOverQuota(true).withSort(UserQuery.Sort.QUOTA, true));
        return filters.entrySet().stream().map(f -> DynamicTest.dynamicTest(f.getKey(), () -> {
            UserQuery q = f.getValue();
            UserPage[] first = new UserPage[1];
            pageChecks(explained("filter " + f.getKey(), () -> first[0] = listing.page(q, UserPage.Nav.FIRST, null, 50)), q.sort());
            pageChecks(explained("filter next " + f.getKey(), () -> listing.page(q, UserPage.Nav.NEXT, first[0].last(), 50)), q.sort());
            // the estimate (a count bounded at 1,001 rows) must not read the whole table either; with fewer than 1,001
            // matches (department and over quota: about 230 at 20,000 users) it reads every candidate by design
            List<Explained> estimate = explained("estimate " + f.getKey(), () -> listing.estimate(q));
            if (listing.estimate(q).exact()) {
                return;
            }
            estimate.forEach(this::noFullScanOfUsers);
        }));
    }

    /**
     * Users over their quota (issue 14, LoadBench): the Users screen's count and estimate of the over-quota filter and the
     * Dashboard's over-quota figure read the index of the generated column {@code over_quota} (V130), never every user
     * (they read every row while the condition was {@code usage_amount > quota}: 1.1-2.1 s each on H2 at 100,000 users
     * under eight operators). The figures are those of the plain condition, also after an edit moves a user over.
     */
    @org.junit.jupiter.api.Test
    void overQuotaIsCountedFromItsIndex() {
        UserQuery q = UserQuery.all().withOverQuota(true);
        UserView under = listing.page(UserQuery.all().withSort(UserQuery.Sort.USAGE, true), UserPage.Nav.FIRST, null, 1).rows().get(0);
        UserView current = editing.open(under.id()).orElseThrow().user();
        UserForm f = UserForm.of(current);
        SaveResult moved = editing.save(new UserForm(f.id(), f.version(), f.email(), f.username(), f.role(), f.active(), "1", "2",
                f.departmentIds(), f.settings()));
        assertThat(moved).isInstanceOf(SaveResult.Saved.class);
        long expected = ctx.database().transactions().read("expected", s -> ((Number) s.createNativeQuery(
                "SELECT COUNT(*) FROM users WHERE usage_amount > quota", Object.class).getSingleResult()).longValue());
        assertThat(expected).isBetween(USERS / 20L, USERS / 4L);
        long[] counted = new long[2];
        List<Explained> xs = new ArrayList<>(explained("count over quota", () -> counted[0] = listing.count(q).value()));
        xs.addAll(explained("estimate over quota", () -> listing.estimate(q)));
        ctx.get(org.adminconsole.cache.NamedValues.class).invalidateAll();
        xs.addAll(explained("dashboard over quota", "dashboard.",
                () -> counted[1] = ctx.get(org.adminconsole.service.dashboard.DashboardService.class).figures().overQuota()));
        assertThat(counted).containsExactly(expected, expected);
        List<Explained> overQuota = xs.stream().filter(x -> x.sql().contains("over_quota")).toList();
        assertThat(overQuota).as("statements with the over-quota condition").hasSizeGreaterThanOrEqualTo(3);
        for (Explained x : overQuota) {
            noFullScanOfUsers(x);
            assertThat(x.plan().toLowerCase(Locale.ROOT)).as(x.toString()).contains("ix_users_over_quota");
        }
    }

    /**
     * A department filter with the Departments sort (issue 14, LoadBench): on H2 the page reads that department's links
     * and their users by primary key, not the sort index (the sort key is correlated with the filter); PostgreSQL as
     * every page. The same users, in the same order, as the sort index would give (checked against a plain query).
     */
    @TestFactory
    Stream<DynamicTest> departmentFilterSortedByDepartments() {
        List<DynamicTest> tests = new ArrayList<>();
        for (boolean asc : new boolean[] {true, false}) {
            UserQuery q = UserQuery.all().withDepartment(departments.get(3).id()).withSort(UserQuery.Sort.DEPARTMENTS, asc)
                    .withActive(true);
            tests.add(DynamicTest.dynamicTest("department, active, by departments " + (asc ? "ascending" : "descending"), () -> {
                UserPage[] first = new UserPage[1];
                List<Explained> xs = new ArrayList<>(explained("first page " + q, () -> first[0] = listing.page(q, UserPage.Nav.FIRST, null, 50)));
                UserPage[] next = new UserPage[1];
                xs.addAll(explained("next page " + q, () -> next[0] = listing.page(q, UserPage.Nav.NEXT, first[0].last(), 50)));
                for (Explained x : xs) {
                    if (!x.isPage()) {
                        continue;
                    }
                    noFullScanOfUsers(x);
                    if (h2()) {
                        assertThat(x.plan().toLowerCase(Locale.ROOT)).as(x.toString())
                                .doesNotContain("ix_users_department_key").doesNotContain("user_departments.tablescan")
                                .contains("users.primary_key");
                    } else {
                        readInSortIndexOrder(x, UserQuery.Sort.DEPARTMENTS);
                    }
                }
                List<Long> expected = ctx.database().transactions().read("expected", s -> s.createNativeQuery(
                        "SELECT u.id FROM users u WHERE u.active AND EXISTS (SELECT 1 FROM user_departments fd WHERE fd.user_id = u.id"
                        + " AND fd.department_id = " + departments.get(3).id() + ") ORDER BY u.department_key " + (asc ? "ASC" : "DESC")
                        + ", u.id " + (asc ? "ASC" : "DESC") + " LIMIT 100", Long.class).getResultList());
                List<Long> shown = new ArrayList<>();
                first[0].rows().forEach(u -> shown.add(u.id()));
                next[0].rows().forEach(u -> shown.add(u.id()));
                assertThat(shown).isEqualTo(expected);
            }));
        }
        return tests.stream();
    }

    /**
     * H2, a common prefix sorted by email or username (or Departments, which follow the first name in the demo data;
     * quota and active as sort orders where the matches are spread; issue 14, LoadBench): the matches sit together in
     * the sort index, and walking it read every row before them (19,052 of 20,002 rows for 'a' by username descending; 2.7 s under
     * load at 100,000 users). A page now reads at most a slice of the sort order, then the two prefix ranges
     * (H2PrefixPage). 'zoe' (last in the alphabet) with the default slice; 'a' with a slice of 10 rows, which forces the
     * range reads. The same users in the same order as a plain query, first, next and last page, both databases.
     */
    @TestFactory
    Stream<DynamicTest> commonPrefixSortedByItsOwnColumn() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String prefix : new String[] {"a", "zoe"}) {
            for (UserQuery.Sort sort : new UserQuery.Sort[] {UserQuery.Sort.EMAIL, UserQuery.Sort.USERNAME, UserQuery.Sort.DEPARTMENTS,
                    UserQuery.Sort.QUOTA, UserQuery.Sort.ACTIVE}) {
                for (boolean asc : new boolean[] {true, false}) {
                    UserQuery q = UserQuery.all().withSearch(prefix).withStartsWith(true).withSort(sort, asc);
                    tests.add(DynamicTest.dynamicTest("'" + prefix + "' by " + sort + (asc ? " ascending" : " descending"), () -> {
                        int candidates = UserSql.gramCandidatesMax;
                        int slice = H2PrefixPage.slice;
                        UserSql.gramCandidatesMax = 10; // a common prefix on this small table
                        H2PrefixPage.slice = prefix.equals("a") ? 10 : H2PrefixPage.SLICE;
                        UserPage[] pages = new UserPage[3];
                        List<Explained> xs = new ArrayList<>();
                        try {
                            xs.addAll(explained("first page " + q, () -> pages[0] = listing.page(q, UserPage.Nav.FIRST, null, 50)));
                            xs.addAll(explained("next page " + q, () -> pages[1] = listing.page(q, UserPage.Nav.NEXT, pages[0].last(), 50)));
                            xs.addAll(explained("last page " + q, () -> pages[2] = listing.page(q, UserPage.Nav.LAST, null, 50)));
                        } finally {
                            UserSql.gramCandidatesMax = candidates;
                            H2PrefixPage.slice = slice;
                        }
                        if (h2()) {
                            for (Explained x : xs) {
                                if (!x.event().operationName().startsWith("users.page") || !x.sql().contains(" AS sort_key FROM ")) {
                                    continue;
                                }
                                if (sort == UserQuery.Sort.EMAIL || sort == UserQuery.Sort.USERNAME) {
                                    assertThat(rowsReadFromUsers(x.plan())).as("rows read from users\n" + x).isLessThanOrEqualTo(H2PrefixPage.SLICE + 1L);
                                } else {
                                    // few distinct keys: a next page's keyset (key >= ? AND (key > ? OR id > ?)) also reads
                                    // the rows of the anchor's key before it, as every page sorted by such a column does
                                    noFullScanOfUsers(x);
                                }
                            }
                        }
                        String dir = asc ? " ASC" : " DESC";
                        String order = " ORDER BY " + UserSql.sortExpression(sort) + dir + ", u.id" + dir;
                        String like = "(u.email_key LIKE '" + prefix + "%' OR u.username_key LIKE '" + prefix + "%')";
                        List<Long> expected = ctx.database().transactions().read("expected", s -> s.createNativeQuery(
                                "SELECT u.id FROM users u WHERE " + like + order + " LIMIT 100", Long.class).getResultList());
                        assertThat(expected).as("a common prefix here").hasSize(100);
                        List<Long> shown = new ArrayList<>();
                        pages[0].rows().forEach(u -> shown.add(u.id()));
                        pages[1].rows().forEach(u -> shown.add(u.id()));
                        assertThat(shown).as("first and next page").isEqualTo(expected);
                        String reversed = " ORDER BY " + UserSql.sortExpression(sort) + (asc ? " DESC" : " ASC") + ", u.id" + (asc ? " DESC" : " ASC");
                        List<Long> last = new ArrayList<>(ctx.database().transactions().read("expected last", s -> s.createNativeQuery(
                                "SELECT u.id FROM users u WHERE " + like + reversed + " LIMIT 50", Long.class).getResultList()));
                        java.util.Collections.reverse(last);
                        assertThat(pages[2].rows().stream().map(UserView::id).toList()).as("last page").isEqualTo(last);
                        assertThat(pages[2].hasNext()).isFalse();
                        assertThat(pages[2].hasPrevious()).isTrue();
                    }));
                }
            }
        }
        return tests.stream();
    }

    /**
     * H2, pages whose matches may be rare in their sort order ({@link H2SlicedPage}, issue 14, LoadBench): a search inside
     * fields with more candidates than a page looks up ('ave', the users named dave, last in email order descending), and
     * a department with another filter. Read with the default slice and with a slice of 10 rows, which forces the second
     * step (the matches by another index, sorted). First, next and last page: the same users in the same order as a plain
     * query, on both databases; on H2 no statement reads most of users.
     */
    @TestFactory
    Stream<DynamicTest> pagesOfRareMatchesInTheirSortOrder() {
        long dep = departments.get(4).id();
        String inDep = "EXISTS (SELECT 1 FROM user_departments d WHERE d.user_id = u.id AND d.department_id = " + dep + ")";
        record Case(String name, UserQuery query, String condition) {
        }
        List<Case> cases = new ArrayList<>();
        for (UserQuery.Sort sort : new UserQuery.Sort[] {UserQuery.Sort.EMAIL, UserQuery.Sort.USERNAME, UserQuery.Sort.QUOTA}) {
            for (boolean asc : new boolean[] {true, false}) {
                cases.add(new Case("inside 'ave' by " + sort + (asc ? " ascending" : " descending"),
                        UserQuery.all().withSearch("ave").withSort(sort, asc), "(u.email_key LIKE '%ave%' OR u.username_key LIKE '%ave%')"));
            }
        }
        cases.add(new Case("department, guest, over quota, by usage", UserQuery.all().withDepartment(dep).withRole(Role.GUEST)
                .withOverQuota(true).withSort(UserQuery.Sort.USAGE, true), inDep + " AND u.role = 'GUEST' AND u.usage_amount > u.quota"));
        cases.add(new Case("department, inactive, by quota descending", UserQuery.all().withDepartment(dep).withActive(false)
                .withSort(UserQuery.Sort.QUOTA, false), inDep + " AND u.active = FALSE"));
        cases.add(new Case("department, user, active, by email", UserQuery.all().withDepartment(dep).withRole(Role.USER).withActive(true)
                .withSort(UserQuery.Sort.EMAIL, true), inDep + " AND u.role = 'USER' AND u.active = TRUE"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Case k : cases) {
            for (int slice : new int[] {H2SlicedPage.SLICE, 10}) {
                tests.add(DynamicTest.dynamicTest(k.name() + ", slice " + slice, () -> {
                    UserQuery q = k.query();
                    int candidates = UserSql.gramCandidatesMax;
                    UserSql.gramCandidatesMax = 10; // 'ave' is then a common text, whose page walks the sort order
                    H2SlicedPage.slice = slice;
                    UserPage[] pages = new UserPage[3];
                    List<Explained> xs = new ArrayList<>();
                    try {
                        xs.addAll(explained("first page " + q, () -> pages[0] = listing.page(q, UserPage.Nav.FIRST, null, 50)));
                        if (pages[0].hasNext()) {
                            xs.addAll(explained("next page " + q, () -> pages[1] = listing.page(q, UserPage.Nav.NEXT, pages[0].last(), 50)));
                        }
                        xs.addAll(explained("last page " + q, () -> pages[2] = listing.page(q, UserPage.Nav.LAST, null, 50)));
                    } finally {
                        UserSql.gramCandidatesMax = candidates;
                        H2SlicedPage.slice = H2SlicedPage.SLICE;
                    }
                    if (h2()) {
                        xs.stream().filter(Explained::isPage).forEach(this::noFullScanOfUsers);
                    }
                    boolean asc = q.ascending();
                    String order = " ORDER BY " + UserSql.sortExpression(q.sort()) + (asc ? " ASC" : " DESC") + ", u.id" + (asc ? " ASC" : " DESC");
                    String reversed = " ORDER BY " + UserSql.sortExpression(q.sort()) + (asc ? " DESC" : " ASC") + ", u.id" + (asc ? " DESC" : " ASC");
                    List<Long> expected = ctx.database().transactions().read("expected", s -> s.createNativeQuery(
                            "SELECT u.id FROM users u WHERE " + k.condition() + order + " LIMIT 100", Long.class).getResultList());
                    assertThat(expected).as("matches").isNotEmpty();
                    List<Long> shown = new ArrayList<>();
                    pages[0].rows().forEach(u -> shown.add(u.id()));
                    if (pages[1] != null) {
                        pages[1].rows().forEach(u -> shown.add(u.id()));
                    }
                    assertThat(shown).as("first and next page").isEqualTo(expected);
                    List<Long> last = new ArrayList<>(ctx.database().transactions().read("expected last", s -> s.createNativeQuery(
                            "SELECT u.id FROM users u WHERE " + k.condition() + reversed + " LIMIT 50", Long.class).getResultList()));
                    java.util.Collections.reverse(last);
                    assertThat(pages[2].rows().stream().map(UserView::id).toList()).as("last page").isEqualTo(last);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> searchByEmailAndByUsernamePrefix() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String prefix : new String[] {"a", "alice.1", "qqplan", "plan.mail", "zq"}) {
            for (UserQuery.Sort sort : new UserQuery.Sort[] {UserQuery.Sort.EMAIL, UserQuery.Sort.USERNAME, UserQuery.Sort.UPDATED}) {
                // "Starts with": the prefix search (a text of 1-2 characters is one anyway)
                UserQuery q = UserQuery.all().withSearch(prefix).withStartsWith(true).withSort(sort, sort != UserQuery.Sort.USERNAME);
                tests.add(DynamicTest.dynamicTest("'" + prefix + "' by " + sort, () -> {
                    // 'a' as a common prefix (more candidates than H2 reads by id): on 20,000 users it has fewer
                    int before = UserSql.gramCandidatesMax;
                    UserSql.gramCandidatesMax = prefix.equals("a") ? 10 : before;
                    List<Explained> xs = new ArrayList<>();
                    try {
                        xs.addAll(explained("search " + q, () -> listing.page(q, UserPage.Nav.FIRST, null, 50)));
                        xs.addAll(explained("search estimate " + q, () -> listing.estimate(q)));
                        xs.addAll(explained("search count " + q, () -> listing.count(q)));
                    } finally {
                        UserSql.gramCandidatesMax = before;
                    }
                    if (h2() && prefix.equals("a")) {
                        assertThat(xs).as("the page read in sort order").anyMatch(x -> x.sql().contains("LIKE") && !x.sql().contains("UNION"));
                    }
                    // Not asserted, reported (issue 14): neither database keeps a search for a common prefix off a
                    // full read of users. H2 reads the sort index in order, testing each row's email and username
                    // keys, until the page is full ('a' sorted by username descending: 19,052 of 20,002 rows), and the
                    // estimate scans the table; PostgreSQL hash-joins the matching ids to a sequential scan of users
                    // where it costs that lower (every prefix at 20,000 users; at 100,000 only prefixes matching
                    // thousands of users, e.g. 'a'; rarer ones are a nested loop over users_pkey).
                    for (Explained x : xs) {
                        if (x.sql().contains("LIKE") && h2() && !x.sql().contains("UNION")) {
                            // H2, a common prefix (more than 2,000 candidates): the rows in sort order, each checked
                            // by itself. No subquery: H2 reuses a subquery's result only while the table is unchanged,
                            // so with other operators saving it ran one again for nearly every row (LoadBench: 15 s
                            // a page at 100,000 users, 0.2 s alone)
                            assertThat(x.sql()).as(x.toString()).doesNotContain("SELECT p1.id").doesNotContain("SELECT p2.id");
                        } else if (x.sql().contains("LIKE")) {
                            searchUsesBothIndexes(x);
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }

    /**
     * The count and the estimate of a prefix search (issue 14, LoadBench): on H2 two index ranges ({@link H2PrefixCount}:
     * the email-key range, then the username-key range less the users already counted), never every user, with or without
     * other filters; on both databases the figures of the plain OR of the two conditions: a prefix both fields of many
     * users start with, one only a username or only an email starts with, LIKE's wildcards taken literally.
     */
    @TestFactory
    Stream<DynamicTest> prefixCountsAndEstimates() {
        record Case(UserQuery query, String condition) {
        }
        Map<String, Case> cases = new java.util.LinkedHashMap<>();
        cases.put("'a'", new Case(UserQuery.all().withSearch("a"), ""));
        cases.put("'al', role USER, active", new Case(UserQuery.all().withSearch("al").withRole(Role.USER).withActive(true),
                " AND u.role = 'USER' AND u.active = TRUE"));
        long dep = departments.get(2).id();
        cases.put("'b', a department", new Case(UserQuery.all().withSearch("b").withDepartment(dep),
                " AND EXISTS (SELECT 1 FROM user_departments d WHERE d.user_id = u.id AND d.department_id = " + dep + ")"));
        cases.put("'c', over quota", new Case(UserQuery.all().withSearch("c").withOverQuota(true), " AND u.usage_amount > u.quota"));
        cases.put("'qqplan', a username only", new Case(UserQuery.all().withSearch("qqplan"), ""));
        cases.put("'plan.mail', an email only", new Case(UserQuery.all().withSearch("plan.mail"), ""));
        cases.put("'a_', the wildcard literally", new Case(UserQuery.all().withSearch("a_"), ""));
        cases.put("'zzzq', nobody", new Case(UserQuery.all().withSearch("zzzq"), ""));
        return cases.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            UserQuery q = e.getValue().query().withStartsWith(true);
            String prefix = UserSql.likePrefix(q.search());
            long expected = ctx.database().transactions().read("expected", s -> ((Number) s.createNativeQuery(
                    "SELECT COUNT(*) FROM users u WHERE (u.email_key LIKE :p ESCAPE '!' OR u.username_key LIKE :p ESCAPE '!')"
                    + e.getValue().condition(), Object.class).setParameter("p", prefix).getSingleResult()).longValue());
            UserTotal[] got = new UserTotal[2];
            List<Explained> xs = new ArrayList<>();
            int candidates = UserSql.gramCandidatesMax;
            UserSql.gramCandidatesMax = 10; // every prefix here but 'zzzq' is then a common one, as at 100,000 users
            try {
                xs.addAll(explained("count " + e.getKey(), () -> got[0] = listing.count(q)));
                xs.addAll(explained("estimate " + e.getKey(), () -> got[1] = listing.estimate(q)));
            } finally {
                UserSql.gramCandidatesMax = candidates;
            }
            assertThat(got[0].value()).as("count").isEqualTo(expected);
            assertThat(got[1].value()).as("estimate").isEqualTo(Math.min(expected, 1000));
            assertThat(got[1].exact()).as("estimate exact").isEqualTo(expected <= 1000);
            if (e.getKey().equals("'a'")) {
                assertThat(expected).as("a common prefix here (each first name is 1 user in 20)").isGreaterThanOrEqualTo(1000);
            }
            // PostgreSQL: its own plan of the OR, not asserted (at 20,000 users it hash-joins the matching ids to a
            // sequential scan, see searchByEmailAndByUsernamePrefix)
            for (Explained x : h2() ? xs : List.<Explained>of()) {
                noFullScanOfUsers(x);
                if (x.sql().contains("LIKE")) {
                    assertThat(x.sql()).as(x.toString()).doesNotContain(" OR ");
                    if (q.departmentId() == null) {
                        assertThat(x.plan().toLowerCase(Locale.ROOT)).as(x.toString())
                                .containsPattern("public\\.(ix_users_email_key_id: email_key >=|ix_users_username_key: username_key >=)");
                    }
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> searchInsideFieldsUsesItsIndex() {
        // PostgreSQL estimates any LIKE '%…%' at 200 rows. On this test's 20,000 users that is 1 %, so it walks the sort
        // index testing each row for a rare text (15,000 buffers, 28 ms); at 1,000,000 users the same estimate is 0.02 %
        // and it takes the trigram bitmap (measured 2026-12-01: no match 0.26 ms, 23 matches 2.96 ms; a common text
        // walks the sort index and stops at 51 rows, 0.14 ms). Not asserted on a table this small
        org.junit.jupiter.api.Assumptions.assumeTrue(h2(), "H2 only: PostgreSQL takes the trigram bitmap only on large tables (see comment)");
        List<DynamicTest> tests = new ArrayList<>();
        // rare texts (a common one may rightly be read in sort order instead): the index of the search inside fields
        for (String text : new String[] {"qqplan", "lan.mai"}) {
            for (UserQuery.Sort sort : new UserQuery.Sort[] {UserQuery.Sort.EMAIL, UserQuery.Sort.USERNAME}) {
                UserQuery q = UserQuery.all().withSearch(text).withSort(sort, true);
                tests.add(DynamicTest.dynamicTest("inside '" + text + "' by " + sort, () -> {
                    List<Explained> xs = new ArrayList<>(explained("search " + q, () -> listing.page(q, UserPage.Nav.FIRST, null, 50)));
                    xs.addAll(explained("search count " + q, () -> listing.count(q)));
                    for (Explained x : xs) {
                        if (x.sql().contains("LIKE")) {
                            String p = x.plan().toLowerCase(Locale.ROOT);
                            assertThat(p).as(x.toString()).contains("user_search_grams").contains("gram >=");
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }

    /**
     * H2, the count and the estimate of a search inside fields with more candidate windows than a page looks up (issue
     * 14, LoadBench): a page walks the sort order (its matches come early), but a count reads every match, so up to
     * {@link UserSql#INSIDE_COUNT_CANDIDATES_MAX} windows the candidates are looked up by id instead of testing every
     * user (common texts took 0.2-0.5 s a count under eight operators at 100,000 users). The figures are the plain
     * LIKE's.
     */
    @org.junit.jupiter.api.Test
    void insideCountsOfACommonTextLookTheirCandidatesUp() {
        org.junit.jupiter.api.Assumptions.assumeTrue(h2(), "H2 only: PostgreSQL's trigram indexes answer both");
        for (String text : new String[] {"lic", "ybi", "ob.1"}) {
            UserQuery q = UserQuery.all().withSearch(text).withRole(Role.USER);
            String pattern = "%" + text + "%";
            long expected = ctx.database().transactions().read("expected", s -> ((Number) s.createNativeQuery(
                    "SELECT COUNT(*) FROM users u WHERE (u.email_key LIKE :p OR u.username_key LIKE :p) AND u.role = 'USER'",
                    Object.class).setParameter("p", pattern).getSingleResult()).longValue());
            assertThat(expected).as(text + ": more matches than the page path looks up").isGreaterThan(10);
            int before = UserSql.gramCandidatesMax;
            UserSql.gramCandidatesMax = 10; // a page of each text walks the sort order now, as at 100,000 users
            long[] got = new long[2];
            List<Explained> xs = new ArrayList<>();
            try {
                xs.addAll(explained("count inside " + text, () -> got[0] = listing.count(q).value()));
                xs.addAll(explained("estimate inside " + text, () -> got[1] = listing.estimate(q).value()));
            } finally {
                UserSql.gramCandidatesMax = before;
            }
            assertThat(got).containsExactly(expected, Math.min(expected, 1000));
            for (Explained x : xs) {
                if (x.sql().contains("LIKE")) {
                    noFullScanOfUsers(x);
                    assertThat(x.plan().toLowerCase(Locale.ROOT)).as(x.toString()).contains("user_search_grams").contains("gram >=");
                }
            }
        }
    }

    /** The two halves of the search: the email-key and the username-key index, each a range scan on the prefix. */
    void searchUsesBothIndexes(Explained x) {
        String p = x.plan().toLowerCase(Locale.ROOT);
        if (h2()) {
            assertThat(p).as(x.toString()).containsPattern("public\\.(ix_users_email_key_id|uq_users_email_key[^:]*): email_key >=")
                    .contains("public.ix_users_username_key: username_key >=");
        } else {
            assertThat(p).as(x.toString()).contains("ix_users_email_key_pattern").contains("ix_users_username_key");
        }
    }

    @TestFactory
    Stream<DynamicTest> totals() {
        Map<String, UserQuery> qs = new java.util.LinkedHashMap<>();
        qs.put("role ADMIN", UserQuery.all().withRole(Role.ADMIN));
        qs.put("department", UserQuery.all().withDepartment(departments.get(2).id()));
        return Stream.of(
                DynamicTest.dynamicTest("unfiltered estimate reads the statistics only", () ->
                        explainedOrNone("estimate unfiltered", () -> listing.estimate(UserQuery.all()))
                                .forEach(x -> assertThat(x.sql()).as(x.toString()).doesNotContainIgnoringCase("from users"))),
                DynamicTest.dynamicTest("exact count, role ADMIN: the role index", () ->
                        explained("count role ADMIN", () -> listing.count(qs.get("role ADMIN"))).forEach(x ->
                                assertThat(x.plan().toLowerCase(Locale.ROOT)).as(x.toString()).contains("ix_users_role"))),
                // a department alone: its links are counted without reading users (every link names a user)
                DynamicTest.dynamicTest("exact count, department: the links alone", () -> {
                    List<Explained> xs = explained("count department", () -> listing.count(qs.get("department")));
                    assertThat(xs).isNotEmpty().allSatisfy(x -> assertThat(x.sql()).as(x.toString())
                            .doesNotContainPattern("(?i)\\busers\\b"));
                    long linked = ctx.database().transactions().read("links", s -> ((Number) s.createNativeQuery(
                            "SELECT COUNT(*) FROM users u JOIN user_departments fd ON fd.user_id = u.id WHERE fd.department_id = "
                            + departments.get(2).id(), Object.class).getSingleResult()).longValue());
                    assertThat(listing.count(qs.get("department")).value()).isEqualTo(linked).isPositive();
                }));
    }

    List<Explained> explainedOrNone(String scenario, Runnable action) {
        long seq = ctx.database().sqlMonitor().lastSeq();
        action.run();
        List<Explained> out = new ArrayList<>();
        for (SqlEvent e : ctx.database().sqlMonitor().since(seq)) {
            // not the console's write mark (SELECT set_config(…), which the query gate refuses to explain)
            if (e.operationName().startsWith("users.") && ExplainService.refusal(e) == null && !e.sql().contains("set_config(")) {
                out.add(new Explained(scenario, e, explain.explain(e).text()));
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> openSaveAndHistory() {
        Consumer<Explained> byKey = x -> {
            noFullScanOfUsers(x);
            String p = x.plan().toLowerCase(Locale.ROOT);
            assertThat(p).as(x.toString()).doesNotContain("audit_log.tablescan").doesNotContain("seq scan on audit_log")
                    .doesNotContain("user_departments.tablescan").doesNotContain("seq scan on user_departments");
        };
        return Stream.of(
                DynamicTest.dynamicTest("open from the database", () ->
                        // served from a cache it issues no SQL at all; from the database, a primary-key read
                        explainedOrNone("open", () -> editing.open(edited.id())).forEach(byKey)),
                DynamicTest.dynamicTest("save an edit", () -> {
                    UserView u = editing.open(edited.id()).orElseThrow().user();
                    explained("save", () -> editing.save(new UserForm(u.id(), u.version(), u.email(), u.username(), u.role(), u.active(),
                            "11", u.usage().toPlainString(), Set.of(departments.get(0).id()), u.settings()))).forEach(byKey);
                }),
                DynamicTest.dynamicTest("history", () -> explained("history", () -> history.history(edited.id())).forEach(x -> {
                    byKey.accept(x);
                    assertThat(x.plan().toLowerCase(Locale.ROOT)).as(x.toString()).contains("ix_audit_entity");
                })));
    }
}
