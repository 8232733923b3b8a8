package org.adminconsole.service.inspect;

/** One column filter as the operator typed it; the value is parsed for the column type and always bound. */
public record Filter(String column, Op op, String value) {

    public enum Op {
        EQUALS("="), CONTAINS("contains"), GREATER(">"), LESS("<"), IS_NULL("is null"), NOT_NULL("is not null");

        private final String label;

        Op(String label) {
            this.label = label;
        }

        public boolean needsValue() {
            return this != IS_NULL && this != NOT_NULL;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public String describe() {
        return column + " " + op + (op.needsValue() ? " '" + value + "'" : "");
    }
}
