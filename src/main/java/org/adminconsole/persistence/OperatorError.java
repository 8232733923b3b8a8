package org.adminconsole.persistence;

/**
 * Marks exceptions that mean "the operator's input or action was refused" (validation, a conflict to
 * resolve): the operation still rolls back, but it is logged as a refusal without a stack trace.
 */
public interface OperatorError {
}
