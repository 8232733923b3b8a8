package org.adminconsole.config;

/** A configuration value is wrong; the message names the key, the value, its origin and the rule. */
public class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }
}
