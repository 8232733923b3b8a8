package org.adminconsole.service.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL editor's tabs file: round trip, atomic owner-only save, and never a crash on a bad file. */
class EditorTabsTest {

    @TempDir
    Path dir;

    @Test
    void noFileGivesOneEmptyTabWithoutANote() {
        EditorTabs.Loaded l = new EditorTabs(dir.resolve(EditorTabs.FILE_NAME)).load();
        assertThat(l.tabs()).containsExactly(new EditorTabs.Tab("Query 1", ""));
        assertThat(l.note()).isNull();
    }

    @Test
    void savedTabsComeBackExactly() throws Exception {
        Path file = dir.resolve(EditorTabs.FILE_NAME);
        List<EditorTabs.Tab> tabs = List.of(new EditorTabs.Tab("Query 1", "SELECT 1;\r\nSELECT '\\n\t'\n"),
                new EditorTabs.Tab("a\ttitle\\", ""), new EditorTabs.Tab("Ünïcode", "SELECT 'é' -- ✓"));
        assertThat(new EditorTabs(file).save(tabs, 2)).isNull();
        EditorTabs.Loaded l = new EditorTabs(file).load();
        assertThat(l.tabs()).isEqualTo(tabs);
        assertThat(l.selected()).isEqualTo(2);
        assertThat(l.note()).isNull();
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(EditorTabs.FILE_NAME); // no temp file left
        }
    }

    @Test
    void aCorruptFileGivesOneEmptyTabANoteAndIsKept() throws Exception {
        Path file = dir.resolve(EditorTabs.FILE_NAME);
        for (byte[] bad : List.of("garbage".getBytes(), (EditorTabs.HEADER + "\ntab\tonly-two-parts\n").getBytes(),
                (EditorTabs.HEADER + "\ntab\tt\tbad escape \\q\n").getBytes(), (EditorTabs.HEADER + "\n").getBytes(),
                new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}, new byte[0])) {
            Files.write(file, bad);
            EditorTabs.Loaded l = new EditorTabs(file).load();
            assertThat(l.tabs()).containsExactly(new EditorTabs.Tab("Query 1", ""));
            assertThat(l.note()).startsWith("The saved SQL tabs could not be read").contains("one empty tab");
            assertThat(Files.readAllBytes(dir.resolve(EditorTabs.FILE_NAME + EditorTabs.UNREADABLE_SUFFIX))).isEqualTo(bad);
        }
    }

    @Test
    void aSelectedIndexOutOfRangeIsClamped() {
        EditorTabs.Loaded l = EditorTabs.parse(EditorTabs.HEADER + "\nselected\t7\ntab\tA\tx\n");
        assertThat(l.selected()).isZero();
    }
}
