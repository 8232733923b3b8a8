package org.adminconsole.service.users;

/** How many users match: exact, or an estimate ({@code atLeast} when only a lower bound is known). */
public record UserTotal(long value, boolean exact, boolean atLeast) {

    public String display() {
        String n = org.adminconsole.support.Counts.of(value, "user", "users");
        return exact ? n : atLeast ? "more than " + n + " (counting…)" : "≈ " + n + " (counting…)";
    }
}
