package dev.painterly.cli;

/**
 * A job that failed part-way for a reason of its own (its optimisation stopped being finite), not
 * of the setup: the message says what was kept and what to try, and a batch goes on with the next.
 */
final class JobFailedException extends RuntimeException {

    JobFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
