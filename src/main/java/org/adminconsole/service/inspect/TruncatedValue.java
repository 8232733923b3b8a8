package org.adminconsole.service.inspect;

/**
 * A large text or binary value shown shortened in a grid; the full value is loaded on demand
 * ({@link TableDataService#fullValue}). {@code fullLength} is in characters (text) or bytes (binary), -1 if unknown.
 */
public record TruncatedValue(String preview, long fullLength, boolean binary) {

    @Override
    public String toString() {
        String unit = binary ? " bytes" : " chars";
        return preview + "… (" + (fullLength < 0 ? "more" : String.format("%,d", fullLength) + unit) + ")";
    }
}
