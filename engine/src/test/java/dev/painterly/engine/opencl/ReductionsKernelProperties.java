package dev.painterly.engine.opencl;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.AgainstReference;
import dev.painterly.engine.testing.AgainstReference.Reduction;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Random;

/**
 * The kernels of reductions.cl against ReductionsReference (double sums of the same floats), on
 * vectors of up to a few million elements, on C x H x W maps with 1-pixel edges for the total
 * variation, and on matrices of up to 40 rows for the batched dots.
 *
 * <p>Tolerance: |err| &lt;= 2e-6 * (sum of |terms|). The kernels form each term in float (at most
 * about 4 roundings for the TV term), add a work-item's terms with Kahan compensation in each
 * lane of a vector of up to 16 floats (error about 2 roundings of the sum of |terms|), add the
 * lanes one after another (at most 15 roundings; work-item 0 adds the last n % 16 terms, to its
 * own small share of the sum), then a group's sums in a tree of at most 8 levels (one rounding
 * each), and the host adds the partials in double (or, for the dot left on the device, one group
 * adds them in float with compensation, and the result is rounded to float once more): at most about 29 unit roundoffs, 1.7e-6,
 * relative to the sum of |terms|, which is the right scale because cancellation in the sum
 * itself cannot be blamed on the kernel. Each of the batched dots is held to the same bound.
 */
class ReductionsKernelProperties {

    private static final int TRIES = 20;
    private static final double RTOL = 2e-6;

    private final Device cl = TestDevices.openCl();
    private final JavaDevice ref = JavaDevice.float32();

    /** Runs op on both devices with the given inputs and compares within RTOL * scaleOfTerms. */
    private void check(Shape s, float[][] data, double scaleOfTerms, Reduction op, String what) {
        try (AgainstReference run = new AgainstReference(cl)) {
            for (float[] d : data) {
                run.input(s, d);
            }
            run.check(op, 0, RTOL * scaleOfTerms, what + " " + s);
        }
    }

    private static double sumAbs(float[] x) {
        double s = 0;
        for (float v : x) {
            s += Math.abs(v);
        }
        return s;
    }

    private void checkSum(int n, long seed) {
        float[] x = RandomTensors.uniform(seed, n);
        check(Shape.vector(n), new float[][] {x}, sumAbs(x), (d, t) -> d.reductions().sum(t[0]), "sum");
    }

    @Property(tries = TRIES)
    void sum(@ForAll @IntRange(min = 1, max = 200_000) int n, @ForAll long seed) {
        checkSum(n, seed);
    }

    /** Long enough that every work-item of the capped group count runs a long strided loop. */
    @Property(tries = 3)
    void sumLong(@ForAll @IntRange(min = 200_000, max = 4_000_000) int n, @ForAll long seed) {
        checkSum(n, seed);
    }

    /** Positive terms of very different sizes: no cancellation hides accumulation error. */
    @Property(tries = TRIES)
    void sumAbsOfWideRange(@ForAll @IntRange(min = 1, max = 200_000) int n, @ForAll long seed) {
        float[] x = RandomTensors.uniform(seed, n);
        Random r = new Random(seed + 1);
        for (int i = 0; i < n; i++) {
            x[i] *= (float) Math.pow(10, 6 * r.nextDouble() - 3);
        }
        check(Shape.vector(n), new float[][] {x}, sumAbs(x), (d, t) -> d.reductions().sumAbs(t[0]), "sumAbs");
    }

    @Property(tries = TRIES)
    void dot(@ForAll @IntRange(min = 1, max = 200_000) int n, @ForAll long seed) {
        float[] a = RandomTensors.uniform(seed, n);
        float[] b = RandomTensors.uniform(seed + 1, n);
        double terms = 0;
        for (int i = 0; i < n; i++) {
            terms += Math.abs((double) a[i] * b[i]);
        }
        check(Shape.vector(n), new float[][] {a, b}, terms, (d, t) -> d.reductions().dot(t[0], t[1]), "dot");
        check(Shape.vector(n), new float[][] {a, b}, terms, (d, t) -> {
            try (Tensor result = d.allocate(Shape.vector(1))) {
                d.reductions().dot(t[0], t[1], result);
                return result.toArray()[0];
            }
        }, "dot left on the device");
    }

