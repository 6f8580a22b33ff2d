package dev.painterly.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code painterly} command: subcommands for each job. */
@Command(name = "painterly", mixinStandardHelpOptions = true, version = "painterly 0.1.0",
        description = "Deep Painterly Harmonization on OpenCL: paints a pasted object into a painting.",
        subcommands = {DevicesCommand.class, HarmonizeCommand.class, DemoCommand.class, FeaturesCommand.class, ConvertWeightsCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
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
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
