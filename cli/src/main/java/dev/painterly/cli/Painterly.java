package dev.painterly.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.TimeUnit;

/**
 * The {@code painterly} command: subcommands for each job. Exit status: 0 done, 1 an error (one
 * line on stderr saying what to do), 2 a mistake on the command line, 130 / 143 interrupted by
 * SIGINT / SIGTERM (the current image saved as OUT.partial.png).
 */
@Command(name = "painterly", mixinStandardHelpOptions = true, version = "painterly 0.1.0",
        description = "Deep Painterly Harmonization on OpenCL: paints a pasted object into a painting.",
        subcommands = {DevicesCommand.class, HarmonizeCommand.class, BatchCommand.class, DemoCommand.class,
                FeaturesCommand.class, StyleLevelCommand.class, ConvertWeightsCommand.class, WeightsCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Painterly implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args);
        if (code == UserErrors.INTERRUPTED) {
            awaitSignalExit();
        }
        System.exit(code);
    }

    /**
     * An interrupted run ends while the JVM is already exiting on the signal, with 128 + its number
     * (130 or 143) once the interrupt hook returns; exiting here too would race that exit and could
     * report SIGTERM as 130. So wait for it, long past the hook's own wait, and only then exit.
     */
    private static void awaitSignalExit() {
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(3 * InterruptHandler.WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the tool and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Painterly());
        cl.setExecutionExceptionHandler(new UserErrors());
        cl.setParameterExceptionHandler(Painterly::usageError);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("painterly: Java ran out of memory: give it more (PAINTERLY_JAVA_OPTS=-Xmx16g) or use a smaller --size");
            return 1;
        }
    }

    /** One line naming the mistake and where the help is, instead of the whole usage text. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        cl.getErr().println("painterly: " + e.getMessage() + " (see '" + cl.getCommandSpec().qualifiedName() + " --help')");
        cl.getErr().flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
