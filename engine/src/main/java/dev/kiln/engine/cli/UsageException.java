package dev.kiln.engine.cli;

/** Bad command-line usage: exit code 2 and a hint. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
