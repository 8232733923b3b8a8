package org.adminconsole.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.adminconsole.persistence.Database;
import org.adminconsole.persistence.OperationListener;
import org.adminconsole.persistence.OperationRecord;
import org.adminconsole.persistence.Transactions;
import org.adminconsole.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** A newer task with the same key (a newer search) stops the older one in the database, not only in the UI. */
@ExtendWith(ApplicationExtension.class)
class TaskRunnerFxTest {

    @TempDir Path dir;

    @Test
    void aSupersededTaskHasItsStatementCancelledInTheDatabase() throws Exception {
        try (Database db = Database.open(TestDatabases.h2(dir));
             TaskRunner runner = new TaskRunner(2)) {
            Transactions tx = db.transactions();
            List<OperationRecord> records = new CopyOnWriteArrayList<>();
            tx.addListener(OperationListener.onFinished(records::add));
            AtomicReference<String> latest = new AtomicReference<>();
            WaitForAsyncUtils.asyncFx(() -> runner.runLatest("search", "Searching", () -> tx.read("search.old",
                    s -> s.createNativeQuery("SELECT SUM(X * 2) FROM SYSTEM_RANGE(1, 50000000000)", Object.class)
                            .getSingleResult().toString()), latest::set, latest::set)).get(5, TimeUnit.SECONDS);
            // let the old search reach the database, then supersede it
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> db.poolStats().active() > 0);
            WaitForAsyncUtils.asyncFx(() -> runner.runLatest("search", "Searching", () -> tx.read("search.new",
                    s -> "new result"), latest::set, latest::set)).get(5, TimeUnit.SECONDS);
            WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> records.stream().anyMatch(r -> r.name().equals("search.old")));
            OperationRecord old = records.stream().filter(r -> r.name().equals("search.old")).findFirst().orElseThrow();
            assertThat(old.outcome()).isEqualTo(OperationRecord.Outcome.ROLLED_BACK);
            assertThat(old.message()).isEqualTo("cancelled");
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> "new result".equals(latest.get()));
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> runner.runningProperty().get() == 0);
            assertThat(runner.statusProperty().get()).isEqualTo("Searching: done");
            assertThat(db.poolStats().active()).isZero();
        }
    }
}
