package dev.painterly.bench;

import java.util.List;
import java.util.Optional;

/**
 * An op family's benchmarks: its ops and the sizes they are timed at, as the JMH class of the
 * family ({@code GramBenchmark}, ...) and {@code painterly bench kernels} both run them.
 *
 * @param sizes the sizes timed by default (the JMH class's {@code size} parameter)
 * @param small a size at which every variant, the plain ones included, runs in well under a
 *              second: for quick runs and for comparisons of plain and fast side by side
 */
record KernelFamily(String name, List<String> sizes, String small, List<KernelOp> ops) {

    /** The variant name of a family whose ops each have a single kernel. */
    static final String PLAIN = "PLAIN";

    /** Every family, in the order of the engine's Device interface. */
    static List<KernelFamily> all() {
        return List.of(ElementwiseBenchmark.FAMILY, ReductionsBenchmark.FAMILY, CombinationBenchmark.FAMILY,
                HistogramBenchmark.FAMILY, GatherBenchmark.FAMILY, ConvolutionBenchmark.FAMILY, PoolingBenchmark.FAMILY, GramBenchmark.FAMILY,
                MatchingBenchmark.FAMILY, PostProcessBenchmark.FAMILY);
    }

    static Optional<KernelFamily> named(String name) {
        return all().stream().filter(f -> f.name.equals(name)).findFirst();
    }

    Optional<KernelOp> op(String name) {
        return ops.stream().filter(o -> o.name().equals(name)).findFirst();
    }
}
