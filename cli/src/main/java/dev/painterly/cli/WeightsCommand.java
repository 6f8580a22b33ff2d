package dev.painterly.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code painterly weights}: the commands that manage VGG-19 weights. */
@Command(name = "weights", mixinStandardHelpOptions = true, description = "Manage VGG-19 weights.",
        subcommands = {WeightsDownloadCommand.class})
final class WeightsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
