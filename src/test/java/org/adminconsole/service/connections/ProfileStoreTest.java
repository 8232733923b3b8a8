package org.adminconsole.service.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.adminconsole.service.ValidationException;
import org.adminconsole.service.connections.ConnectionProfile.Kind;
import org.adminconsole.service.connections.ConnectionProfile.PasswordSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profiles file: read back as written, never a password, nothing written on bad input, owner-only. */
class ProfileStoreTest {

    @TempDir Path dir;

    private static ConnectionProfile pg(String name, String host, int port, String db, PasswordSource src, String ref) {
        return new ConnectionProfile(name, Kind.POSTGRES, "", host, port, db, "reader", src, ref);
    }

    @Test
    void savesReadsBackAndNeverWritesAPassword() throws Exception {
        Path pwFile = dir.resolve("pw.txt");
        Files.writeString(pwFile, "Sup3r-Secret\n");
        ProfileStore store = new ProfileStore(dir);
        Path h2 = dir.resolve("shop.mv.db");
        Files.writeString(h2, "not really a database");
        store.save(new ConnectionProfile("Shop = file; #1", Kind.H2_FILE, h2.toString(), "", 0, "", "SA", PasswordSource.ASK, "typed-ignored"), null, null);
        store.save(pg("Prod", "db.example.org", 5432, "shop", PasswordSource.FILE, pwFile.toString()), "5432", null);
        store.save(pg("Env", "10.0.0.5", 6543, "shop", PasswordSource.ENV, "SHOP_PW"), "6543", null);
        List<ConnectionProfile> all = store.list();
        assertThat(all).extracting(ConnectionProfile::name).containsExactly("Env", "Prod", "Shop = file; #1");
        assertThat(all.get(2).passwordRef()).isEmpty(); // an asked password keeps no reference
        assertThat(all.get(1).passwordRef()).isEqualTo(pwFile.toString());
        String text = Files.readString(store.file());
        assertThat(text).doesNotContain("Sup3r-Secret").doesNotContain("typed-ignored").doesNotContainIgnoringCase("password=");
        if (org.adminconsole.config.FilePermissions.isPosix()) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
        }
        ProfileConnections profiles = new ProfileConnections(store, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(5), null,
                name -> name.equals("SHOP_PW") ? "from-env" : null);
        assertThat(profiles.password(all.get(1), null)).isEqualTo("Sup3r-Secret");
        assertThat(profiles.password(all.get(0), null)).isEqualTo("from-env");
        assertThatThrownBy(() -> profiles.password(pg("x", "h", 1, "d", PasswordSource.ENV, "MISSING_VAR"), null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors().get(ConnectionProfile.PASSWORD)).contains("MISSING_VAR"));
        // edit (rename) and remove
        store.save(pg("Production", "db.example.org", 5433, "shop", PasswordSource.NONE, ""), "5433", "Prod");
        assertThat(store.list()).extracting(ConnectionProfile::name).containsExactly("Env", "Production", "Shop = file; #1");
        store.remove("env");
        assertThat(store.list()).extracting(ConnectionProfile::name).containsExactly("Production", "Shop = file; #1");
    }

    @Test
    void badInputNamesEachFieldAndWritesNothing() {
        ProfileStore store = new ProfileStore(dir);
        assertThatThrownBy(() -> store.save(pg("", " ", 0, "a;INIT=RUNSCRIPT FROM 'x'", PasswordSource.ENV, "1BAD"), "port", null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors()).containsOnlyKeys(
                        ConnectionProfile.NAME, ConnectionProfile.HOST, ConnectionProfile.PORT, ConnectionProfile.DATABASE, ConnectionProfile.PASSWORD));
        assertThatThrownBy(() -> store.save(pg("p", "h", 0, "d", PasswordSource.NONE, ""), "0", null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors().get(ConnectionProfile.PORT)).contains("between 1 and 65535"));
        assertThatThrownBy(() -> store.save(new ConnectionProfile("f", Kind.H2_FILE, dir.resolve("none.mv.db").toString(), "", 0, "", "SA",
                PasswordSource.ASK, ""), null, null)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.fieldErrors().get(ConnectionProfile.FILE)).contains("No H2 database at"));
        assertThatThrownBy(() -> store.save(new ConnectionProfile("f", Kind.H2_FILE, "relative/shop.mv.db", "", 0, "", "SA",
                PasswordSource.ASK, ""), null, null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.save(new ConnectionProfile("f", Kind.H2_FILE, dir + "/x;INIT=RUNSCRIPT FROM 'y'", "", 0, "", "SA",
                PasswordSource.ASK, ""), null, null)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.fieldErrors().get(ConnectionProfile.FILE)).contains("';'"));
        assertThat(Files.exists(store.file())).isFalse();
        store.save(pg("Same", "h", 5432, "d", PasswordSource.NONE, ""), "5432", null);
        assertThatThrownBy(() -> store.save(pg("same", "h", 5432, "d", PasswordSource.NONE, ""), "5432", null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors()).isEqualTo(
                        Map.of(ConnectionProfile.NAME, "A profile named 'same' exists already.")));
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void anUnreadableFileIsKeptAsideAndTheListStartsEmpty() throws Exception {
        ProfileStore store = new ProfileStore(dir);
        Files.writeString(store.file(), "profile.1.name=\\uZZZZ broken escape\n");
        assertThat(store.list()).isEmpty();
        assertThat(dir.resolve(ProfileStore.FILE_NAME + ".unreadable")).exists();
    }
}
