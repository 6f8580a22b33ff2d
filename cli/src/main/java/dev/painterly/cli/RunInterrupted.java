package dev.painterly.cli;

/**
 * Ends a run after an interrupt (Ctrl-C, SIGTERM) once the current image is saved; the user has
 * already been told where, so it carries no message of its own.
 */
final class RunInterrupted extends RuntimeException {

    RunInterrupted() {
        super("interrupted", null, false, false);
    }
}
