package org.adminconsole.ui;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.adminconsole.AppContext;
import org.adminconsole.domain.User;
import org.adminconsole.domain.UserView;
import org.adminconsole.service.users.SaveResult;
import org.adminconsole.service.users.UserForm;
import org.adminconsole.service.users.UserPage;
import org.adminconsole.service.users.UserQuery;
import org.adminconsole.service.users.UserListing;
import org.adminconsole.service.users.UserEditing;
import org.adminconsole.testing.LogCapture;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Logs an operator can live with: refusals, conflicts and cancellations are one line without a stack trace; an
 * unexpected failure is logged once, with its stack trace, with the operation's label in the MDC.
 */
@ExtendWith(ApplicationExtension.class)
class FailureLoggingFxTest {

    @TempDir Path dir;
    AppContext ctx;
    TaskRunner runner;
    LogCapture log;

    @BeforeEach
    void open() {
        ctx = AppContext.start(TestDatabases.h2(dir, Map.of("db.seed.users", "20")));
        runner = new TaskRunner(2);
        log = new LogCapture();
    }

    @AfterEach
    void close() {
        log.close();
        runner.close();
        ctx.close();
    }

    private <T> String runTask(java.util.concurrent.Callable<T> work) throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        WaitForAsyncUtils.asyncFx(() -> runner.job("test task", work).onSuccess(v -> outcome.complete("ok"))
                .onFailure(outcome::complete).onCancelled(() -> outcome.complete("cancelled")).start()).get(5, TimeUnit.SECONDS);
        return outcome.get(30, TimeUnit.SECONDS);
    }

    private List<ILoggingEvent> linesAbout(String text) {
        return log.events().stream().filter(e -> e.getFormattedMessage().contains(text)).toList();
    }

    @Test
    void aConflictIsOneLineWithoutAStackTrace() throws Exception {
        UserListing listing = ctx.get(UserListing.class);
        UserEditing editing = ctx.get(UserEditing.class);
        UserView u = listing.page(UserQuery.all(), UserPage.Nav.FIRST, null, 1).rows().get(0);
        UserForm f = UserForm.of(u);
        assertThat(editing.save(new UserForm(f.id(), f.version(), f.email(), "first.edit", f.role(), f.active(), f.quota(),
                f.usage(), f.departmentIds(), f.settings()))).isInstanceOf(SaveResult.Saved.class);
        // a second edit from the old copy: a conflict the operator resolves
        assertThat(runTask(() -> editing.save(new UserForm(f.id(), f.version(), f.email(), "stale.edit", f.role(), f.active(),
                f.quota(), f.usage(), f.departmentIds(), f.settings())))).isEqualTo("ok");
        assertThat(log.events()).noneMatch(e -> e.getThrowableProxy() != null);
        assertThat(log.at(Level.ERROR)).isEmpty();
    }

    @Test
    void anUnexpectedFailureIsLoggedOnceWithItsStackTraceAndItsOperation() throws Exception {
        String message = runTask(() -> ctx.database().transactions().read("test.broken",
                s -> s.createNativeQuery("SELECT no_such_column FROM users", Object.class).getResultList()));
        assertThat(message).contains("NO_SUCH_COLUMN");
        List<ILoggingEvent> errors = log.at(Level.ERROR);
        assertThat(errors).as(log.text()).hasSize(1);
        assertThat(errors.get(0).getThrowableProxy()).isNotNull();
        assertThat(errors.get(0).getMDCPropertyMap().get("op")).startsWith("test.broken#");
        assertThat(errors.get(0).getMDCPropertyMap().get("task")).isEqualTo("test task");
    }

    @Test
    void aCancelledTaskIsOneLine() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        javafx.concurrent.Task<?>[] task = new javafx.concurrent.Task<?>[1];
        WaitForAsyncUtils.asyncFx(() -> task[0] = runner.job("slow task", () -> ctx.database().transactions().read("test.slow",
                        s -> s.createNativeQuery("SELECT SUM(X) FROM SYSTEM_RANGE(1, 50000000000)", Object.class).getSingleResult()))
                .onSuccess(v -> outcome.complete("ok")).onFailure(outcome::complete).onCancelled(() -> outcome.complete("cancelled"))
                .start()).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> ctx.database().poolStats().active() > 0);
        WaitForAsyncUtils.asyncFx(() -> task[0].cancel()).get(5, TimeUnit.SECONDS);
        assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo("cancelled");
        assertThat(linesAbout("test.slow#")).as(log.text()).hasSize(1)
                .allSatisfy(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.INFO);
                    assertThat(e.getThrowableProxy()).isNull();
                    assertThat(e.getFormattedMessage()).contains("cancelled");
                });
        assertThat(log.at(Level.ERROR)).isEmpty();
        assertThat(log.at(Level.WARN)).isEmpty();
    }

    @Test
    void aRefusedWriteInAReadIsOneLine() throws Exception {
        String message = runTask(() -> ctx.database().transactions().read("test.sneaky",
                s -> {
                    s.persist(new User("sneaky@example.com", "sneaky", org.adminconsole.domain.Role.USER));
                    return null;
                }));
        assertThat(message).contains("read-only");
        assertThat(log.events()).noneMatch(e -> e.getThrowableProxy() != null);
        assertThat(log.at(Level.ERROR)).isEmpty();
    }
}
