package dev.kiln.ir;

/**
 * Root of every error Kiln reports to a user. The message is meant to be shown as is: it says
 * what went wrong, where (SQL position, file:line, column name) and, where possible, how to fix it.
 */
public class KilnException extends RuntimeException {
    public KilnException(String message) {
        super(message);
    }

    public KilnException(String message, Throwable cause) {
        super(message, cause);
    }
}
