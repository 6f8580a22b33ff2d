package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Shape;
import dev.painterly.engine.testing.AgainstReference;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

/**
 * The kernels of pooling.cl against PoolingReference, with poisoned outputs, on random shapes
 * with odd sizes and 1-pixel edges; max pooling and its backward in both work-item layouts (one
 * per element, one per output row), whichever this device uses. Max pooling and its backward only select and copy values, so
 * they must match exactly (tolerance 0), ties included: the "ties" properties draw integers from
 * {-2..2}, so most windows hold equal values and the first-in-row-major-order rule is checked.
 * The 3x3 average adds at most 9 values of [-1, 1) in float where the reference adds in double:
 * a few float ulps of a sum of at most 9, hence |err| &lt;= 1e-6 + 1e-6 |expected|.
 */
class PoolingKernelProperties {

    private static final int TRIES = 30;

    private final OpenClDevice cl = TestDevices.openCl();

    /** Integers in {-2..2}: most 2x2 windows contain ties. */
    private static float[] smallIntegers(long seed, int n) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(5) - 2;
        }
        return v;
    }

    /** H or W forced to 1 when thin is 1 or 2 respectively: the 1-pixel edges. */
    private static Shape shape(int c, int h, int w, int thin) {
        return Shape.of(c, thin == 1 ? 1 : h, thin == 2 ? 1 : w);
    }

    /** Max pooling on the reference against each variant of ClPooling. */
    private void maxPoolForward(Shape s, float[] x) {
        try (AgainstReference run = new AgainstReference(cl).input(s, x)) {
            Shape pooled = Check.pooled(s);
            float[] expected = run.expected((d, in, out) -> d.pooling().maxPool2x2(in[0], out), pooled);
            for (ClPooling.Variant variant : ClPooling.Variant.values()) {
                ClPooling pooling = new ClPooling(cl, variant);
                Compare.close(expected, run.actual((d, in, out) -> pooling.maxPool2x2(in[0], out), pooled), 0, 0,
                        "maxPool2x2 " + variant + " " + s);
            }
        }
    }

    private void maxPoolBackward(Shape s, float[] x, long seed) {
        Shape pooled = Check.pooled(s);
        try (AgainstReference run = new AgainstReference(cl).input(s, x)
                .input(pooled, RandomTensors.uniform(seed + 1, pooled.size()))) {
            float[] expected = run.expected((d, in, out) -> d.pooling().maxPool2x2Backward(in[0], in[1], out), s);
            for (ClPooling.Variant variant : ClPooling.Variant.values()) {
                ClPooling pooling = new ClPooling(cl, variant);
                Compare.close(expected, run.actual((d, in, out) -> pooling.maxPool2x2Backward(in[0], in[1], out), s),
                        0, 0, "maxPool2x2Backward " + variant + " " + s);
            }
        }
    }

    @Property(tries = TRIES)
    void maxPool(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 40) int h,
                 @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 0, max = 2) int thin,
                 @ForAll long seed) {
        Shape s = shape(c, h, w, thin);
        maxPoolForward(s, RandomTensors.uniform(seed, s.size()));
    }

    @Property(tries = TRIES)
    void maxPoolTies(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 40) int h,
                     @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 0, max = 2) int thin,
                     @ForAll long seed) {
        Shape s = shape(c, h, w, thin);
        maxPoolForward(s, smallIntegers(seed, s.size()));
    }

    @Property(tries = TRIES)
    void maxPoolBackward(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 40) int h,
                         @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 0, max = 2) int thin,
                         @ForAll long seed) {
        Shape s = shape(c, h, w, thin);
        maxPoolBackward(s, RandomTensors.uniform(seed, s.size()), seed);
    }

    @Property(tries = TRIES)
    void maxPoolBackwardTies(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 40) int h,
                             @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 0, max = 2) int thin,
                             @ForAll long seed) {
        Shape s = shape(c, h, w, thin);
        maxPoolBackward(s, smallIntegers(seed, s.size()), seed);
    }

    /** Maps wide enough for the row kernels' float16 steps (32 input columns), with odd edges. */
    @Property(tries = 10)
    void maxPoolWide(@ForAll @IntRange(min = 1, max = 5) int c, @ForAll @IntRange(min = 1, max = 9) int h,
                     @ForAll @IntRange(min = 32, max = 150) int w, @ForAll boolean ties, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        float[] x = ties ? smallIntegers(seed, s.size()) : RandomTensors.uniform(seed, s.size());
        maxPoolForward(s, x);
        maxPoolBackward(s, x, seed);
    }

    @Property(tries = TRIES)
    void avgPool3x3(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 40) int h,
                    @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 0, max = 2) int thin,
                    @ForAll long seed) {
        Shape s = shape(c, h, w, thin);
        try (AgainstReference run = new AgainstReference(cl).input(s, RandomTensors.uniform(seed, s.size()))) {
            run.check((d, in, out) -> d.pooling().avgPool3x3(in[0], out), s, 1e-6, 1e-6, "avgPool3x3 " + s);
        }
    }
}
