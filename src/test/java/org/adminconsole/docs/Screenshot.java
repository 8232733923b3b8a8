package org.adminconsole.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.adminconsole.config.Settings;
import org.adminconsole.ui.MainWindow;

/**
 * Takes the README's screenshot ({@code src/docs/screenshot.png}): the console on a fresh data folder with 10,000 demo
 * users, Users tab, three rows selected, headless (Monocle). Run from the project root:
 * {@code java -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw -cp target/classes:target/test-classes:<test class path> org.adminconsole.docs.Screenshot [file]}.
 */
public final class Screenshot {

    public static void main(String[] args) {
        Application.launch(App.class, args); // a main class that is not an Application: JavaFX on the class path works
    }

    /** The screenshot's application. */
    public static final class App extends Application {
    @Override
    public void start(Stage stage) throws Exception {
        Path out = Path.of(getParameters().getRaw().isEmpty() ? "src/docs/screenshot.png" : getParameters().getRaw().get(0));
        Path data = Files.createTempDirectory("adminconsole-screenshot");
        Settings settings = Settings.of(Map.of("data.dir", data.toString(), "db.seed.users", "10000", "operator", "alice"));
        MainWindow window = MainWindow.show(stage, settings, null);
        stage.setWidth(1280);
        stage.setHeight(800);
        Thread waiter = new Thread(() -> {
            try {
                waitFor(() -> {
                    TabPane tabs = (TabPane) stage.getScene().lookup(".tab-pane");
                    return tabs != null && !tabs.isDisabled() && tabs.getTabs().size() > 3;
                });
                Platform.runLater(() -> ((TabPane) stage.getScene().lookup(".tab-pane")).getSelectionModel().select(1));
                waitFor(() -> stage.getScene().lookup("#usersTable") instanceof TableView<?> t && t.getItems().size() > 10
                        && !((javafx.scene.control.Label) stage.getScene().lookup("#totalLabel")).getText().contains("…"));
                Platform.runLater(() -> {
                    TableView<?> t = (TableView<?>) stage.getScene().lookup("#usersTable");
                    t.getSelectionModel().selectRange(2, 5);
                });
                Thread.sleep(1500); // let the selection counter and charts settle before the picture (not a test)
                CompletableFuture<Void> shot = new CompletableFuture<>();
                Platform.runLater(() -> {
                    try {
                        javax.imageio.ImageIO.write(SwingFXUtils.fromFXImage(stage.getScene().snapshot(null), null), "png", out.toFile());
                        shot.complete(null);
                    } catch (Exception e) {
                        shot.completeExceptionally(e);
                    }
                });
                shot.get(30, TimeUnit.SECONDS);
                System.out.println("Wrote " + out.toAbsolutePath());
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                Platform.runLater(() -> {
                    window.shutdown();
                    Platform.exit();
                });
            }
        });
        waiter.setDaemon(true);
        waiter.start();
    }
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < until) {
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            Platform.runLater(() -> {
                try {
                    f.complete(condition.call());
                } catch (Exception e) {
                    f.complete(false);
                }
            });
            if (f.get(30, TimeUnit.SECONDS)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("not shown within 5 minutes");
    }
}
