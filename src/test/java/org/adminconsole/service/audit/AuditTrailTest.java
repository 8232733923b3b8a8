package org.adminconsole.service.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.AuditEntryView;
import org.adminconsole.service.users.BulkAction;
import org.adminconsole.service.users.ConflictException;
import org.adminconsole.service.users.SaveResult;
import org.adminconsole.service.users.UserBulk;
import org.adminconsole.service.users.UserEditing;
import org.adminconsole.service.users.UserForm;
import org.adminconsole.service.users.UserHistory;
import org.adminconsole.testing.ScripterLogin;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 15 items 5-6 on H2 (the PostgreSQL subclass runs the same): the console's own writes are audited once, writes
 * made outside it (plain JDBC as another login) are recorded by the database triggers with that login and the fields
 * old -> new; the Activity query pages and filters; reverting one change and a whole bulk action, with conflicts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTrailTest {

    static final AtomicInteger N = new AtomicInteger();
    AppContext ctx;
    UserEditing editing;
    UserHistory history;
    UserBulk bulk;
    Activity activity;
    Reverting reverting;

    Settings settings(Path dir) {
        return TestDatabases.h2(dir, java.util.Map.of("db.seed.users", "40"));
    }

    @BeforeAll
    void open() throws Exception {
        ctx = AppContext.start(settings(TestDatabases.tempDir("audit-trail")));
        editing = ctx.get(UserEditing.class);
        history = ctx.get(UserHistory.class);
        bulk = ctx.get(UserBulk.class);
        activity = ctx.get(Activity.class);
        reverting = ctx.get(Reverting.class);
        ScripterLogin.prepare(ctx.settings());
    }

    @AfterAll
    void close() {
        if (ctx != null) {
            ctx.close();
        }
    }

    // ---- another login, as psql or a script would use ---------------------------------------------------------

    static String scripterLogin(Settings s) {
        return ScripterLogin.name(s);
    }

    int externalUpdate(String sql, Object... params) throws SQLException {
        return ScripterLogin.update(ctx.settings(), sql, params);
    }

    long count(String sql, Object... params) throws SQLException {
        try (Connection c = TestDatabases.connect(ctx.settings()); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    UserView create(String quota) {
        int n = N.incrementAndGet();
        SaveResult r = editing.save(new UserForm(null, 0, "audit" + n + "@example.com", "audit" + n, Role.USER, true, quota, "1",
                Set.of(), null));
        assertThat(r).isInstanceOf(SaveResult.Saved.class);
        return ((SaveResult.Saved) r).user();
    }

    UserView save(UserView u, String quota) {
        UserForm f = UserForm.of(u);
        SaveResult r = editing.save(new UserForm(f.id(), f.version(), f.email(), f.username(), f.role(), f.active(), quota, f.usage(),
                f.departmentIds(), f.settings()));
        assertThat(r).isInstanceOf(SaveResult.Saved.class);
        return ((SaveResult.Saved) r).user();
    }

    UserView reload(long id) {
        return editing.open(id).orElseThrow().user();
    }

    UserView fromDatabase(long id) throws Exception {
        // past the caches: what the database holds
        try (Connection c = TestDatabases.connect(ctx.settings());
             PreparedStatement ps = c.prepareStatement("SELECT quota, active FROM users WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                UserView u = reload(id);
                return new UserView(u.id(), u.email(), u.username(), u.role(), rs.getBoolean(2), rs.getBigDecimal(1), u.usage(),
                        u.settings(), u.departments(), u.createdAt(), u.updatedAt(), u.createdBy(), u.updatedBy(), u.lastLogin(), u.version());
            }
        }
    }

    List<ActivityEntry> all(ActivityFilter f) {
        List<ActivityEntry> out = new ArrayList<>();
        Long before = null;
        do {
            ActivityPage p = activity.page(f, before, 50);
            out.addAll(p.entries());
            before = p.nextBefore();
        } while (before != null);
        return out;
    }

    ActivityFilter forOperator(String op) {
        return new ActivityFilter(op, null, null, null);
    }

    // ---- item 5: complete audit trail ------------------------------------------------------------------------

    @Test
    void generatedDemoUsersAreNotRecordedAsExternalWrites() throws Exception {
        assertThat(count("SELECT COUNT(*) FROM users")).isGreaterThanOrEqualTo(40);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE source = 'external' AND operator <> ?", scripterLogin(ctx.settings())))
                .isZero();
    }

    @Test
    void consoleSaveIsAuditedOnceAndMarkedConsole() throws Exception {
        UserView u = create("10");
        save(u, "20");
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'User' AND entity_id = ?", u.id())).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE entity_id = ? AND source = 'external'", u.id())).isZero();
        List<AuditEntryView> h = history.history(u.id());
        assertThat(h).hasSize(2);
        assertThat(h.get(0).operator()).isEqualTo("tester");
        assertThat(h.get(0).external()).isFalse();
        assertThat(h.get(0).summary()).contains("quota: 10.00 → 20.00");
        assertThat(h.get(0).no()).isGreaterThan(h.get(1).no());
    }

    @Test
    void externalUpdateIsRecordedWithTheDatabaseLoginAndFieldsOldToNew() throws Exception {
        UserView u = create("10");
        assertThat(externalUpdate("UPDATE users SET quota = 77, role = 'GUEST' WHERE id = ?", u.id())).isEqualTo(1);
        List<AuditEntryView> h = history.history(u.id());
        assertThat(h).hasSize(2);
        AuditEntryView e = h.get(0);
        assertThat(e.external()).isTrue();
        assertThat(e.operator()).isEqualTo(scripterLogin(ctx.settings()));
        assertThat(e.action()).isEqualTo("UPDATE");
        assertThat(e.changes()).extracting(AuditEntryView.Change::field).containsExactlyInAnyOrder("quota", "role");
        assertThat(e.summary()).contains("role: USER → GUEST").contains("quota: 10.00 → 77.00");
        // exactly one entry for that statement, and the Activity view shows it for that login, marked external
        List<ActivityEntry> mine = all(new ActivityFilter(scripterLogin(ctx.settings()), "users", null, null));
        assertThat(mine).filteredOn(a -> a.entityId() == u.id()).hasSize(1).allMatch(ActivityEntry::external);
    }

    @Test
    void externalInsertAndDeleteAreRecorded() throws Exception {
        int n = N.incrementAndGet();
        externalUpdate("INSERT INTO users (email, email_key, username, role, active, quota, usage_amount, created_at, updated_at,"
                + " created_by, updated_by) VALUES (?, ?, ?, 'USER', TRUE, 5, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'script', 'script')",
                "ext" + n + "@example.com", "ext" + n + "@example.com", "ext" + n);
        long id = count("SELECT id FROM users WHERE username = ?", "ext" + n);
        externalUpdate("DELETE FROM users WHERE id = ?", id);
        List<AuditEntryView> h = history.history(id);
        assertThat(h).extracting(AuditEntryView::action).containsExactly("DELETE", "INSERT");
        assertThat(h).allMatch(AuditEntryView::external);
        assertThat(h.get(1).summary()).contains("email: — → ext" + n + "@example.com").contains("quota: — → 5.00");
        assertThat(h.get(0).summary()).contains("username: ext" + n + " → —");
    }

    @Test
    void externalDepartmentLinksAndDepartmentsAreRecorded() throws Exception {
        UserView u = create("1");
        int n = N.incrementAndGet();
        externalUpdate("INSERT INTO departments (name, description, version) VALUES (?, 'x', 0)", "Dept" + n);
        long dep = count("SELECT id FROM departments WHERE name = ?", "Dept" + n);
        externalUpdate("INSERT INTO user_departments (user_id, department_id) VALUES (?, ?)", u.id(), dep);
        List<ActivityEntry> links = all(new ActivityFilter(null, "user_departments", null, null));
        assertThat(links).filteredOn(a -> a.entityId() == u.id()).singleElement()
                .satisfies(a -> assertThat(a.summary()).isEqualTo("department: — → Dept" + n));
        List<ActivityEntry> deps = all(new ActivityFilter(null, "departments", null, null));
        assertThat(deps).filteredOn(a -> a.entityId() == dep).singleElement()
                .satisfies(a -> assertThat(a.external()).isTrue());
    }

    @Test
    void bulkActionIsOneChangeSetWithoutExternalRows() throws Exception {
        List<Long> ids = List.of(create("1").id(), create("1").id(), create("1").id());
        assertThat(bulk.apply(BulkAction.onIds(BulkAction.Kind.DEACTIVATE, null, ids))).isEqualTo(3);
        assertThat(count("SELECT COUNT(DISTINCT change_set) FROM audit_log WHERE operation = 'users.bulk.deactivate' AND entity_id IN (?, ?, ?)",
                ids.get(0), ids.get(1), ids.get(2))).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE source = 'external' AND entity_id IN (?, ?, ?)",
                ids.get(0), ids.get(1), ids.get(2))).isZero();
    }

    @Test
    void activityPagesByKeysetAndFiltersByTime() throws Exception {
        for (int i = 0; i < 5; i++) {
            create("1");
        }
        ActivityPage first = activity.page(ActivityFilter.none(), null, 2);
        ActivityPage second = activity.page(ActivityFilter.none(), first.nextBefore(), 2);
        assertThat(first.entries()).hasSize(2);
        assertThat(second.entries()).hasSize(2);
        assertThat(first.entries().get(1).no()).isGreaterThan(second.entries().get(0).no());
        assertThat(second.entries().get(0).no()).isGreaterThan(second.entries().get(1).no());
        LocalDateTime future = LocalDateTime.now().plusDays(3);
        assertThat(activity.page(new ActivityFilter(null, null, future, future.plusDays(1)), null, 10).entries()).isEmpty();
        assertThat(activity.page(new ActivityFilter("tester", null, LocalDateTime.now().minusDays(2), null), null, 10).entries())
                .isNotEmpty().allMatch(e -> e.operator().equals("tester"));
    }

    @Test
    void badFilterInputIsReportedPerField() {
        assertThat(ActivityFilter.parse("", null, "2026-13-01", "")).isInstanceOfSatisfying(ActivityFilter.Invalid.class,
                i -> assertThat(i.errors()).containsOnlyKeys("from"));
        assertThat(ActivityFilter.parse("", null, "2026-05-02", "2026-05-01")).isInstanceOfSatisfying(ActivityFilter.Invalid.class,
                i -> assertThat(i.errors().get("to")).contains("before"));
        assertThat(ActivityFilter.parse(" bob ", "users", "2026-05-01 10:00", "2026-05-01")).isInstanceOfSatisfying(ActivityFilter.Valid.class,
                v -> {
                    assertThat(v.filter().operator()).isEqualTo("bob");
                    assertThat(v.filter().to()).isEqualTo(LocalDateTime.of(2026, 5, 2, 0, 0));
                });
    }

    // ---- item 6: revert -----------------------------------------------------------------------------------------

    @Test
    void revertWritesTheOldValuesAsANewAuditedChange() throws Exception {
        UserView u = save(create("10"), "20");
        long no = history.history(u.id()).get(0).no();
        UserView back = reverting.revert(no, false);
        assertThat(back.quota()).isEqualByComparingTo("10");
        assertThat(reload(u.id()).quota()).isEqualByComparingTo("10");
        AuditEntryView newest = history.history(u.id()).get(0);
        assertThat(newest.reverts()).isEqualTo(no);
        assertThat(newest.operation()).isEqualTo("users.revert");
        assertThat(newest.summary()).startsWith("reverts #" + no).contains("quota: 20.00 → 10.00");
        assertThat(count("SELECT COUNT(*) FROM audit_log WHERE entity_id = ? AND source = 'external'", u.id())).isZero();
    }

    @Test
    void revertOfAFieldChangedSinceIsAConflictUntilOverwritten() throws Exception {
        UserView u = save(create("10"), "20");
        long no = history.history(u.id()).get(0).no();
        externalUpdate("UPDATE users SET quota = 30, version = version + 1 WHERE id = ?", u.id());
        assertThatThrownBy(() -> reverting.revert(no, false)).isInstanceOfSatisfying(ConflictException.class, e -> {
            assertThat(e.conflict().diffs()).singleElement().satisfies(d -> {
                assertThat(d.field()).isEqualTo("quota");
                assertThat(d.theirs()).isEqualTo("30.00");
                assertThat(d.yours()).isEqualTo("10.00");
            });
        });
        assertThat(fromDatabase(u.id()).quota()).isEqualByComparingTo("30");
        reverting.revert(no, true);
        assertThat(fromDatabase(u.id()).quota()).isEqualByComparingTo("10");
    }

    @Test
    void revertOfAnExternalChange() throws Exception {
        UserView u = create("10");
        externalUpdate("UPDATE users SET role = 'ADMIN', version = version + 1 WHERE id = ?", u.id());
        long no = history.history(u.id()).get(0).no();
        assertThat(reverting.revert(no, false).role()).isEqualTo(Role.USER);
    }

    @Test
    void revertOfAWholeBulkActionInOneTransaction() throws Exception {
        List<Long> ids = List.of(create("1").id(), create("1").id(), create("1").id());
        bulk.apply(BulkAction.onIds(BulkAction.Kind.DEACTIVATE, null, ids));
        long no = history.history(ids.get(1)).get(0).no();
        RevertPlan plan = reverting.plan(no);
        assertThat(plan.users()).hasSize(3);
        assertThat(plan.conflicted()).isEmpty();
        assertThat(plan.users().get(0).fields()).singleElement()
                .satisfies(f -> assertThat(f).isEqualTo(new RevertPlan.FieldRevert("active", "false", "true")));
        assertThatThrownBy(() -> reverting.revertChangeSet(no, 2, false)).hasMessageContaining("not 2");
        assertThat(reverting.revertChangeSet(no, 3, false)).isEqualTo(3);
        for (long id : ids) {
            assertThat(fromDatabase(id).active()).isTrue();
            assertThat(reload(id).active()).isTrue();
            assertThat(history.history(id).get(0).operation()).isEqualTo("users.revertBulk");
        }
    }

    @Test
    void revertOfABulkMoveRestoresEachUsersDepartments() throws Exception {
        long first = count("SELECT MIN(id) FROM departments");
        long second = count("SELECT MIN(id) FROM departments WHERE id > ?", first);
        long target = count("SELECT MAX(id) FROM departments");
        UserView a = create("1");
        UserView b = create("1");
        for (Object[] ud : new Object[][] {{a, first}, {b, second}}) {
            UserView u = reload(((UserView) ud[0]).id());
            UserForm f = UserForm.of(u);
            assertThat(editing.save(new UserForm(f.id(), f.version(), f.email(), f.username(), f.role(), f.active(), f.quota(), f.usage(),
                    Set.of((Long) ud[1]), f.settings()))).isInstanceOf(SaveResult.Saved.class);
        }
        bulk.apply(BulkAction.onIds(BulkAction.Kind.MOVE_TO_DEPARTMENT, target, List.of(a.id(), b.id())));
        assertThat(reload(a.id()).departments()).extracting(d -> d.id()).containsExactly(target);
        long no = history.history(a.id()).get(0).no();
        assertThat(reverting.revertChangeSet(no, 2, false)).isEqualTo(2);
        assertThat(reload(a.id()).departments()).extracting(d -> d.id()).containsExactly(first);
        assertThat(reload(b.id()).departments()).extracting(d -> d.id()).containsExactly(second);
        assertThat(count("SELECT COUNT(*) FROM user_departments WHERE user_id = ? AND department_id = ?", b.id(), second)).isEqualTo(1);
    }

    @Test
    void bulkRevertWithAConflictWritesNothingUnlessTheConflictsAreSkipped() throws Exception {
        List<Long> ids = List.of(create("1").id(), create("1").id(), create("1").id());
        bulk.apply(BulkAction.onIds(BulkAction.Kind.DEACTIVATE, null, ids));
        long no = history.history(ids.get(0)).get(0).no();
        externalUpdate("UPDATE users SET active = TRUE, version = version + 1 WHERE id = ?", ids.get(2));
        assertThatThrownBy(() -> reverting.revertChangeSet(no, 2, false)).isInstanceOfSatisfying(RevertConflictException.class,
                e -> assertThat(e.plan().conflicted()).singleElement().satisfies(c -> {
                    assertThat(c.userId()).isEqualTo(ids.get(2));
                    assertThat(c.describeConflict()).contains("active is now true");
                }));
        assertThat(fromDatabase(ids.get(0)).active()).isFalse();
        assertThat(fromDatabase(ids.get(1)).active()).isFalse();
        assertThat(reverting.revertChangeSet(no, 2, true)).isEqualTo(2);
        assertThat(fromDatabase(ids.get(0)).active()).isTrue();
        assertThat(fromDatabase(ids.get(1)).active()).isTrue();
    }

    @Test
    void revertRefusesInsertsAndUnknownEntries() throws Exception {
        UserView u = create("1");
        long insertNo = history.history(u.id()).get(0).no();
        assertThatThrownBy(() -> reverting.revert(insertNo, false)).hasMessageContaining("only changes of a user's fields");
        assertThatThrownBy(() -> reverting.revert(987654321L, false)).hasMessageContaining("not in the audit log");
        assertThat(u.quota()).isEqualByComparingTo(BigDecimal.ONE);
    }
}
