package dev.painterly.cli;

import picocli.CommandLine.Command;

/**
 * Timings of the hot paths and the kernels, one line each, ending in median_s=SECONDS (a kernel
 * variant that fails its check ends in what went wrong instead). All of them time through the
 * bench module's {@link dev.painterly.bench.VariantTiming}, as the JMH suite does.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the hot paths: one VGG-19 iteration, pass-1 matching, every kernel variant, or a whole job's iterations.",
        subcommands = {BenchVggCommand.class, BenchMatchCommand.class, BenchKernelsCommand.class, BenchJobCommand.class})
final class BenchCommand {
}