    @Property(tries = TRIES)
    void sumSquaredDifference(@ForAll @IntRange(min = 1, max = 200_000) int n, @ForAll long seed) {
        float[] a = RandomTensors.uniform(seed, n);
        float[] b = RandomTensors.uniform(seed + 1, n);
        double terms = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) a[i] - b[i];
            terms += d * d;
        }
        check(Shape.vector(n), new float[][] {a, b}, terms,
                (d, t) -> d.reductions().sumSquaredDifference(t[0], t[1]), "sumSquaredDifference");
        check(Shape.vector(n), new float[][] {a, b}, terms, (d, t) -> {
            try (Tensor result = d.allocate(Shape.vector(1))) {
                d.reductions().sumSquaredDifference(t[0], t[1], 0.25, result);
                return 4.0 * result.toArray()[0];
            }
        }, "sumSquaredDifference left on the device");
    }

    /** thin = 1 or 2 forces H = 1 or W = 1, where the total variation is exactly 0. */
    @Property(tries = TRIES)
    void totalVariation(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 40) int h,
                        @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 0, max = 2) int thin,
                        @ForAll long seed) {
        checkTotalVariation(Shape.of(c, thin == 1 ? 1 : h, thin == 2 ? 1 : w), seed);
    }

    /** A long image: many rows per work-item, so the row/column bookkeeping crosses planes. */
    @Property(tries = 3)
    void totalVariationLarge(@ForAll @IntRange(min = 1, max = 8) int c, @ForAll @IntRange(min = 100, max = 400) int h,
                             @ForAll @IntRange(min = 100, max = 400) int w, @ForAll long seed) {
        checkTotalVariation(Shape.of(c, h, w), seed);
    }

    /** The sum of |terms| of the total variation is the total variation itself (its terms are squares). */
    private void checkTotalVariation(Shape s, long seed) {
        float[] x = RandomTensors.uniform(seed, s.size());
        double terms;
        try (Tensor t = ref.upload(s, x)) {
            terms = ref.reductions().totalVariation(t);
        }
        check(s, new float[][] {x}, terms, (d, t) -> d.reductions().totalVariation(t[0]), "totalVariation");
    }

    /**
     * 1 to 3 vectors against the first rows of a matrix that holds a few more (which must not be
     * read into the results), and against one another; n from 1 covers the scalar tail alone.
     */
    @Property(tries = TRIES)
    void dots(@ForAll @IntRange(min = 1, max = 40_000) int n, @ForAll @IntRange(min = 0, max = 40) int count,
              @ForAll @IntRange(min = 1, max = 3) int vectorCount, @ForAll long seed) {
        int stored = count + 2;
        float[] matrix = RandomTensors.uniform(seed, stored * n);
        float[][] vectors = new float[vectorCount][];
        for (int k = 0; k < vectorCount; k++) {
            vectors[k] = RandomTensors.uniform(seed + 1 + k, n);
        }
        double[][] tolerance = new double[vectorCount][count + vectorCount];
        for (int k = 0; k < vectorCount; k++) {
            for (int r = 0; r < count + vectorCount; r++) {
                float[] other = r < count ? matrix : vectors[r - count];
                int offset = r < count ? r * n : 0;
                double terms = 0;
                for (int i = 0; i < n; i++) {
                    terms += Math.abs((double) vectors[k][i] * other[offset + i]);
                }
                tolerance[k][r] = RTOL * terms;
            }
        }
        try (AgainstReference run = new AgainstReference(cl).input(Shape.vector(stored * n), matrix)) {
            for (float[] v : vectors) {
                run.input(Shape.vector(n), v);
            }
            run.check((d, in) -> d.reductions().dots(in[0], count, Arrays.copyOfRange(in, 1, in.length)), tolerance,
                    "dots n=" + n + " count=" + count);
        }
    }
}
