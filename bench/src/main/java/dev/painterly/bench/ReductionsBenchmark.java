package dev.painterly.bench;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.opencl.OpenClDevice;
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

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reductions to the host (memory-bound; each has one kernel, the plain one) on relu1_1 of a
 * 700 x 525 image: sum, dot (to the host, and left on the device), the L1 norm, the sum of squared differences (the content and style
 * losses) and the total variation; and the batched dots of the vector-free L-BFGS, which reads the
 * C maps as the rows of a matrix and dots three H x W vectors (its candidate s, y and g) with
 * every row and with one another. Work: the bytes each must read. Checked against the reference
 * within 2e-6 of the largest the sum of |terms| can be (inputs in [-1, 1]: 1 per element for the
 * first three and for each of the dots, 4 for squared differences, 8 for the total variation's
 * dx^2 + dy^2), the accuracy ReductionsKernelProperties proves.
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
            op("dotOnDevice", 2, 1, ReductionsBenchmark::dotOnDevice),
            op("sumAbs", 1, 1, (d, a, b) -> d.reductions().sumAbs(a)),
            op("sumSquaredDifference", 2, 4, (d, a, b) -> d.reductions().sumSquaredDifference(a, b)),
            op("totalVariation", 1, 8, (d, a, b) -> d.reductions().totalVariation(a)),
            KernelOp.plain("dots", ReductionsBenchmark::dots)));

    /** The vectors dots takes at once, as L-BFGS gives it: the candidate s and y, and g. */
    private static final int DOTS_VECTORS = 3;

    @Param({"64x525x700"})
    public String size;

    @Override
    KernelFamily family() {
        return FAMILY;
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
    public void dotOnDevice(Bandwidth bandwidth) {
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

    @Benchmark
    public void dots(Bandwidth bandwidth) {
        run(bandwidth);
    }

    /** A reduction of a (and b) to one number, on either device. */
    @FunctionalInterface
    private interface Op {
        double run(Device d, Tensor a, Tensor b);
    }

    /** The dot left on the device (its one float read back here, to be checked and to end the timing). */
    private static double dotOnDevice(Device d, Tensor a, Tensor b) {
        try (Tensor result = d.allocate(Shape.vector(1))) {
            d.reductions().dot(a, b, result);
            return result.toArray()[0];
        }
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

    /** The C maps of the size as count = C rows, against {@link #DOTS_VECTORS} vectors of H x W. */
    private static VariantTrial dots(OpenClDevice cl, String variant, String size) {
        Shape s = BenchDevice.shape(size), plane = s.withChannels(1);
        int count = s.channels(), n = plane.size();
        float[] rows = BenchDevice.randoms(1, s.size());
        float[][] vectors = new float[DOTS_VECTORS][];
        for (int k = 0; k < DOTS_VECTORS; k++) {
            vectors[k] = BenchDevice.randoms(2 + k, n);
        }
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "dots", variant, size);
        Expected expected = t.expected(() -> {
            Tensor[] rv = new Tensor[DOTS_VECTORS];
            try (Tensor rr = t.reference.upload(s, rows)) {
                for (int k = 0; k < DOTS_VECTORS; k++) {
                    rv[k] = t.reference.upload(plane, vectors[k]);
                }
                return new Expected(flatten(t.reference.reductions().dots(rr, count, rv)), 2e-6 * n);
            } finally {
                for (Tensor v : rv) {
                    if (v != null) {
                        v.close();
                    }
                }
            }
        });
        Tensor cr = t.upload(s, rows);
        Tensor[] cv = new Tensor[DOTS_VECTORS];
        for (int k = 0; k < DOTS_VECTORS; k++) {
            cv[k] = t.upload(plane, vectors[k]);
        }
        double[][] result = new double[DOTS_VECTORS][count + DOTS_VECTORS];
        for (double[] row : result) {
            Arrays.fill(row, Double.NaN);
        }
        return t.trial(Work.floats((double) (count + DOTS_VECTORS) * n),
                () -> System.arraycopy(cl.reductions().dots(cr, count, cv), 0, result, 0, DOTS_VECTORS),
                () -> flatten(result), expected);
    }

    private static double[] flatten(double[][] rows) {
        return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
    }
}
