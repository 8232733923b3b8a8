package org.adminconsole.service.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.adminconsole.config.Settings;
import org.adminconsole.service.RefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The roles' order, the refusal and tooltip sentences, and which databases ask who signs in. */
class AccessTest {

    @TempDir Path dir;

    @Test
    void eachRoleIncludesTheOnesBeforeIt() {
        assertThat(Role.ADMIN.includes(Role.OPERATOR)).isTrue();
        assertThat(Role.OPERATOR.includes(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.includes(Role.OPERATOR)).isFalse();
        assertThat(Role.OPERATOR.includes(Role.ADMIN)).isFalse();
        assertThat(Role.parse("ADMINCONSOLE_OPERATOR")).isEqualTo(Role.OPERATOR);
        assertThat(Role.parse(" viewer ")).isEqualTo(Role.VIEWER);
        assertThat(Role.parse("USER")).isNull();
        assertThat(Role.ADMIN.dbRole()).isEqualTo("adminconsole_admin");
    }

    @Test
    void refusalsAndTooltipsNameTheRoleThatCan() {
        Access viewer = new Access(new SignedIn("vera", Role.VIEWER));
        assertThatThrownBy(() -> viewer.require(Role.ADMIN, "Deleting users")).isInstanceOf(RefusedException.class)
                .hasMessage("Deleting users needs the admin role; you are signed in as viewer.");
        viewer.require(Role.VIEWER, "Reading");
        assertThat(viewer.needsTooltip(Role.OPERATOR)).isEqualTo("Needs the operator role; you are signed in as viewer.");
        assertThat(new SignedIn("vera", Role.VIEWER).display()).isEqualTo("vera (viewer)");
        java.util.List<SignedIn> seen = new java.util.ArrayList<>();
        viewer.addListener(seen::add);
        viewer.signedIn(new SignedIn("otto", Role.OPERATOR));
        assertThat(viewer.can(Role.OPERATOR)).isTrue();
        assertThat(seen).containsExactly(new SignedIn("otto", Role.OPERATOR));
    }

    private Settings with(String url, String... more) {
        Map<String, String> m = new HashMap<>(Map.of("data.dir", dir.toString()));
        if (url != null) {
            m.put("db.url", url);
        }
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return Settings.of(m);
    }

    @Test
    void sharedDatabasesAskWhoSignsInUnlessAPasswordIsConfigured() {
        assertThat(SignIns.needsSignIn(with(null))).as("the default embedded file").isFalse();
        assertThat(SignIns.needsSignIn(with("jdbc:h2:file:" + dir.resolve("x")))).isFalse();
        assertThat(SignIns.needsSignIn(with("jdbc:h2:file:" + dir.resolve("x") + ";AUTO_SERVER=TRUE"))).isTrue();
        assertThat(SignIns.needsSignIn(with("jdbc:h2:tcp://localhost:9092/console"))).isTrue();
        assertThat(SignIns.needsSignIn(with("jdbc:postgresql://db:5432/admin"))).isTrue();
        assertThat(SignIns.needsSignIn(with("jdbc:postgresql://db:5432/admin", "db.password", "secret"))).isFalse();
        Settings as = SignIns.as(with("jdbc:postgresql://db:5432/admin"), "alice", "pw");
        assertThat(as.dbUser()).isEqualTo("alice");
        assertThat(as.operator()).as("the audit trail names the login").isEqualTo("alice");
    }

    @Test
    void theLastLoginIsRememberedWithoutThePassword() throws Exception {
        Settings s = with(null);
        assertThat(SignIns.lastLogin(s)).isEmpty();
        SignIns.rememberLogin(s, "alice");
        assertThat(SignIns.lastLogin(s)).isEqualTo("alice");
        assertThat(java.nio.file.Files.readString(dir.resolve(SignIns.LAST_LOGIN_FILE)).strip()).isEqualTo("alice");
    }
}
