package org.adminconsole.support;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Remembers which exceptions were already logged (with their stack trace) where they happened, so that the code
 * that finally shows them to the operator does not log them a second time: each failure is logged once.
 */
public final class FailureLog {

    private static final Map<Throwable, Boolean> LOGGED = Collections.synchronizedMap(new WeakHashMap<>());

    private FailureLog() {
    }

    public static void markLogged(Throwable e) {
        LOGGED.put(e, Boolean.TRUE);
    }

    /** Whether this exception, or one in its cause chain, was logged already. */
    public static boolean wasLogged(Throwable e) {
        return Causes.first(e, LOGGED::containsKey).isPresent();
    }
}
