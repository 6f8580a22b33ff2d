package dev.painterly.cli;

import dev.painterly.bench.VariantTiming;
import dev.painterly.engine.Device;
import dev.painterly.engine.opencl.OpenClDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Every variant of every kernel family, first checked against the Java reference and then timed,
 * by the benchmarks the JMH suite runs (bench/README.md). Exits 1 when a variant failed its check.
 */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "Check each kernel variant (plain and fast) against the Java reference, then time it; "
                + "one line per variant, median_s last. A variant that fails its check is reported and not timed.")
final class BenchKernelsCommand implements Callable<Integer> {

    @Option(names = "--family", paramLabel = "F", split = ",",
            description = "families to run (default: all): ${COMPLETION-CANDIDATES}", completionCandidates = Families.class)
    List<String> families = new ArrayList<>();

    @Option(names = "--size", paramLabel = "S",
            description = "one size, with one --family, written as its JMH parameter is (bench/README.md), e.g. 64x48x64")
    String size;

    @Option(names = "--small", description = "each family's small size, where the plain variants take well under a second")
    boolean small;

    @Option(names = "--warmup", defaultValue = "1", description = "untimed runs after the check (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--repeat", defaultValue = "3", description = "timed runs (default: ${DEFAULT-VALUE})")
    int repeat;

    @Mixin
    DeviceOptions device;

    /** The family names, for picocli's help. */
    static final class Families extends ArrayList<String> {
        Families() {
            super(VariantTiming.families());
        }
    }

    @Override
    public Integer call() {
        if (repeat < 1 || warmup < 0) {
            throw new IllegalArgumentException("--repeat must be at least 1 and --warmup at least 0");
        }
        try (Device d = device.open()) {
            if (!(d instanceof OpenClDevice cl)) {
                throw new IllegalArgumentException("bench kernels times OpenCL kernels; pick an OpenCL device, not "
                        + d.name());
            }
            int failed = VariantTiming.report(cl, families, size, small, warmup, repeat, System.out);
            return failed == 0 ? 0 : 1;
        }
    }
}
