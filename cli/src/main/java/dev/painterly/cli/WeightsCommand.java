package dev.painterly.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code painterly weights ...}: the networks the tool runs with, one subcommand per source. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = "VGG-19 weights: download and install the ImageNet network (download), write the built-in network (builtin).",
        subcommands = {WeightsDownloadCommand.class, WeightsBuiltinCommand.class})
final class WeightsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
