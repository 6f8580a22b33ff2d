package dev.painterly.cli;

import picocli.CommandLine.Command;

/** Timings of the hot paths, one line each, ending in median_s=SECONDS. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the hot paths: one VGG-19 iteration, or pass-1 matching.",
        subcommands = {BenchVggCommand.class, BenchMatchCommand.class})
final class BenchCommand {
}
