package org.adminconsole.service.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.adminconsole.AppContext;
import org.adminconsole.cache.NamedValues;
import org.adminconsole.cache.UserCache;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserView;
import org.adminconsole.domain.Visibility;
import org.adminconsole.service.RefusedException;
import org.adminconsole.service.audit.Activity;
import org.adminconsole.service.audit.ActivityEntry;
import org.adminconsole.service.audit.ActivityFilter;
import org.adminconsole.service.dashboard.DashboardService;
import org.adminconsole.service.users.AuditEntryView;
import org.adminconsole.service.users.DepartmentAdmin;
import org.adminconsole.service.users.SaveResult;
import org.adminconsole.service.users.UserEditing;
import org.adminconsole.service.users.UserExport;
import org.adminconsole.service.users.UserForm;
import org.adminconsole.service.users.UserHistory;
import org.adminconsole.service.users.UserListing;
import org.adminconsole.service.users.UserPage;
import org.adminconsole.service.users.UserQuery;
import org.adminconsole.testing.TestDatabases;
import org.adminconsole.testing.ViewerLogin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 3 on H2 (the PostgreSQL subclass runs the same): a viewer login sees emails masked, the database
 * refuses it the real ones, and two consoles on one database (an admin's and a viewer's, two AppContexts in this JVM)
 * never serve each other's copies, whichever fills its caches first.
 */
class MaskedColumnsTest {

    static final String SECRET = "secretname@example.com";
    static final String SECRET_MASKED = "s***@example.com";

    @TempDir Path out;
    AppContext admin;
    ViewerLogin viewerLogin;
    AppContext viewer;
    long secretId;
    long otherId;

    Settings settings(Path dir) {
        return TestDatabases.h2(dir);
    }

    @BeforeEach
    void start() throws Exception {
        admin = AppContext.start(settings(TestDatabases.tempDir("masked-columns")));
        long dep = admin.get(DepartmentAdmin.class).list().get(0).id();
        secretId = save(admin, new UserForm(null, 0, SECRET, "bob", Role.USER, true, "10", "20", Set.of(dep), null)).id();
        otherId = save(admin, new UserForm(null, 0, "Alice.Other@Example.org", "alice", Role.ADMIN, true, "0", "0", Set.of(), null)).id();
        viewerLogin = ViewerLogin.create(admin.settings());
    }

    private AppContext viewer() {
        if (viewer == null) {
            viewer = AppContext.start(viewerLogin.settings());
        }
        return viewer;
    }

    @AfterEach
    void stop() {
        if (viewer != null) {
            viewer.close();
        }
        if (viewerLogin != null) {
            viewerLogin.drop();
        }
        if (admin != null) {
            admin.close();
        }
    }

    private static UserView save(AppContext ctx, UserForm f) {
        SaveResult r = ctx.get(UserEditing.class).save(f);
        assertThat(r).isInstanceOf(SaveResult.Saved.class);
        return ((SaveResult.Saved) r).user();
    }

    // ---- what the database enforces ------------------------------------------------------------------------

