package dev.painterly.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code painterly} command: subcommands for each job. Exit status: 0 done, 1 an error (one
 * line on stderr saying what to do), 2 a mistake on the command line, 130 / 143 interrupted by
 * SIGINT / SIGTERM (the current image saved as OUT.partial.png).
 */
@Command(name = "painterly", mixinStandardHelpOptions = true, version = "painterly 0.1.0",
        description = "Deep Painterly Harmonization on OpenCL: paints a pasted object into a painting.",
        subcommands = {DevicesCommand.class, HarmonizeCommand.class, BatchCommand.class, DemoCommand.class,
                FeaturesCommand.class, ConvertWeightsCommand.class, WeightsCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Painterly implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
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
