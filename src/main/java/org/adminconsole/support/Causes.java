package org.adminconsole.support;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** The one walk along an exception's cause chain (cycle-safe), used wherever a failure is classified. */
public final class Causes {

    private Causes() {
    }

    /** The first throwable in the chain (the exception itself included) that matches. */
    public static Optional<Throwable> first(Throwable e, Predicate<Throwable> test) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (test.test(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The first throwable in the chain of the given type. */
    public static <T> Optional<T> find(Throwable e, Class<T> type) {
        return first(e, type::isInstance).map(type::cast);
    }

    /** Whether any throwable in the chain is of one of the given types. */
    public static boolean has(Throwable e, Class<?>... types) {
        return first(e, t -> {
            for (Class<?> c : types) {
                if (c.isInstance(t)) {
                    return true;
                }
            }
            return false;
        }).isPresent();
    }

    /** The last throwable of the chain. */
    public static Throwable root(Throwable e) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable root = e;
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            root = t;
        }
        return root;
    }

    /** The first line of a message ("" for null), without a trailing period. */
    public static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        int nl = m.indexOf('\n');
        String line = (nl >= 0 ? m.substring(0, nl) : m).trim();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }
}
