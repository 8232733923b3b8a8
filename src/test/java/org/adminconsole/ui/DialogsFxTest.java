package org.adminconsole.ui;

import static org.adminconsole.testing.FxTesting.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.adminconsole.testing.FxTesting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** Where the keyboard is around the confirmation dialogs: the typed number lands in its field, then back home. */
@ExtendWith(ApplicationExtension.class)
class DialogsFxTest {

    private Stage stage;

    @AfterEach
    void close() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> stage.hide()).get(10, TimeUnit.SECONDS);
    }

    private Button open() throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            Button bulk = new Button("Bulk action");
            bulk.setId("bulkButton");
            stage = new Stage();
            stage.setScene(new Scene(new VBox(new TextField(), bulk), 600, 300));
            stage.show();
            return bulk;
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBigBulkActionTakesTheTypedNumberAtOnceEnterConfirmsAndTheFocusComesBack(FxRobot robot) throws Exception {
        Button bulk = open();
        robot.clickOn(bulk);
        AtomicInteger applied = new AtomicInteger();
        WaitForAsyncUtils.asyncFx(() -> Dialogs.bulkConfirm(bulk, "deactivate", 1325, 100, applied::incrementAndGet)).get(10, TimeUnit.SECONDS);
        FxTesting.waitFor(() -> robot.lookup("#bulkConfirmField").tryQuery().isPresent());
        TextField typed = robot.lookup("#bulkConfirmField").queryAs(TextField.class);
        FxTesting.waitFor(() -> onFx(typed::isFocused));
        // typed straight away, as an operator who read the number does: no click into the field first (keys go to
        // the focused window, the dialog, as the OS sends them)
        robot.targetWindow(onFx(() -> typed.getScene().getWindow()));
        robot.write("1324");
        assertThat(onFx(() -> typed.getText())).isEqualTo("1324");
        robot.type(KeyCode.ENTER); // a wrong number: Enter does nothing
        assertThat(applied.get()).isZero();
        assertThat(onFx(() -> robot.lookup("#bulkConfirmOk").query().isDisabled())).isTrue();
        robot.type(KeyCode.BACK_SPACE).write("5").type(KeyCode.ENTER);
        FxTesting.waitFor(() -> applied.get() == 1);
        FxTesting.waitFor(() -> robot.lookup("#bulkConfirmDialog").tryQuery().isEmpty());
        FxTesting.waitFor(() -> onFx(bulk::isFocused));
    }

    @Test
    void aConfirmationReturnsTheFocusToWhatOpenedItWhenCancelled(FxRobot robot) throws Exception {
        Button bulk = open();
        robot.clickOn(bulk);
        AtomicInteger deleted = new AtomicInteger();
        WaitForAsyncUtils.asyncFx(() -> Dialogs.confirm(bulk, "Delete user?", "Deletes a@example.com.", "Delete", deleted::incrementAndGet))
                .get(10, TimeUnit.SECONDS);
        FxTesting.waitFor(() -> robot.lookup("#confirmDialog").tryQuery().isPresent());
        robot.targetWindow(onFx(() -> robot.lookup("#confirmDialog").query().getScene().getWindow()));
        robot.type(KeyCode.ESCAPE);
        FxTesting.waitFor(() -> robot.lookup("#confirmDialog").tryQuery().isEmpty());
        FxTesting.waitFor(() -> onFx(bulk::isFocused));
        assertThat(deleted.get()).isZero();
    }
}
