package org.adminconsole.service.users;

import org.adminconsole.service.RefusedException;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.DepartmentView;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserView;
import org.adminconsole.testing.Tasks;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The users services (listing, editing, history, bulk) on a real H2 database seeded with demo users (the PostgreSQL subclass runs the same tests). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserServiceTest {

    static final int SEEDED = 3000;
    AppContext ctx;
    UserListing listing;
    UserEditing editing;
    UserHistory userHistory;
    UserBulk bulk;

    Settings settings(Path dir) {
        return TestDatabases.h2(dir, Map.of("db.seed.users", String.valueOf(SEEDED)));
    }

    @BeforeAll
    void open() {
        ctx = AppContext.start(settings(TestDatabases.tempDir("users-svc")));
        listing = ctx.get(UserListing.class);
        editing = ctx.get(UserEditing.class);
        userHistory = ctx.get(UserHistory.class);
        bulk = ctx.get(UserBulk.class);
    }

    @AfterAll
    void close() {
        if (ctx != null) {
            ctx.close();
        }
    }

    long sqlLong(String sql, Object... params) throws Exception {
        try (Connection c = ctx.database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Waits (at most 30 s) until some session of this database is blocked by another's lock. */
    void waitUntilASessionWaitsForALock() {
        String sql = ctx.settings().isH2()
                ? "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL"
                : "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
                        + " AND query LIKE '%users%'";
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Connection c = TestDatabases.connect(ctx.settings()); PreparedStatement ps = c.prepareStatement(sql);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // poll again in 20 ms
        }
        throw new AssertionError("no session waited for a lock within 30 s");
    }

    List<Long> idsByOffset(UserQuery q) throws Exception {
        List<Object> params = new ArrayList<>();
        String expr = UserSql.sortExpression(q.sort());
        String dir = q.ascending() ? " ASC" : " DESC";
        List<Long> out = new ArrayList<>();
        try (Connection c = ctx.database().dataSource().getConnection()) {
            String sql = "SELECT u.id FROM users u WHERE " + UserSql.where(c, q, params, ctx.database().dialect()) + " ORDER BY " + expr + dir + ", u.id" + dir;
            PreparedStatement ps = c.prepareStatement(sql);
            UserSql.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    static List<Long> ids(UserPage p) {
        return p.rows().stream().map(UserView::id).toList();
    }

    DepartmentView department(String name) {
        return listing.departments().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    UserView create(String email, String username, String usage) {
        SaveResult r = editing.save(new UserForm(null, 0, email, username, Role.USER, true, "100", usage, Set.of(), null));
        assertThat(r).isInstanceOf(SaveResult.Saved.class);
        return ((SaveResult.Saved) r).user();
    }

    @Test
    void keysetPagesWalkEverySortForwardAndBackLikeAPlainOrderedQuery() throws Exception {
        UserQuery base = UserQuery.all().withDepartment(department("Sales").id());
        for (UserQuery.Sort sort : UserQuery.Sort.values()) {
            for (boolean asc : new boolean[] {true, false}) {
                UserQuery q = base.withSort(sort, asc);
                List<Long> expected = idsByOffset(q);
                assertThat(expected).hasSizeGreaterThan(100);
                List<Long> forward = new ArrayList<>();
                UserPage p = listing.page(q, UserPage.Nav.FIRST, null, 37);
                assertThat(p.hasPrevious()).isFalse();
                forward.addAll(ids(p));
                while (p.hasNext()) {
                    p = listing.page(q, UserPage.Nav.NEXT, p.last(), 37);
                    forward.addAll(ids(p));
                }
                assertThat(forward).as("forward %s %s", sort, asc).isEqualTo(expected);
                List<Long> backward = new ArrayList<>();
                p = listing.page(q, UserPage.Nav.LAST, null, 37);
                assertThat(p.hasNext()).isFalse();
                backward.addAll(0, ids(p));
                while (p.hasPrevious()) {
                    p = listing.page(q, UserPage.Nav.PREVIOUS, p.first(), 37);
                    backward.addAll(0, ids(p));
                }
                assertThat(backward).as("backward %s %s", sort, asc).isEqualTo(expected);
            }
        }
    }

    /** The Departments column sorts by each user's first department name, kept up to date by saves and bulk moves. */
    @Test
    void sortingByDepartmentsFollowsEachUsersFirstDepartmentAfterEditsAndMoves() {
        UserView u = create("Dept.Sorted@Example.org", "DeptSorted", "0");
        Set<Long> salesAndSupport = Set.of(department("Sales").id(), department("Support").id());
        UserForm f = UserForm.of(u);
        SaveResult r = editing.save(new UserForm(f.id(), f.version(), f.email(), f.username(), f.role(), f.active(), f.quota(),
                f.usage(), salesAndSupport, f.settings()));
        assertThat(r).isInstanceOf(SaveResult.Saved.class);
        assertDepartmentOrder(u.id(), "Sales");
        assertThat(bulk.apply(BulkAction.onIds(BulkAction.Kind.MOVE_TO_DEPARTMENT, department("Design").id(), List.of(u.id()))))
                .isEqualTo(1);
        assertDepartmentOrder(u.id(), "Design");
    }

    private void assertDepartmentOrder(long id, String expectedFirst) {
        UserQuery q = UserQuery.all().withSort(UserQuery.Sort.DEPARTMENTS, true);
        List<UserView> all = new ArrayList<>();
        UserPage p = listing.page(q, UserPage.Nav.FIRST, null, 500);
        all.addAll(p.rows());
        while (p.hasNext()) {
            p = listing.page(q, UserPage.Nav.NEXT, p.last(), 500);
            all.addAll(p.rows());
        }
        List<String> firsts = all.stream().map(v -> v.departments().stream().map(DepartmentView::name).sorted().findFirst().orElse(""))
                .toList();
        assertThat(firsts).as("first department names in sort order").isSorted();
        assertThat(all).filteredOn(v -> v.id() == id).singleElement()
                .satisfies(v -> assertThat(v.departments().stream().map(DepartmentView::name).sorted().findFirst()).contains(expectedFirst));
    }

    @Test
    void searchFindsEmailOrUsernameIgnoringCaseAndShortTextsAsPrefixes() {
        UserView u = create("Zed.Prefix@Example.org", "QuirkyPrefixName", "0");
        assertThat(ids(listing.page(UserQuery.all().withSearch("zed.pre"), UserPage.Nav.FIRST, null, 50))).containsExactly(u.id());
        assertThat(ids(listing.page(UserQuery.all().withSearch("QUIRKYp"), UserPage.Nav.FIRST, null, 50))).containsExactly(u.id());
        assertThat(ids(listing.page(UserQuery.all().withSearch("prefixn"), UserPage.Nav.FIRST, null, 50))).containsExactly(u.id());
        // one or two characters: the start of email or username only
        assertThat(ids(listing.page(UserQuery.all().withSearch("ze"), UserPage.Nav.FIRST, null, 50))).contains(u.id());
        assertThat(ids(listing.page(UserQuery.all().withSearch("ef"), UserPage.Nav.FIRST, null, 50))).doesNotContain(u.id());
        assertThat(listing.page(UserQuery.all().withSearch("zz%"), UserPage.Nav.FIRST, null, 50).rows()).isEmpty();
    }

    @Test
    void filtersMatchIndependentCountsAndEveryRowSatisfiesThem() throws Exception {
        DepartmentView data = department("Data");
        UserQuery q = UserQuery.all().withRole(Role.OPERATOR).withActive(true).withDepartment(data.id());
        long expected = sqlLong("SELECT COUNT(*) FROM users u JOIN user_departments ud ON ud.user_id = u.id "
                + "WHERE u.role = 'OPERATOR' AND u.active = TRUE AND ud.department_id = ?", data.id());
        assertThat(listing.count(q).value()).isEqualTo(expected).isGreaterThan(0);
        for (UserView u : listing.page(q, UserPage.Nav.FIRST, null, 500).rows()) {
            assertThat(u.role()).isEqualTo(Role.OPERATOR);
            assertThat(u.active()).isTrue();
            assertThat(u.departments()).extracting(DepartmentView::name).contains("Data");
        }
        UserQuery over = UserQuery.all().withOverQuota(true);
        assertThat(listing.count(over).value()).isEqualTo(sqlLong("SELECT COUNT(*) FROM users WHERE usage_amount > quota"));
        assertThat(listing.page(over, UserPage.Nav.FIRST, null, 200).rows()).allMatch(UserView::overQuota);
        UserQuery inactive = UserQuery.all().withActive(false);
        assertThat(listing.count(inactive).value()).isEqualTo(sqlLong("SELECT COUNT(*) FROM users WHERE active = FALSE"));
    }

    @Test
    void estimateAnswersAtOnceAndCountIsExact() throws Exception {
        long total = sqlLong("SELECT COUNT(*) FROM users");
        assertThat(listing.count(UserQuery.all()).value()).isEqualTo(total);
        UserTotal est = listing.estimate(UserQuery.all());
        assertThat(est.exact()).isFalse();
        UserTotal narrow = listing.estimate(UserQuery.all().withSearch("alice.1"));
        assertThat(narrow.exact()).isTrue();
        assertThat(narrow.value()).isEqualTo(sqlLong("SELECT COUNT(*) FROM users WHERE email_key LIKE '%alice.1%' OR LOWER(username) LIKE '%alice.1%'"));
        UserTotal broad = listing.estimate(UserQuery.all().withActive(true));
        assertThat(broad.atLeast()).isTrue();
    }

    @Test
    void invalidFieldsAreRefusedOnTheirFieldAndNothingIsWritten() throws Exception {
        UserView existing = create("taken.one@example.com", "takenone", "0");
        long usersBefore = sqlLong("SELECT COUNT(*) FROM users");
        long auditBefore = sqlLong("SELECT COUNT(*) FROM audit_log");
        Map<String, UserForm> cases = Map.of(
                "email", new UserForm(null, 0, "not-an-email", "fresh1", Role.USER, true, "1", "0", Set.of(), null),
                "username", new UserForm(null, 0, "fresh2@example.com", "ab", Role.USER, true, "1", "0", Set.of(), null),
                "quota", new UserForm(null, 0, "fresh3@example.com", "fresh3", Role.USER, true, "-1", "0", Set.of(), null),
                "usage", new UserForm(null, 0, "fresh4@example.com", "fresh4", Role.USER, true, "1", "1.234", Set.of(), null),
                "role", new UserForm(null, 0, "fresh5@example.com", "fresh5", null, true, "1", "0", Set.of(), null));
        cases.forEach((field, form) -> assertThat(editing.save(form)).as(field)
                .isInstanceOfSatisfying(SaveResult.Invalid.class, i -> assertThat(i.fieldErrors()).containsOnlyKeys(field)));
        SaveResult dupEmail = editing.save(new UserForm(null, 0, "TAKEN.One@Example.COM", "fresh6", Role.USER, true, "1", "0", Set.of(), null));
        assertThat(dupEmail).isInstanceOfSatisfying(SaveResult.Invalid.class, i -> assertThat(i.fieldErrors()).containsOnlyKeys("email"));
        SaveResult dupName = editing.save(new UserForm(null, 0, "fresh7@example.com", "TakenOne", Role.USER, true, "1", "0", Set.of(), null));
        assertThat(dupName).isInstanceOfSatisfying(SaveResult.Invalid.class, i -> assertThat(i.fieldErrors()).containsOnlyKeys("username"));
        UserForm edit = UserForm.of(existing);
        SaveResult badEdit = editing.save(new UserForm(edit.id(), edit.version(), "alice.20@example.com", edit.username(), edit.role(),
                edit.active(), edit.quota(), edit.usage(), edit.departmentIds(), edit.settings()));
        assertThat(badEdit).isInstanceOf(SaveResult.Invalid.class);
        assertThat(sqlLong("SELECT COUNT(*) FROM users")).isEqualTo(usersBefore);
        assertThat(sqlLong("SELECT COUNT(*) FROM audit_log")).isEqualTo(auditBefore);
        assertThat(editing.open(existing.id()).orElseThrow().user().email()).isEqualTo("taken.one@example.com");
    }

    @Test
    void createEditAndHistory() {
        DepartmentView legal = department("Legal");
        SaveResult r = editing.save(new UserForm(null, 0, "New.Person@Example.com", "newperson", Role.OPERATOR, true, "2500.5", "10",
                Set.of(legal.id()), "{\"a\":1}"));
        UserView u = ((SaveResult.Saved) r).user();
        assertThat(u.email()).isEqualTo("New.Person@Example.com");
        assertThat(u.quota()).isEqualByComparingTo("2500.50");
        assertThat(u.departments()).containsExactly(legal);
        UserForm f = UserForm.of(u);
        UserView edited = ((SaveResult.Saved) editing.save(new UserForm(f.id(), f.version(), f.email(), f.username(), Role.ADMIN,
                false, f.quota(), f.usage(), f.departmentIds(), f.settings()))).user();
        assertThat(edited.role()).isEqualTo(Role.ADMIN);
        assertThat(edited.version()).isGreaterThan(u.version());
        List<AuditEntryView> history = userHistory.history(u.id());
        assertThat(history).hasSize(2);
        assertThat(history.get(0).operation()).isEqualTo("users.save");
        assertThat(history.get(0).operator()).isEqualTo("tester");
        assertThat(history.get(0).changes()).extracting(AuditEntryView.Change::toString)
                .contains("role: OPERATOR → ADMIN", "active: true → false");
        assertThat(history.get(1).action()).isEqualTo("INSERT");
    }

    @Test
    void aChangeMeanwhileIsAConflictWithTheDifferingFieldsThenOverwriteWins() {
        UserView u = create("conflict.me@example.com", "conflictme", "0");
        UserForm mine = UserForm.of(u);
        UserForm theirs = UserForm.of(u);
        editing.save(new UserForm(theirs.id(), theirs.version(), theirs.email(), theirs.username(), Role.GUEST, theirs.active(),
                "777", theirs.usage(), theirs.departmentIds(), theirs.settings()));
        UserForm myEdit = new UserForm(mine.id(), mine.version(), mine.email(), mine.username(), Role.ADMIN, mine.active(),
                mine.quota(), mine.usage(), mine.departmentIds(), mine.settings());
        SaveResult r = editing.save(myEdit);
        assertThat(r).isInstanceOf(SaveResult.Conflicted.class);
        Conflict c = ((SaveResult.Conflicted) r).conflict();
        assertThat(c.diffs()).extracting(Conflict.FieldDiff::field).containsExactly("role", "quota");
        assertThat(c.diffs().get(0)).isEqualTo(new Conflict.FieldDiff("role", "GUEST", "ADMIN"));
        assertThat(editing.open(u.id()).orElseThrow().user().role()).isEqualTo(Role.GUEST);
        SaveResult overwrite = editing.save(myEdit.withVersion(c.theirs().version()));
        assertThat(overwrite).isInstanceOf(SaveResult.Saved.class);
        UserView now = editing.open(u.id()).orElseThrow().user();
        assertThat(now.role()).isEqualTo(Role.ADMIN);
        assertThat(now.quota()).isEqualByComparingTo("100");
    }

    @Test
    void deactivateAndDeleteOnlyWithoutUsage() throws Exception {
        UserView busy = create("busy.user@example.com", "busyuser", "12.50");
        SaveResult off = editing.setActive(busy.id(), busy.version(), false);
        UserView inactive = ((SaveResult.Saved) off).user();
        assertThat(inactive.active()).isFalse();
        assertThat(editing.setActive(busy.id(), busy.version(), true)).isInstanceOf(SaveResult.Conflicted.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> editing.delete(busy.id(), inactive.version()))
                .isInstanceOf(RefusedException.class).hasMessageContaining("usage 12.50");
        assertThat(sqlLong("SELECT COUNT(*) FROM users WHERE id = ?", busy.id())).isEqualTo(1);
        UserView idle = create("idle.user@example.com", "idleuser", "0");
        editing.delete(idle.id(), idle.version());
        assertThat(sqlLong("SELECT COUNT(*) FROM users WHERE id = ?", idle.id())).isZero();
        assertThat(editing.open(idle.id())).isEmpty();
    }

    @Test
    void bulkDeactivateDryRunRollsBackThenAppliesWithAnAuditRowPerUser() throws Exception {
        DepartmentView research = department("Research");
        UserQuery q = UserQuery.all().withDepartment(research.id()).withRole(Role.USER);
        long expected = sqlLong("SELECT COUNT(*) FROM users u JOIN user_departments ud ON ud.user_id = u.id "
                + "WHERE ud.department_id = ? AND u.role = 'USER' AND u.active = TRUE", research.id());
        long auditBefore = sqlLong("SELECT COUNT(*) FROM audit_log");
        long activeBefore = sqlLong("SELECT COUNT(*) FROM users WHERE active = TRUE");
        UserView sample = listing.page(q.withActive(true), UserPage.Nav.FIRST, null, 1).rows().get(0);
        assertThat(editing.open(sample.id()).orElseThrow().user().active()).isTrue(); // now cached
        BulkAction deactivate = BulkAction.onQuery(BulkAction.Kind.DEACTIVATE, null, q);
        assertThat(bulk.dryRun(deactivate)).isEqualTo(expected).isGreaterThan(100);
        assertThat(sqlLong("SELECT COUNT(*) FROM users WHERE active = TRUE")).isEqualTo(activeBefore);
        assertThat(sqlLong("SELECT COUNT(*) FROM audit_log")).isEqualTo(auditBefore);
        List<Long> progress = new ArrayList<>();
        assertThat(Tasks.run(Tasks.handle("bulk", (done, total) -> progress.add(done)), () -> bulk.apply(deactivate)))
                .isEqualTo(expected);
        assertThat(progress).last().isEqualTo(expected);
        assertThat(sqlLong("SELECT COUNT(*) FROM users WHERE active = TRUE")).isEqualTo(activeBefore - expected);
        assertThat(sqlLong("SELECT COUNT(*) FROM audit_log WHERE operation = 'users.bulk.deactivate'")).isEqualTo(expected);
        assertThat(editing.open(sample.id()).orElseThrow()).satisfies(l -> {
            assertThat(l.fromCache()).isFalse();
            assertThat(l.user().active()).isFalse();
        });
        assertThat(userHistory.history(sample.id()).get(0).summary()).isEqualTo("active: true → false");
        assertThat(bulk.dryRun(deactivate)).isZero();
    }

    @Test
    void bulkMoveAndResetUsageOnSelectedIds() throws Exception {
        DepartmentView design = department("Design");
        List<UserView> page = listing.page(UserQuery.all().withSearch("bob"), UserPage.Nav.FIRST, null, 20).rows();
        List<Long> ids = page.stream().map(UserView::id).toList();
        editing.open(ids.get(0));
        assertThat(bulk.apply(BulkAction.onIds(BulkAction.Kind.MOVE_TO_DEPARTMENT, design.id(), ids)))
                .isEqualTo(ids.size());
        for (Long id : ids) {
            assertThat(editing.open(id).orElseThrow().user().departments()).containsExactly(design);
        }
        long withUsage = page.stream().filter(u -> u.usage().signum() != 0).count();
        assertThat(bulk.apply(BulkAction.onIds(BulkAction.Kind.RESET_USAGE, null, ids))).isEqualTo(withUsage);
        assertThat(sqlLong("SELECT COUNT(*) FROM users WHERE usage_amount <> 0 AND id IN (" + UserSql.placeholders(ids.size()) + ")",
                ids.toArray())).isZero();
        Set<String> ops = new HashSet<>();
        userHistory.history(ids.get(0)).forEach(e -> ops.add(e.operation()));
        assertThat(ops).contains("users.bulk.move_to_department");
        assertThat(editing.open(ids.get(0)).orElseThrow().user().usage()).isEqualByComparingTo(BigDecimal.ZERO);
    }

    /**
     * A bulk action locks its rows chunk by chunk and its table-version row from the first chunk on; an edit
     * saved meanwhile locks its user row, then waits for the table-version row. If that user lies in a later
     * chunk, the two would wait for each other: the bulk locks all its rows before it writes, so the edit
     * simply waits, then finds the user changed (a conflict the operator resolves), and the bulk completes.
     */
    @Test
    void anEditSavedDuringABulkActionWaitsForItInsteadOfDeadlocking() throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = ctx.database().dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM users WHERE active = TRUE ORDER BY id DESC FETCH FIRST 1100 ROWS ONLY");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        java.util.Collections.sort(ids);
        UserView victim = editing.open(ids.get(ids.size() - 1)).orElseThrow().user(); // in the last chunk
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.atomic.AtomicReference<java.util.concurrent.Future<SaveResult>> save = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            long changed = Tasks.run(Tasks.handle("bulk", (done, total) -> {
                if (save.get() == null) { // after the first chunk, inside the bulk's transaction
                    UserForm f = UserForm.of(victim);
                    save.set(ex.submit(() -> editing.save(new UserForm(f.id(), f.version(), f.email(), f.username(), f.role(),
                            f.active(), "777", f.usage(), f.departmentIds(), f.settings()))));
                    waitUntilASessionWaitsForALock(); // the edit has reached the database and waits there
                }
            }), () -> bulk.apply(BulkAction.onIds(BulkAction.Kind.DEACTIVATE, null, ids)));
            assertThat(changed).isEqualTo(ids.size());
            SaveResult r = save.get().get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r).isInstanceOf(SaveResult.Conflicted.class);
            assertThat(editing.open(victim.id()).orElseThrow().user().active()).isFalse();
        } finally {
            ex.shutdownNow();
            bulk.apply(BulkAction.onIds(BulkAction.Kind.ACTIVATE, null, ids));
        }
    }
}
