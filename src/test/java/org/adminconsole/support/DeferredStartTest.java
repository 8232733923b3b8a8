package org.adminconsole.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How the console holds Hibernate's build until the first data is shown (issue 14), and never longer than it says. */
class DeferredStartTest {

    @Test
    void heldUntilReleasedThenRunOnceOnAThreadOfItsOwn() throws Exception {
        DeferredStart start = new DeferredStart("build", Duration.ofHours(1));
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(1);
        String[] thread = new String[1];
        start.execute(() -> {
            thread[0] = Thread.currentThread().getName();
            runs.incrementAndGet();
            ran.countDown();
        });
        assertThat(runs).as("held").hasValue(0);
        start.release();
        start.release();
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(thread[0]).isEqualTo("build");
        assertThat(runs).hasValue(1);
    }

    @Test
    void releasedBeforeTheTaskComesItStartsAtOnce() throws Exception {
        DeferredStart start = new DeferredStart("build", Duration.ofHours(1));
        start.release();
        CountDownLatch ran = new CountDownLatch(1);
        start.execute(ran::countDown);
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void neverHeldLongerThanItsLimitWhenNobodyReleasesIt() throws Exception {
        DeferredStart start = new DeferredStart("build", Duration.ofMillis(50));
        CountDownLatch ran = new CountDownLatch(1);
        start.execute(ran::countDown);
        assertThat(ran.await(30, TimeUnit.SECONDS)).as("started by its limit").isTrue();
    }
}
