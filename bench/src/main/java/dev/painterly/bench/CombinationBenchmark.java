package dev.painterly.bench;

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

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The combination of rows (memory-bound; one kernel, the plain one) as the vector-free L-BFGS
 * forms its direction: out = alpha x + sum_r c_r rows[r] over a matrix of rows the size of the
 * image being optimised, by default a 547 x 700 RGB image and 100 rows (a history of 50 pairs).
 * Sizes are C x H x W : rows. Inputs in [-1, 1), coefficients in [-2, 2), alpha in [-1, 1). Work:
 * the bytes it must move, every row and x read and out written once. Checked against the
 * reference within (rows + 2) float roundings of the largest the sum of |terms| can be,
 * |alpha| + sum_r |c_r|: the kernel rounds each coefficient once and adds each term with one
 * rounding (the worst case of the bound CombinationKernelProperties states).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CombinationBenchmark extends VariantBenchmark {

    static final KernelFamily FAMILY = new KernelFamily("combination", List.of("3x547x700:100"), "3x96x128:20",
            List.of(KernelOp.plain("combineRows", CombinationBenchmark::combineRows)));

    /** C x H x W : rows. */
    @Param({"3x547x700:100"})
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
    public void combineRows(Bandwidth bandwidth) {
        run(bandwidth);
    }

    private static VariantTrial combineRows(OpenClDevice cl, String variant, String size) {
        if (!size.matches("[^:]+:[1-9][0-9]*")) {
            throw new IllegalArgumentException("combination sizes are CxHxW:rows, e.g. 3x96x128:20, got " + size);
        }
        String[] parts = size.split(":");
        Shape s = BenchDevice.shape(parts[0]);
        int count = Integer.parseInt(parts[1]);
        int n = s.size();
        if ((long) count * n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a matrix of " + count + " rows of " + n
                    + " floats exceeds one tensor's 2^31 elements: give fewer rows or a smaller CxHxW");
        }
        Shape matrix = Shape.vector(count * n);
        float[] rows = BenchDevice.randoms(1, count * n), x = BenchDevice.randoms(2, n);
        Random random = new Random(3);
        double[] coefficients = new double[count];
        double bound = 0;
        for (int r = 0; r < count; r++) {
            coefficients[r] = 4 * random.nextDouble() - 2;
            bound += Math.abs(coefficients[r]);
        }
        double alpha = 2 * random.nextDouble() - 1;
        double atol = (count + 2) * Math.ulp(1f) / 2 * (bound + Math.abs(alpha));
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), "combineRows", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rr = t.reference.upload(matrix, rows); Tensor rx = t.reference.upload(s, x)) {
                return new Expected(t.referenceOutput(s,
                        out -> t.reference.combination().combineRows(rr, coefficients, alpha, rx, out)), atol);
            }
        });
        Tensor cr = t.upload(matrix, rows), cx = t.upload(s, x);
        Tensor out = t.output(s);
        return t.trial(Work.floats((count + 2.0) * n),
                () -> cl.combination().combineRows(cr, coefficients, alpha, cx, out), out, expected);
    }
}
