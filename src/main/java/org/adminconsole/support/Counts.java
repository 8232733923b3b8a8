package org.adminconsole.support;

/** Counted nouns as an operator reads them: "1 user", "2 users", "1,325 users" (never "1 users"). */
public final class Counts {

    private Counts() {
    }

    /** {@code n} with thousands separators and the noun in the singular for exactly one, else the plural. */
    public static String of(long n, String singular, String plural) {
        return String.format("%,d %s", n, n == 1 ? singular : plural);
    }
}
