package dev.painterly.engine.opencl;

import dev.painterly.engine.Shape;
import dev.painterly.engine.testing.AgainstReference;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assertions;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernels of gram.cl against GramReference, with poisoned outputs, all three sets of them
 * (the plain kernels, the vector ones and the local-memory tiled ones, whichever this device runs
 * by default):
 * channel counts that are no multiple of any tile or block size (so partial blocks and the
 * mirrored off-diagonal blocks are hit), odd and 1-pixel spatial sizes, N from 1 (less than one
 * vector) to about 20000 (which takes the split-N paths with their slice partials), and C up to
 * 260 (several tiles per edge), also with several slices.
 *
 * <p>Tolerances are per element and relative to the sum of |terms|, which is the scale a float
 * dot product's error has (cancellation in the exact result is not the kernel's fault):
 * <ul>
 * <li>gram: |err[i,j]| &lt;= 2^-23 (8 + sqrt(N)) scale sum_p |f[i,p] f[j,p]|. Rounding errors of
 * a length-N float accumulation behave like a random walk, so sqrt(N) unit roundoffs of the
 * largest partial sum is a safe model for any summation order (the kernel's blocked and split
 * accumulation does better); 8 covers the scale multiply, the slice sum and the reference's own
 * rounding to float.</li>
 * <li>gramBackward: |err[i,p]| &lt;= 2^-23 (C + 8) scale sum_j |gradG[i,j] + gradG[j,i]| |f[j,p]|:
 * a rigorous bound, as the product runs over only C terms (C + 2 roundings in the worst case).</li>
 * </ul>
 */
class GramKernelProperties {

    private static final int TRIES = 20;
    private static final double ULP = Math.scalb(1.0, -23);

    private final OpenClDevice cl = TestDevices.openCl();
    private final List<ClGram> grams = runnable();

    /**
     * Every set of kernels the device can run; where it cannot run one (the local-memory tiles
     * need work-groups of 256), that set is refused, and the tests run the others.
     */
    private List<ClGram> runnable() {
        List<ClGram> out = new ArrayList<>();
        for (ClGram.Variant v : ClGram.Variant.values()) {
            if (v.fits(cl)) {
                out.add(new ClGram(cl, v));
            } else {
                Assertions.assertThrows(IllegalArgumentException.class, () -> new ClGram(cl, v), v + " on " + cl.name());
            }
        }
        return out;
    }

    @Property(tries = 1)
    void eachTuningPicksKernelsThatFit() {
        for (Tuning t : Tuning.values()) {
            Assertions.assertTrue(new ClGram(cl, t).variant().fits(cl), t.toString());
        }
    }

    private static float scale(int exponent) {
        return (float) (1.3 * Math.pow(10, -exponent));
    }

