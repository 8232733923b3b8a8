package org.adminconsole.ui;

import static org.adminconsole.testing.FxTesting.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.adminconsole.testing.FxTesting;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * At 1024×700, the smallest size the console supports, no label, button, tab, column header or cell of the main
 * views is cut off: each tab is shown in turn and every showing {@link Labeled} is compared with the text its skin
 * draws (JavaFX 21 has no {@code isTextTruncated}; a cut text is drawn with the ellipsis). Cells of columns marked
 * {@code long-text} (SQL text, parameters: the selected row shows them whole below the table) may be cut.
 */
@ExtendWith(ApplicationExtension.class)
class NothingCutOffFxTest {

    @TempDir Path dir;
    private MainWindow window;

    @AfterEach
    void close() throws Exception {
        FxTesting.shutdown(window, 30);
    }

    /** Showing labeled controls whose drawn text is not their whole text, as "where: text → drawn". */
    static List<String> cutOff(Parent root) {
        List<String> out = new ArrayList<>();
        for (Node n : root.lookupAll("*")) {
            if (!(n instanceof Labeled l) || l.getText() == null || l.getText().isBlank() || !showing(n)) {
                continue;
            }
            if (n instanceof javafx.scene.control.TableCell<?, ?> cell && cell.getTableColumn() != null
                    && cell.getTableColumn().getStyleClass().contains("long-text")) {
                continue;
            }
            for (Node t : l.lookupAll(".text")) {
                if (t instanceof Text drawn && drawn.getParent() == l && !drawn.getText().equals(l.getText())
                        && drawn.getText().endsWith(l.getEllipsisString())) {
                    out.add(describe(l) + ": \"" + l.getText() + "\" drawn as \"" + drawn.getText() + "\"");
                }
            }
        }
        return out;
    }

    private static boolean showing(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        return n.getScene() != null && n.getLayoutBounds().getWidth() > 0;
    }

    private static String describe(Node n) {
        StringBuilder where = new StringBuilder(n.getClass().getSimpleName());
        for (Node p = n; p != null; p = p.getParent()) {
            if (p.getId() != null) {
                where.append(" in #").append(p.getId());
                break;
            }
        }
        return where.toString();
    }

    @Test
    void atTheSmallestWindowSizeNoTextOfTheMainViewsIsCutOff(FxRobot robot) throws Exception {
        window = FxTesting.openWindow(TestDatabases.h2(dir, Map.of("db.seed.users", "300")), null);
        Stage stage = onFx(() -> (Stage) robot.lookup(".tab-pane").query().getScene().getWindow());
        onFx(() -> {
            stage.setMaximized(false);
            stage.setWidth(1024);
            stage.setHeight(700);
            return null;
        });
        TabPane tabs = robot.lookup(".tab-pane").queryAs(TabPane.class);
        WaitForAsyncUtils.waitFor(120, java.util.concurrent.TimeUnit.SECONDS, () -> onFx(() -> !tabs.isDisabled() && tabs.getTabs().size() > 3)); // opening and seeding: slow on a loaded machine
        // every view but Dashboard and Users waits for Hibernate's build ("Opening the database…"): measure the real views
        FxTesting.waitFor(() -> window.context() != null && window.context().isReady());
        Set<String> found = new LinkedHashSet<>();
        for (int i = 0; i < onFx(() -> tabs.getTabs().size()); i++) {
            int index = i;
            Tab tab = onFx(() -> {
                tabs.getSelectionModel().select(index);
                return tabs.getSelectionModel().getSelectedItem();
            });
            // let the tab's background loads arrive and lay out
            FxTesting.waitFor(() -> onFx(() -> window.presenter() != null && !robot.lookup("#busy").query().isVisible()
                    && !(tab.getContent() instanceof javafx.scene.control.Label)));
            WaitForAsyncUtils.waitForFxEvents();
            onFx(() -> {
                stage.getScene().getRoot().applyCss();
                stage.getScene().getRoot().layout();
                return null;
            });
            WaitForAsyncUtils.waitForFxEvents();
            for (String s : onFx(() -> cutOff(stage.getScene().getRoot()))) {
                found.add(tab.getText() + " tab: " + s);
            }
        }
        assertThat(found).as("texts cut off at 1024x700").isEmpty();
    }
}