    @Test
    void theViewersLoginIsRefusedTheRealEmailsByTheDatabase() throws SQLException {
        try (Connection c = viewerLogin.connect(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT email FROM users").close()).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> st.executeQuery("SELECT email_key FROM users").close()).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM users").close()).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> st.executeQuery("SELECT old_value, new_value FROM audit_changes").close()).isInstanceOf(SQLException.class);
            if (admin.settings().isH2()) {
                // H2 has no column privileges: no right on users at all, nor on the search windows that spell emails out
                assertThatThrownBy(() -> st.executeQuery("SELECT username FROM users").close()).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> st.executeQuery("SELECT gram FROM user_search_grams").close()).isInstanceOf(SQLException.class);
            } else {
                // PostgreSQL: column privileges, every column but email and email_key
                try (ResultSet rs = st.executeQuery("SELECT username FROM users WHERE id = " + secretId)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("bob");
                }
            }
            // writes are refused too
            assertThatThrownBy(() -> st.executeUpdate("UPDATE users SET quota = 1")).isInstanceOf(SQLException.class);
            List<String> masked = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT email, email_key FROM users_masked ORDER BY id")) {
                while (rs.next()) {
                    masked.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            assertThat(masked).containsExactly(SECRET_MASKED + " " + SECRET_MASKED, "A***@Example.org a***@example.org");
        }
    }

    @Test
    void theMaskIsTheSameOnBothDatabases() throws SQLException {
        String[][] cases = {
                {"x@y.org", "x***@y.org"},
                {"\"a@b\"@example.com", "\"***@example.com"},
                {"no-at-sign", "n***"},
                {"@only.domain", "***@only.domain"},
        };
        try (Connection c = TestDatabases.connect(admin.settings());
             PreparedStatement ins = c.prepareStatement("INSERT INTO users (email, email_key, username, role, active, quota,"
                     + " usage_amount, created_at, updated_at, created_by, updated_by, version) VALUES (?, ?, ?, 'USER', TRUE, 0, 0,"
                     + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 't', 't', 0)")) {
            int n = 0;
            for (String[] k : cases) {
                ins.setString(1, k[0]);
                ins.setString(2, k[0].toLowerCase());
                ins.setString(3, "mask" + n++);
                ins.executeUpdate();
            }
        }
        try (Connection c = viewerLogin.connect(); PreparedStatement ps = c.prepareStatement("SELECT email FROM users_masked WHERE username = ?")) {
            for (int i = 0; i < cases.length; i++) {
                ps.setString(1, "mask" + i);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as(cases[i][0]).isEqualTo(cases[i][1]);
                }
            }
        }
    }

    @Test
    void aLaterMigrationCanStillAddAColumnToUsersAndTheViewerKeepsItsMaskedView() throws SQLException {
        try (Connection c = TestDatabases.connect(admin.settings()); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE users ADD COLUMN note VARCHAR(20)");
        }
        try (Connection c = viewerLogin.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT email FROM users_masked WHERE id = " + secretId)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(SECRET_MASKED);
        }
        try (Connection c = viewerLogin.connect(); Statement st = c.createStatement()) {
            // the new column is not granted to the viewer on PostgreSQL (column rights), nor users at all on H2
            assertThatThrownBy(() -> st.executeQuery("SELECT note FROM users").close()).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void theViewersConsoleReadsItsRoleFromTheDatabase() {
        assertThat(admin.get(Access.class).current().role()).isEqualTo(org.adminconsole.service.access.Role.ADMIN);
        SignedIn v = viewer().get(Access.class).current();
        assertThat(v.role()).isEqualTo(org.adminconsole.service.access.Role.VIEWER);
        assertThat(v.login()).isEqualToIgnoringCase(viewerLogin.login());
    }

    // ---- two consoles on one database ----------------------------------------------------------------------

    /** Everything a console shows of users and their history, through its services (fills its caches). */
    private List<String> everythingShown(AppContext ctx) throws Exception {
        List<String> shown = new ArrayList<>();
        UserListing listing = ctx.get(UserListing.class);
        for (UserQuery.Sort sort : UserQuery.Sort.values()) {
            UserPage p = listing.page(UserQuery.all().withSort(sort, true), UserPage.Nav.FIRST, null, 50);
            p.rows().forEach(u -> shown.add("page " + u.email()));
        }
        listing.page(UserQuery.all().withSearch("example"), UserPage.Nav.FIRST, null, 50).rows().forEach(u -> shown.add("search " + u.email()));
        listing.page(UserQuery.all().withSearch("e").withStartsWith(true), UserPage.Nav.FIRST, null, 50).rows()
                .forEach(u -> shown.add("prefix " + u.email()));
        UserEditing editing = ctx.get(UserEditing.class);
        for (long id : new long[] {secretId, otherId}) {
            shown.add("open " + editing.open(id).orElseThrow().user().email());
            shown.add("open again " + editing.open(id).orElseThrow().user().email());
        }
        for (AuditEntryView e : ctx.get(UserHistory.class).history(secretId)) {
            e.changes().forEach(c -> shown.add("history " + c.field() + " " + c.oldValue() + " -> " + c.newValue()));
        }
        for (ActivityEntry e : ctx.get(Activity.class).page(new ActivityFilter(null, null, null, null), null, 100).entries()) {
            e.changes().forEach(c -> shown.add("activity " + c.field() + " " + c.oldValue() + " -> " + c.newValue()));
        }
        DashboardService.Figures f = ctx.get(DashboardService.class).figures();
        shown.add("dashboard " + f);
        Path file = out.resolve("export-" + System.nanoTime() + ".csv");
        ctx.get(UserExport.class).export(UserQuery.all(), file.toString(), false);
        shown.add("export " + Files.readString(file));
        return shown;
    }

    private void changeSecretEmail() {
        UserView u = admin.get(UserEditing.class).open(secretId).orElseThrow().user();
        UserForm f = UserForm.of(u);
        save(admin, new UserForm(f.id(), f.version(), "secret.second@example.net", f.username(), f.role(), f.active(), f.quota(),
                f.usage(), f.departmentIds(), f.settings()));
    }

    @Test
    void aViewerSeesOnlyMaskedEmailsAfterAnAdminFilledEveryCache() throws Exception {
        changeSecretEmail();
        List<String> adminShown = everythingShown(admin);
        assertThat(String.join("\n", adminShown)).contains("secret.second@example.net").contains(SECRET).contains("Alice.Other@Example.org");

        List<String> viewerShown = everythingShown(viewer());
        String all = String.join("\n", viewerShown);
        assertThat(all).doesNotContain("secret").doesNotContain("Alice.Other").doesNotContain("alice.other")
                .contains("s***@example.net").contains(SECRET_MASKED).contains("A***@Example.org")
                .contains("history email s***@example.com -> s***@example.net");
        // the same figures for both roles
        assertThat(viewerShown.stream().filter(s -> s.startsWith("dashboard")).toList())
                .isEqualTo(adminShown.stream().filter(s -> s.startsWith("dashboard")).toList());
        // Hibernate's second-level cache is per console (own Ehcache manager): the admin's User entity, real email and
        // all, is not in the viewer's regions, and the viewer's reads never go through the entity
        assertThat(admin.database().sessionFactory().getCache().containsEntity(org.adminconsole.domain.User.class, secretId)).isTrue();
        assertThat(viewer.database().sessionFactory().getCache().containsEntity(org.adminconsole.domain.User.class, secretId)).isFalse();
        assertThat(viewer.get(UserCache.class).peek(Visibility.MASKED, secretId)).map(UserView::email).contains("s***@example.net");
        assertThat(viewer.get(UserCache.class).peek(Visibility.FULL, secretId)).isEmpty();
    }

    @Test
    void anAdminSeesRealEmailsAfterAViewerFilledEveryCache() throws Exception {
        changeSecretEmail();
        String viewerShown = String.join("\n", everythingShown(viewer()));
        assertThat(viewerShown).doesNotContain("secret");
        String adminShown = String.join("\n", everythingShown(admin));
        assertThat(adminShown).contains("open secret.second@example.net").contains("open again secret.second@example.net")
                .contains("history email " + SECRET + " -> secret.second@example.net")
                .contains("page secret.second@example.net").contains("export").contains("secret.second@example.net");
        assertThat(adminShown.lines().filter(l -> l.startsWith("page ") || l.startsWith("open"))).noneMatch(l -> l.contains("***"));
    }

    @Test
    void oneConsoleSignedInAgainAsAViewerServesNoneOfItsAdminsCopies() throws Exception {
        changeSecretEmail();
        assertThat(String.join("\n", everythingShown(admin))).contains("secret.second@example.net");
        // the same console (caches full of real emails) signed in again with the viewer role: every read follows it
        admin.get(Access.class).signedIn(new SignedIn("someone", org.adminconsole.service.access.Role.VIEWER));
        String shown = String.join("\n", everythingShown(admin));
        assertThat(shown).doesNotContain("secret").doesNotContain("Alice.Other").contains("open s***@example.net")
                .contains("history email s***@example.com -> s***@example.net");
        admin.get(Access.class).signedIn(new SignedIn("tester", org.adminconsole.service.access.Role.ADMIN));
        assertThat(String.join("\n", everythingShown(admin))).contains("open secret.second@example.net");
    }

    @Test
    void aViewersConsoleFollowsTheAdminsEditsThroughTheTableVersions() throws Exception {
        UserEditing viewerEditing = viewer().get(UserEditing.class);
        DashboardService viewerDashboard = viewer.get(DashboardService.class);
        assertThat(viewerEditing.open(secretId).orElseThrow().user().email()).isEqualTo(SECRET_MASKED);
        assertThat(viewerEditing.open(secretId).orElseThrow().fromCache()).isTrue();
        long active = viewerDashboard.figures().counts().activeUsers();
        changeSecretEmail();
        admin.get(UserEditing.class).setActive(otherId, admin.get(UserEditing.class).open(otherId).orElseThrow().user().version(), false);
        // the viewer's login reads table_versions (polled, and on PostgreSQL notified): its copies are dropped
        org.testfx.util.WaitForAsyncUtils.waitFor(20, java.util.concurrent.TimeUnit.SECONDS,
                () -> viewerEditing.open(secretId).orElseThrow().user().email().equals("s***@example.net"));
        org.testfx.util.WaitForAsyncUtils.waitFor(20, java.util.concurrent.TimeUnit.SECONDS,
                () -> viewerDashboard.figures().counts().activeUsers() == active - 1);
    }

    @Test
    void aViewerSearchesTheMaskedEmailAndTheUsernameNeverTheRealEmail() {
        UserListing v = viewer().get(UserListing.class);
        UserListing a = admin.get(UserListing.class);
        for (String text : new String[] {"secret", "secretn", "se", "cretname"}) {
            for (boolean startsWith : new boolean[] {false, true}) {
                UserQuery q = UserQuery.all().withSearch(text).withStartsWith(startsWith);
                assertThat(v.page(q, UserPage.Nav.FIRST, null, 50).rows()).as(text + " " + startsWith).isEmpty();
                assertThat(v.count(q).value()).isZero();
                assertThat(v.estimate(q).value()).isZero();
            }
        }
        assertThat(a.page(UserQuery.all().withSearch("secret"), UserPage.Nav.FIRST, null, 50).rows()).hasSize(1);
        assertThat(v.page(UserQuery.all().withSearch("bob"), UserPage.Nav.FIRST, null, 50).rows())
                .extracting(UserView::email).containsExactly(SECRET_MASKED);
        assertThat(v.page(UserQuery.all().withSearch("s***@"), UserPage.Nav.FIRST, null, 50).rows())
                .extracting(UserView::email).containsExactly(SECRET_MASKED);
        assertThat(v.count(UserQuery.all().withSearch("example")).value()).isEqualTo(2);
        assertThatThrownBy(() -> viewer.get(UserEditing.class).openByEmail(SECRET)).isInstanceOf(RefusedException.class);
    }

    @Test
    void aViewersSqlConsoleReadsAsTheViewersLogin() {
        // the reader login may read every column: a viewer's SQL console and Explain run as the viewer's own login
        org.adminconsole.service.inspect.SqlConsoleService sql = viewer().get(org.adminconsole.service.inspect.SqlConsoleService.class);
        assertThat(viewer.get(org.adminconsole.service.inspect.ReaderConnections.class).loginName()).isEqualTo(viewerLogin.login());
        assertThat(sql.run("SELECT email FROM users_masked WHERE id = " + secretId).rows().get(0).get(0)).isEqualTo(SECRET_MASKED);
        assertThatThrownBy(() -> sql.run("SELECT email FROM users WHERE id = " + secretId)).isInstanceOf(RuntimeException.class)
                .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain("secret"));
        // the admin's console reads as the reader, which sees every column
        assertThat(admin.get(org.adminconsole.service.inspect.SqlConsoleService.class)
                .run("SELECT email FROM users WHERE id = " + secretId).rows().get(0).get(0)).isEqualTo(SECRET);
    }

    @Test
    void aViewersWritesAreRefusedByTheDatabase() {
        UserView u = viewer().get(UserEditing.class).open(secretId).orElseThrow().user();
        assertThatThrownBy(() -> viewer.get(UserEditing.class).setActive(secretId, u.version(), false)).isInstanceOf(RuntimeException.class);
        assertThat(admin.get(UserEditing.class).open(secretId).orElseThrow().user().active()).isTrue();
    }

    // ---- one console whose role changes (sign-in): its caches never serve the other role's copy --------------

    @Test
    void theCachesOfOneConsoleKeepEachRolesCopiesApart() {
        AtomicReference<Visibility> role = new AtomicReference<>(Visibility.FULL);
        UserCache cache = admin.get(UserCache.class);
        UserEditing editing = new UserEditing(admin.database().transactions(), cache, role::get);
        assertThat(editing.open(secretId).orElseThrow().user().email()).isEqualTo(SECRET);
        assertThat(editing.open(secretId).orElseThrow().fromCache()).isTrue();
        role.set(Visibility.MASKED);
        var masked = editing.open(secretId).orElseThrow();
        assertThat(masked.user().email()).isEqualTo(SECRET_MASKED);
        assertThat(masked.fromCache()).isFalse();
        assertThat(editing.open(secretId).orElseThrow().fromCache()).isTrue();
        // an edit evicts both copies
        role.set(Visibility.FULL);
        changeSecretEmail();
        assertThat(cache.peek(Visibility.FULL, secretId)).isEmpty();
        assertThat(cache.peek(Visibility.MASKED, secretId)).isEmpty();

        // named values: a value read for one audience is not served to the other
        NamedValues values = admin.get(NamedValues.class);
        values.scopeBy(role::get);
        var emails = org.adminconsole.cache.NamedValue.<Visibility, List<String>>keyed("test.emails", (s, ignored) ->
                s.createNativeQuery("SELECT email FROM " + role.get().usersTable() + " ORDER BY id", String.class).getResultList())
                .onTables("users");
        assertThat(values.get(emails, null)).contains("secret.second@example.net");
        role.set(Visibility.MASKED);
        assertThat(values.get(emails, null)).containsExactly("s***@example.net", "A***@Example.org");
        role.set(Visibility.FULL);
        assertThat(values.get(emails, null)).contains("secret.second@example.net");
        assertThat(values.stats(emails).orElseThrow().entries()).isEqualTo(2);
        assertThat(values.stats(emails).orElseThrow().misses()).isEqualTo(2);
    }
}