    private void checkGram(Shape s, float scale, long seed) {
        int c = s.channels(), n = s.plane();
        float[] f = RandomTensors.uniform(seed, s.size());
        double[] tol = new double[c * c];
        double factor = ULP * (8 + Math.sqrt(n)) * scale;
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                double terms = 0;
                for (int p = 0; p < n; p++) {
                    terms += Math.abs((double) f[i * n + p] * f[j * n + p]);
                }
                tol[i * c + j] = factor * terms;
            }
        }
        Shape out = Shape.of(1, c, c);
        try (AgainstReference run = new AgainstReference(cl).input(s, f)) {
            float[] expected = run.expected((d, in, o) -> d.gram().gram(in[0], scale, o), out);
            for (ClGram gram : grams) {
                Compare.within(expected, run.actual((d, in, o) -> gram.gram(in[0], scale, o), out), tol,
                        "gram (" + gram.variant() + ") " + s + " scale " + scale);
            }
        }
    }

    private void checkGramBackward(Shape s, float scale, long seed) {
        int c = s.channels(), n = s.plane();
        float[] f = RandomTensors.uniform(seed, s.size());
        float[] g = RandomTensors.uniform(seed + 1, c * c);
        double[] tol = new double[c * n];
        double factor = ULP * (c + 8) * scale;
        double[] sym = new double[c];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                sym[j] = Math.abs((double) g[i * c + j] + g[j * c + i]);
            }
            for (int p = 0; p < n; p++) {
                double terms = 0;
                for (int j = 0; j < c; j++) {
                    terms += sym[j] * Math.abs(f[j * n + p]);
                }
                tol[i * n + p] = factor * terms;
            }
        }
        try (AgainstReference run = new AgainstReference(cl).input(s, f).input(Shape.of(1, c, c), g)) {
            float[] expected = run.expected((d, in, o) -> d.gram().gramBackward(in[0], in[1], scale, o), s);
            for (ClGram gram : grams) {
                Compare.within(expected, run.actual((d, in, o) -> gram.gramBackward(in[0], in[1], scale, o), s), tol,
                        "gramBackward (" + gram.variant() + ") " + s + " scale " + scale);
            }
        }
    }

    /** thin = 1 or 2 forces H = 1 or W = 1. */
    private static Shape shape(int c, int h, int w, int thin) {
        return Shape.of(c, thin == 1 ? 1 : h, thin == 2 ? 1 : w);
    }

    @Property(tries = TRIES)
    void gram(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 40) int h,
              @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 0, max = 2) int thin,
              @ForAll @IntRange(min = 0, max = 6) int scaleExponent, @ForAll long seed) {
        checkGram(shape(c, h, w, thin), scale(scaleExponent), seed);
    }

    @Property(tries = 6)
    void gramLargeN(@ForAll @IntRange(min = 3, max = 70) int c, @ForAll @IntRange(min = 50, max = 150) int h,
                    @ForAll @IntRange(min = 50, max = 150) int w, @ForAll @IntRange(min = 0, max = 6) int scaleExponent,
                    @ForAll long seed) {
        checkGram(Shape.of(c, h, w), scale(scaleExponent), seed);
    }

    @Property(tries = 5)
    void gramManyChannels(@ForAll @IntRange(min = 71, max = 260) int c, @ForAll @IntRange(min = 1, max = 20) int h,
                          @ForAll @IntRange(min = 1, max = 20) int w, @ForAll long seed) {
        checkGram(Shape.of(c, h, w), scale(2), seed);
    }

    /** Several slices of a C of several blocks and tiles. */
    @Property(tries = 3)
    void gramManyChannelsLargeN(@ForAll @IntRange(min = 65, max = 150) int c,
                                @ForAll @IntRange(min = 60, max = 90) int h, @ForAll @IntRange(min = 70, max = 99) int w,
                                @ForAll long seed) {
        checkGram(Shape.of(c, h, w), scale(3), seed);
    }

    @Property(tries = TRIES)
    void gramBackward(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 40) int h,
                      @ForAll @IntRange(min = 1, max = 40) int w, @ForAll @IntRange(min = 0, max = 2) int thin,
                      @ForAll @IntRange(min = 0, max = 6) int scaleExponent, @ForAll long seed) {
        checkGramBackward(shape(c, h, w, thin), scale(scaleExponent), seed);
    }

    @Property(tries = 3)
    void gramBackwardLargeN(@ForAll @IntRange(min = 3, max = 70) int c, @ForAll @IntRange(min = 50, max = 150) int h,
                            @ForAll @IntRange(min = 50, max = 150) int w, @ForAll long seed) {
        checkGramBackward(Shape.of(c, h, w), scale(3), seed);
    }

    @Property(tries = 5)
    void gramBackwardManyChannels(@ForAll @IntRange(min = 71, max = 260) int c,
                                  @ForAll @IntRange(min = 1, max = 20) int h, @ForAll @IntRange(min = 1, max = 20) int w,
                                  @ForAll long seed) {
        checkGramBackward(Shape.of(c, h, w), scale(2), seed);
    }
}
