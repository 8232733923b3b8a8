package org.adminconsole.service.inspect;

/**
 * The reader login cannot be used (missing, too powerful, unreachable): the message says what to fix. It never carries
 * the driver's exception, whose text may echo a password; {@link ReaderConnections} turns it into the console's
 * message.
 */
final class ReaderRefusedException extends Exception {

    ReaderRefusedException(String message) {
        super(message, null, false, false);
    }
}
