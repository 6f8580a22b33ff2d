package dev.painterly.bench;

import dev.painterly.engine.Tensor;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One op of a family, run by one variant of its kernels on inputs of one size, beside the Java
 * reference's result on the same inputs: what every benchmark first checks and then times
 * ({@link VariantTiming}). Its outputs start poisoned (NaN), so the first run is the one checked.
 */
final class VariantTrial implements AutoCloseable {

    final String family;
    final String op;
    final String variant;
    final String size;
    final Work work;
    private final Runnable run;
    private final Supplier<double[]> output;
    private final Expected expected;
    private final List<Tensor> tensors;

    VariantTrial(String family, String op, String variant, String size, Work work, Runnable run,
                 Supplier<double[]> output, Expected expected, List<Tensor> tensors) {
        this.family = family;
        this.op = op;
        this.variant = variant;
        this.size = size;
        this.work = work;
        this.run = run;
        this.output = output;
        this.expected = expected;
        this.tensors = tensors;
    }

    /** Runs the variant once and waits for the device. */
    void run() {
        run.run();
    }

    /**
     * Runs the variant once and compares its output with the reference's: empty when it passes,
     * else what went wrong (a kernel that throws fails too).
     */
    Optional<String> check() {
        try {
            run();
            return expected.compare(output.get());
        } catch (RuntimeException e) {
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** "family op variant size", as reports name the trial. */
    String name() {
        return family + " " + op + " " + variant + " " + size;
    }

    @Override
    public void close() {
        tensors.forEach(Tensor::close);
    }
}
