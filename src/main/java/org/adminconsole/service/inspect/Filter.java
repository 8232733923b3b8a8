package org.adminconsole.service.inspect;

/**
 * One column filter as the operator typed it; the value is parsed for the column type and always bound.
 * {@link Op#IN} takes values separated by commas, {@link Op#BETWEEN} two values separated by "and" (or a comma).
 */
public record Filter(String column, Op op, String value) {

    public enum Op {
        EQUALS("="), NOT_EQUALS("≠"), CONTAINS("contains"), STARTS_WITH("starts with"), GREATER(">"),
        GREATER_OR_EQUAL("≥"), LESS("<"), LESS_OR_EQUAL("≤"), BETWEEN("between"), IN("in"), IS_NULL("is null"),
        NOT_NULL("is not null");

        private final String label;

        Op(String label) {
            this.label = label;
        }

        public boolean needsValue() {
            return this != IS_NULL && this != NOT_NULL;
        }

        /** Text matching (LIKE), as opposed to comparing a value of the column's type. */
        public boolean isTextMatch() {
            return this == CONTAINS || this == STARTS_WITH;
        }

        /** What the value field should say for this operator. */
        public String hint() {
            return switch (this) {
                case IN -> "values, separated by commas";
                case BETWEEN -> "from and to, e.g. 10 and 20";
                case IS_NULL, NOT_NULL -> "no value needed";
                default -> "value";
            };
        }

        /** The SQL comparison operator of a single-value comparison. */
        String sql() {
            return switch (this) {
                case EQUALS -> "=";
                case NOT_EQUALS -> "<>";
                case GREATER -> ">";
                case GREATER_OR_EQUAL -> ">=";
                case LESS -> "<";
                case LESS_OR_EQUAL -> "<=";
                default -> throw new IllegalStateException(name() + " is not a single comparison");
            };
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public String describe() {
        if (!op.needsValue()) {
            return column + " " + op;
        }
        if (op == Op.IN) {
            return column + " in (" + value + ")";
        }
        return column + " " + op + " '" + value + "'";
    }
}
