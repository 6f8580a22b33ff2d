package dev.painterly.bench;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reductions to the host (memory-bound; each has one kernel, the plain one) on relu1_1 of a
 * 700 x 525 image: sum, dot, the L1 norm, the sum of squared differences (the content and style
 * losses) and the total variation. Work: the bytes each must read. Checked against the reference
 * within 2e-6 of the largest the sum of |terms| can be (inputs in [-1, 1]: 1 per element for the
 * first three, 4 for squared differences, 8 for the total variation's dx^2 + dy^2), the
 * accuracy ReductionsKernelProperties proves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ReductionsBenchmark extends VariantBenchmark {

    static final KernelFamily FAMILY = new KernelFamily("reductions", List.of("64x525x700"), "16x96x128", List.of(
            op("sum", 1, 1, (d, a, b) -> d.reductions().sum(a)),
            op("dot", 2, 1, (d, a, b) -> d.reductions().dot(a, b)),
            op("sumAbs", 1, 1, (d, a, b) -> d.reductions().sumAbs(a)),
            op("sumSquaredDifference", 2, 4, (d, a, b) -> d.reductions().sumSquaredDifference(a, b)),
            op("totalVariation", 1, 8, (d, a, b) -> d.reductions().totalVariation(a))));

    @Param({"64x525x700"})
    public String size;

    @Override
    KernelFamily family() {
        return FAMILY;
    }

    @Override
    String variant() {
        return KernelFamily.PLAIN;
    }

    @Override
    String size() {
        return size;
    }

    @Benchmark
    public void sum(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void dot(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void sumAbs(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void sumSquaredDifference(Bandwidth bandwidth) {
        run(bandwidth);
    }

    @Benchmark
    public void totalVariation(Bandwidth bandwidth) {
        run(bandwidth);
    }

    /** A reduction of a (and b) to one number, on either device. */
    @FunctionalInterface
    private interface Op {
        double run(Device d, Tensor a, Tensor b);
    }

    /** A reduction reading {@code maps} maps whose terms are at most {@code termBound} in magnitude. */
    private static KernelOp op(String name, int maps, double termBound, Op op) {
        return KernelOp.plain(name, (cl, variant, size) -> {
            Shape s = BenchDevice.shape(size);
            float[] a = BenchDevice.randoms(1, s.size()), b = BenchDevice.randoms(2, s.size());
            TrialSetup t = new TrialSetup(cl, FAMILY.name(), name, variant, size);
            Expected expected = t.expected(() -> {
                try (Tensor ra = t.reference.upload(s, a); Tensor rb = t.reference.upload(s, b)) {
                    return new Expected(new double[] {op.run(t.reference, ra, rb)}, 2e-6 * termBound * s.size());
                }
            });
            Tensor ca = t.upload(s, a), cb = t.upload(s, b);
            double[] result = {Double.NaN};
            return t.trial(Work.floats((double) maps * s.size()), () -> result[0] = op.run(cl, ca, cb),
                    result::clone, expected);
        });
    }
}
