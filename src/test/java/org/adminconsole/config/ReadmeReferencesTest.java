package org.adminconsole.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.adminconsole.support.Counts;
import org.junit.jupiter.api.Test;

/** What messages promise the operator: a README section that exists, counts in words that agree. */
class ReadmeReferencesTest {

    /** "see README, 'Section name'" or "see README, Section)". */
    private static final Pattern REFERENCE = Pattern.compile("README, '([^']+)'|README, ([A-Z][A-Za-z &]+)\\)");

    @Test
    void everyReadmeSectionThatAMessageNamesExists() throws IOException {
        List<String> headings = Files.readAllLines(Path.of("README.md")).stream().filter(l -> l.startsWith("#"))
                .map(l -> l.replaceFirst("^#+\\s*", "").strip()).toList();
        List<String> named = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = REFERENCE.matcher(Files.readString(f));
                while (m.find()) {
                    String section = m.group(1) != null ? m.group(1) : m.group(2).strip();
                    named.add(section);
                    assertThat(headings).as("%s names the README section '%s'", f.getFileName(), section).contains(section);
                }
            }
        }
        // the locked-file message and the SQL console's reader message both point to a section
        assertThat(named).contains("Several consoles on one database", "Security");
    }

    @Test
    void countsReadAsWords() {
        assertThat(Counts.of(1, "change", "changes")).isEqualTo("1 change");
        assertThat(Counts.of(0, "change", "changes")).isEqualTo("0 changes");
        assertThat(Counts.of(1325, "user", "users")).isEqualTo("1,325 users");
        assertThat(new org.adminconsole.service.users.UserTotal(1, true, false).display()).isEqualTo("1 user");
        assertThat(new org.adminconsole.service.users.UserTotal(2_000, false, false).display()).isEqualTo("≈ 2,000 users (counting…)");
    }
}
