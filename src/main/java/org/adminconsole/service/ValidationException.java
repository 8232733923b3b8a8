package org.adminconsole.service;

import java.util.Map;

/** Input was refused; {@link #fieldErrors()} maps a field name to the message to show on that field. */
public class ValidationException extends RuntimeException implements org.adminconsole.persistence.OperatorError {
    private final Map<String, String> fieldErrors;

    public ValidationException(Map<String, String> fieldErrors) {
        super(String.join("; ", fieldErrors.values()));
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    public ValidationException(String field, String message) {
        this(Map.of(field, message));
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }
}
