package dev.painterly.cli;

import picocli.CommandLine;

import java.io.UncheckedIOException;

/**
 * Turns an exception from a command into one line on stderr and exit code 1; the stack trace is
 * printed only with {@code --verbose}. An interrupted run has already said what it saved and
 * exits with 130, as a shell reports a process ended by Ctrl-C.
 */
final class UserErrors implements CommandLine.IExecutionExceptionHandler {

    static final int INTERRUPTED = 130;

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        if (e instanceof RunInterrupted) {
            return INTERRUPTED;
        }
        boolean verbose = parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"))
                || parsed.hasMatchedOption("--verbose");
        cl.getErr().println("painterly: " + firstLine(e));
        if (verbose) {
            e.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return 1;
    }

    /** What an error says, on one line. */
    static String firstLine(Throwable e) {
        Throwable shown = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String msg = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
        return msg.lines().findFirst().orElse(msg);
    }
}
