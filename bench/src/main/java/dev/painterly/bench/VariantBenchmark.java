package dev.painterly.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The JMH side of the family benchmarks (each a {@code @State} subclass). Each {@code @Benchmark} method is named after the op it
 * times; before the first iteration its trial is set up and checked against the Java reference
 * by {@link VariantTiming#checked}, so a variant that fails its check throws there and JMH reports
 * the error instead of a score. JMH then warms up and times {@link VariantTrial#run}.
 */
public abstract class VariantBenchmark {

    private VariantTrial trial;

    abstract KernelFamily family();

    /** The variant under test: {@link KernelFamily#PLAIN} unless a family's ops have several kernels. */
    String variant() {
        return KernelFamily.PLAIN;
    }

    abstract String size();

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        String method = params.getBenchmark();
        String op = method.substring(method.lastIndexOf('.') + 1);
        KernelOp kernelOp = family().op(op)
                .orElseThrow(() -> new IllegalStateException(method + " names no op of " + family().name()));
        trial = VariantTiming.checked(kernelOp, BenchDevice.openCl(), variant(), size());
        // The peaks the counters divide by, measured before the first iteration rather than in it.
        switch (trial.work.unit()) {
            case "GFLOP" -> BenchDevice.peakGflops();
            case "GB" -> BenchDevice.copyGbps();
            default -> { }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (trial != null) {
            trial.close();
        }
    }

    /** One run of a compute-bound op. */
    void run(Flops flops) {
        trial.run();
        flops.add(trial.work.amount());
    }

    /** One run of a memory-bound op. */
    void run(Bandwidth bandwidth) {
        trial.run();
        bandwidth.add(trial.work.amount());
    }

    /** One run of an op judged by neither (post-processing): JMH's ops/s is the score. */
    void run() {
        trial.run();
    }
}
