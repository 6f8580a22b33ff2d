package dev.painterly.cli;

import picocli.CommandLine.Command;

/** Timings of the hot paths, one line each, ending in median_s=SECONDS. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the hot paths: one VGG-19 iteration, pass-1 matching, or a whole job's iterations.",
        subcommands = {BenchVggCommand.class, BenchMatchCommand.class, BenchJobCommand.class})
final class BenchCommand {
}
