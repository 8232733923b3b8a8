package org.adminconsole.service.users;

/** How many users match: exact, or an estimate ({@code atLeast} when only a lower bound is known). */
public record UserTotal(long value, boolean exact, boolean atLeast) {

    public String display() {
        String n = String.format("%,d", value);
        return exact ? n + " users" : atLeast ? "more than " + n + " users (counting…)" : "≈ " + n + " users (counting…)";
    }
}
