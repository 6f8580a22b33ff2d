package dev.painterly.cli;

import picocli.CommandLine;

/**
 * Turns an exception from a command into one line on stderr and exit code 1; the stack trace is
 * printed only with {@code --verbose}.
 */
final class UserErrors implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"))
                || parsed.hasMatchedOption("--verbose");
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        cl.getErr().println("painterly: " + msg.lines().findFirst().orElse(msg));
        if (verbose) {
            e.printStackTrace(cl.getErr());
        }
        return 1;
    }
}
