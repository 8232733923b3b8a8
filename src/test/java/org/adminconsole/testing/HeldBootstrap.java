package org.adminconsole.testing;

import java.time.Duration;
import org.adminconsole.support.DeferredStart;

/** Hibernate's build held back until the test {@link #release releases} it (an hour at most), as the window holds it. */
public final class HeldBootstrap {

    private HeldBootstrap() {
    }

    public static DeferredStart held() {
        return new DeferredStart("hibernate-bootstrap (test)", Duration.ofHours(1));
    }
}
