package org.adminconsole.service.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.adminconsole.AppContext;
import org.adminconsole.config.Settings;
import org.adminconsole.domain.Role;
import org.adminconsole.domain.UserView;
import org.adminconsole.persistence.UserSearchGrams;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Users search inside email and username (issue 16) on a real H2 database with demo users; the PostgreSQL
 * subclass runs the same tests. Every expectation is checked against a plain SQL {@code LIKE} over the table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserSearchTest {

    static final int SEEDED = 2000;
    AppContext ctx;
    UserListing listing;
    UserEditing editing;
    UserBulk bulk;

    Settings settings(Path dir) {
        return TestDatabases.h2(dir, Map.of("db.seed.users", String.valueOf(SEEDED)));
    }

    @BeforeAll
    void open() {
        ctx = AppContext.start(settings(TestDatabases.tempDir("users-search")));
        listing = ctx.get(UserListing.class);
        editing = ctx.get(UserEditing.class);
        bulk = ctx.get(UserBulk.class);
    }

    @AfterAll
    void close() {
        if (ctx != null) {
            ctx.close();
        }
    }

    UserView create(String email, String username) {
        SaveResult r = editing.save(new UserForm(null, 0, email, username, Role.USER, true, "100", "0", Set.of(), null));
        assertThat(r).isInstanceOf(SaveResult.Saved.class);
        return ((SaveResult.Saved) r).user();
    }

    List<Long> search(String text) {
        return allPages(UserQuery.all().withSearch(text));
    }

    List<Long> allPages(UserQuery q) {
        List<Long> out = new ArrayList<>();
        UserPage p = listing.page(q, UserPage.Nav.FIRST, null, 40);
        p.rows().forEach(u -> out.add(u.id()));
        while (p.hasNext()) {
            p = listing.page(q, UserPage.Nav.NEXT, p.last(), 40);
            p.rows().forEach(u -> out.add(u.id()));
        }
        return out;
    }

    /** The ids whose email or username contains {@code text} ignoring case, by SQL over the whole table (no index used on purpose). */
    List<Long> expected(String text, String order) throws Exception {
        String sql = "SELECT id FROM users WHERE POSITION(? IN LOWER(email)) > 0 OR POSITION(? IN LOWER(username)) > 0 ORDER BY " + order;
        try (Connection c = TestDatabases.connect(ctx.settings()); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, text.toLowerCase(java.util.Locale.ROOT));
            ps.setString(2, text.toLowerCase(java.util.Locale.ROOT));
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        }
    }

    long count(String sql) throws Exception {
        try (Connection c = TestDatabases.connect(ctx.settings()); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void findsTextInsideEmailOrUsernameIgnoringCase() throws Exception {
        UserView u = create("Ann.Smithers@Corp-Mail.example", "AnnSmithersX");
        assertThat(search("smither")).containsExactly(u.id());
        assertThat(search("CORP-mail")).containsExactly(u.id());
        assertThat(search("NSMITHERSx")).containsExactly(u.id()); // inside the username only
        assertThat(search("rs@corp-mail.exa")).containsExactly(u.id()); // longer than a window: candidates, then the row check
        // the demo users: every page in order, the same ids as a plain scan, and the counts agree
        for (String text : List.of("lic", "1234", "example.com", "e.1", "ob.19")) {
            assertThat(search(text)).as(text).isEqualTo(expected(text, "email_key, id"));
            assertThat(listing.count(UserQuery.all().withSearch(text)).value()).as(text).isEqualTo(expected(text, "id").size());
        }
        assertThat(search("example.com")).hasSizeGreaterThanOrEqualTo(SEEDED);
        // "starts with": the prefix search, whatever the length
        assertThat(allPages(UserQuery.all().withSearch("ann.smi").withStartsWith(true))).containsExactly(u.id());
        assertThat(allPages(UserQuery.all().withSearch("smither").withStartsWith(true))).isEmpty();
    }

    @Test
    void keysetPagesOfAnInsideSearchWalkEverySortBothWays() throws Exception {
        for (UserQuery.Sort sort : List.of(UserQuery.Sort.USERNAME, UserQuery.Sort.QUOTA, UserQuery.Sort.LAST_LOGIN)) {
            UserQuery q = UserQuery.all().withSearch("lic").withSort(sort, false);
            List<Long> forward = allPages(q);
            assertThat(forward).containsExactlyInAnyOrderElementsOf(expected("lic", "id")).hasSizeGreaterThan(80);
            List<Long> backward = new ArrayList<>();
            UserPage p = listing.page(q, UserPage.Nav.LAST, null, 40);
            backward.addAll(0, p.rows().stream().map(UserView::id).toList());
            while (p.hasPrevious()) {
                p = listing.page(q, UserPage.Nav.PREVIOUS, p.first(), 40);
                backward.addAll(0, p.rows().stream().map(UserView::id).toList());
            }
            assertThat(backward).as("%s backward", sort).isEqualTo(forward);
        }
    }

    @Test
    void likeWildcardsInTheTextMatchLiterally() {
        UserView pct = create("pct%x1@wild.example", "wildpct");
        create("pctax1@wild.example", "wildpcta");
        UserView under = create("under@wild.example", "u_nder9");
        create("underx@wild.example", "uxnder9");
        UserView back = create("back\\slash@wild.example", "wildback");
        create("backslash@wild.example", "wildback2");
        assertThat(search("t%x1")).containsExactly(pct.id());
        assertThat(search("u_nder")).containsExactly(under.id());
        assertThat(search("k\\s")).containsExactly(back.id());
        assertThat(search("%%%")).isEmpty();
        assertThat(search("___")).isEmpty();
    }

    @Test
    void hostileTextIsJustText() throws Exception {
        long users = count("SELECT COUNT(*) FROM users");
        assertThat(search("'; DROP TABLE users --")).isEmpty();
        assertThat(search("x' OR '1'='1")).isEmpty();
        assertThat(search("nul\0here")).isEmpty();
        assertThat(search("ab\0")).isEmpty();
        assertThat(search("a".repeat(10_000))).isEmpty();
        assertThat(listing.count(UserQuery.all().withSearch("é\u00df\uD83D\uDE00")).value()).isZero();
        assertThat(count("SELECT COUNT(*) FROM users")).isEqualTo(users);
    }

    @Test
    void editsBulkActionsAndOtherWritersAreSearchedAtOnce() throws Exception {
        UserView u = create("first.qvxj@edits.example", "qvxjuser");
        assertThat(search("qvxj")).containsExactly(u.id());
        SaveResult r = editing.save(new UserForm(u.id(), u.version(), "second.wbkz@edits.example", "wbkzuser", Role.USER, true,
                "100", "0", Set.of(), null));
        assertThat(r).isInstanceOf(SaveResult.Saved.class);
        assertThat(search("qvxj")).isEmpty();
        assertThat(search("wbkz")).containsExactly(u.id());
        // a bulk action changes neither email nor username: still found, with its new state
        assertThat(bulk.apply(BulkAction.onIds(BulkAction.Kind.DEACTIVATE, null, List.of(u.id())))).isEqualTo(1);
        assertThat(allPages(UserQuery.all().withSearch("wbkz").withActive(false))).containsExactly(u.id());
        // a bulk action on "every user matching" an inside search
        assertThat(bulk.dryRun(BulkAction.onQuery(BulkAction.Kind.ACTIVATE, null, UserQuery.all().withSearch("BKZUS")))).isEqualTo(1);
        // a writer outside the console (plain JDBC): the database keeps the search index itself
        try (Connection c = TestDatabases.connect(ctx.settings()); java.sql.Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.executeUpdate("UPDATE users SET email = 'third.pmgh@edits.example', email_key = 'third.pmgh@edits.example',"
                    + " username = 'pmghuser' WHERE id = " + u.id());
        }
        assertThat(search("wbkz")).isEmpty();
        assertThat(search("pmgh")).containsExactly(u.id());
        editing.delete(u.id(), editing.open(u.id()).orElseThrow().user().version());
        assertThat(search("pmgh")).isEmpty();
        if (ctx.database().dialect().keepsSearchGrams()) {
            assertThat(count("SELECT COUNT(*) FROM user_search_grams WHERE user_id = " + u.id())).isZero();
            // what the trigger keeps is what the migration fills: one row per window of every user
            long windows = 0;
            try (Connection c = TestDatabases.connect(ctx.settings()); java.sql.Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT email_key, username FROM users")) {
                while (rs.next()) {
                    windows += UserSearchGrams.windows(rs.getString(1), rs.getString(2)).size();
                }
            }
            assertThat(count("SELECT COUNT(*) FROM user_search_grams")).isEqualTo(windows);
        }
    }

    @Test
    void onH2ACommonTextWalksTheSortOrderAndFindsTheSameRows() throws Exception {
        int before = UserSql.gramCandidatesMax;
        UserSql.gramCandidatesMax = 10; // every demo text is "common" now: the rows are checked in sort order
        try {
            for (String text : List.of("lic", "1234", "example.com")) {
                assertThat(search(text)).as(text).isEqualTo(expected(text, "email_key, id"));
                assertThat(listing.count(UserQuery.all().withSearch(text)).value()).as(text).isEqualTo(expected(text, "id").size());
            }
        } finally {
            UserSql.gramCandidatesMax = before;
        }
    }

    @Test
    void onH2ACommonPrefixWalksTheSortOrderAndFindsTheSameRows() throws Exception {
        int before = UserSql.gramCandidatesMax;
        UserSql.gramCandidatesMax = 10; // every prefix below is "common" now: the rows are read in sort order, each checked
        try {
            for (String prefix : List.of("a", "bob", "car", "zq")) {
                UserQuery q = UserQuery.all().withSearch(prefix).withStartsWith(true);
                String sql = "SELECT id FROM users WHERE LOWER(email) LIKE ? OR LOWER(username) LIKE ? ORDER BY ";
                assertThat(allPages(q)).as(prefix).isEqualTo(ids(sql + "email_key, id", prefix + "%"));
                assertThat(allPages(q.withSort(UserQuery.Sort.USERNAME, false))).as(prefix + " by username descending")
                        .isEqualTo(ids(sql + "username DESC, id DESC", prefix + "%"));
                assertThat(listing.count(q).value()).as(prefix).isEqualTo(ids(sql + "id", prefix + "%").size());
            }
        } finally {
            UserSql.gramCandidatesMax = before;
        }
    }

    private List<Long> ids(String sql, String pattern) throws Exception {
        try (Connection c = TestDatabases.connect(ctx.settings()); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pattern);
            ps.setString(2, pattern);
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        }
    }

    @Test
    void theSearchSaysWhatItLooksFor() {
        assertThat(UserQuery.all().withSearch(" zzq ").searchDescription()).isEqualTo("email or username contains \"zzq\"");
        assertThat(UserQuery.all().withSearch("zq").searchDescription()).isEqualTo("email or username starts with \"zq\"");
        assertThat(UserQuery.all().withSearch("zq").searchesInside()).isFalse();
        assertThat(UserQuery.all().searchDescription()).isEmpty();
        assertThat(UserQuery.all().withSearch("zzq").withStartsWith(true).searchDescription())
                .isEqualTo("email or username starts with \"zzq\"");
        assertThat(listing.page(UserQuery.all().withSearch("zzq"), UserPage.Nav.FIRST, null, 50).isEmpty()).isTrue();
    }
}
