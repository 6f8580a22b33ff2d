package dev.painterly.engine.reference;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.Poison;
import dev.painterly.engine.testing.RandomTensors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assertions;

import java.util.Random;

/**
 * What the post-processing ops mean, on the Java reference (the OpenCL kernels agree with it, see
 * PostProcessKernelProperties): the guided filter reproduces its guide, PatchMatch finds exact
 * copies, and voting an exact field gives the image back.
 */
class PostProcessProperties {

    private static final int TRIES = 15;

    /** The post-processing's PatchMatch settings: 7x7 patches, 5 iterations. */
    private static final int RADIUS = 3;
    private static final int ITERATIONS = 5;

    private final JavaDevice exact = JavaDevice.exact();
    private final JavaDevice ref = JavaDevice.float32();

    /** A smooth pattern plus noise: every 7x7 patch distinct, even after 8-bit quantisation. */
    static float[] texture(long seed, int h, int w) {
        Random r = new Random(seed);
        int plane = h * w;
        float[] v = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    v[c * plane + y * w + x] = (float) (0.5 + 0.25 * Math.sin(0.37 * x + c) * Math.cos(0.23 * y)
                            + 0.25 * (r.nextDouble() - 0.5));
                }
            }
        }
        return v;
    }

    /**
     * With tiny eps, filtering the guide by itself gives a = the unit vector, b = 0: the guide.
     * Every window holds at least 2x2 pixels (or is a single pixel, where Sigma and the
     * covariance are exactly 0 and the filter returns the mean, the pixel itself), so that Sigma
     * is invertible: random colours span all three dimensions. (Thinner windows make Sigma
     * singular, where the regularised solve becomes ill-conditioned as eps shrinks.)
     */
    @Property(tries = TRIES)
    void guidedFilterWithTheInputAsGuideReturnsTheInput(@ForAll @IntRange(min = 2, max = 16) int h,
                                                       @ForAll @IntRange(min = 2, max = 16) int w,
                                                       @ForAll @IntRange(min = 0, max = 3) int radius,
                                                       @ForAll long seed) {
        Shape s = Shape.of(3, h, w);
        float[] image = RandomTensors.unit(seed, s.size());
        try (Tensor in = exact.upload(s, image); Tensor out = Poison.output(exact, s)) {
            exact.postProcess().guidedFilter(in, in, radius, 1e-12, out);
            Compare.close(image, out.toArray(), 0, 1e-6, "guided filter of " + s + " by itself, r " + radius);
        }
    }

    /** A constant has no covariance with any guide: a = 0 and b = the constant. */
    @Property(tries = TRIES)
    void guidedFilterKeepsAConstant(@ForAll @IntRange(min = 1, max = 16) int h,
                                    @ForAll @IntRange(min = 1, max = 16) int w,
                                    @ForAll @IntRange(min = 0, max = 3) int radius, @ForAll long seed) {
        Shape s = Shape.of(2, h, w);
        float[] constant = new float[s.size()];
        java.util.Arrays.fill(constant, 0, s.plane(), 37.5f);
        java.util.Arrays.fill(constant, s.plane(), s.size(), -12.25f);
        try (Tensor guide = ref.upload(s.withChannels(3), RandomTensors.unit(seed, 3 * s.plane()));
             Tensor in = ref.upload(s, constant); Tensor out = Poison.output(ref, s)) {
            ref.postProcess().guidedFilter(guide, in, radius, 0.01, out);
            Compare.close(constant, out.toArray(), 1e-6, 0, "guided filter of a constant " + s);
        }
    }

    /**
     * Every field entry is admissible (the patch of p, clipped to a, fits in b at q), except at
     * the positions the query mask leaves out, which get -1.
     */
    @Property(tries = TRIES)
    void patchMatchGivesAdmissibleMatches(@ForAll @IntRange(min = 1, max = 3) int radius,
                                          @ForAll @IntRange(min = 1, max = 30) int h,
                                          @ForAll @IntRange(min = 1, max = 30) int w,
                                          @ForAll @IntRange(min = 0, max = 20) int h2Extra,
                                          @ForAll @IntRange(min = 0, max = 20) int w2Extra,
                                          @ForAll @IntRange(min = 0, max = 3) int iterations, @ForAll long seed) {
        int h2 = 2 * radius + 1 + h2Extra, w2 = 2 * radius + 1 + w2Extra;
        float[] mask = RandomTensors.uniform(seed + 2, h * w);
        try (Tensor a = ref.upload(Shape.of(3, h, w), RandomTensors.unit(seed, 3 * h * w));
             Tensor b = ref.upload(Shape.of(3, h2, w2), RandomTensors.unit(seed + 1, 3 * h2 * w2));
             Tensor m = ref.upload(Shape.of(1, h, w), mask); Tensor out = Poison.output(ref, Shape.of(1, h, w))) {
            ref.postProcess().patchMatch(a, b, m, radius, iterations, seed, out);
            float[] nnf = out.toArray();
            for (int p = 0; p < h * w; p++) {
                if (!(mask[p] > 0)) {
                    Assertions.assertEquals(-1, nnf[p], "left-out position " + p);
                    continue;
                }
                int px = p % w, py = p / w, q = (int) nnf[p], qx = q % w2, qy = q / w2;
                Assertions.assertEquals(q, nnf[p], "integer position at " + p);
                Assertions.assertTrue(q >= 0 && qx - Math.min(radius, px) >= 0 && qy - Math.min(radius, py) >= 0
                                && qx + Math.min(radius, w - 1 - px) < w2 && qy + Math.min(radius, h - 1 - py) < h2,
                        "p " + p + " matched " + q + ", its patch does not fit");
            }
        }
    }

    /**
     * Against itself, the identity has distance 0, and propagation spreads every exact match it
     * finds: nearly every position ends exact, and voting then gives the image back wherever every
     * patch covering a pixel is exact (elsewhere, close to it).
     */
    @Property(tries = TRIES)
    void patchMatchOfAnImageAgainstItselfIsTheIdentityAndVotingReproducesIt(
            @ForAll @IntRange(min = 16, max = 48) int h, @ForAll @IntRange(min = 16, max = 48) int w,
            @ForAll long seed) {
        Shape s = Shape.of(3, h, w);
        float[] image = texture(seed, h, w);
        try (Tensor img = ref.upload(s, image); Tensor nnf = Poison.output(ref, s.withChannels(1));
             Tensor voted = Poison.output(ref, s)) {
            ref.postProcess().patchMatch(img, img, null, RADIUS, ITERATIONS, seed, nnf);
            float[] field = nnf.toArray();
            int exactMatches = 0;
            for (int p = 0; p < field.length; p++) {
                exactMatches += field[p] == p ? 1 : 0;
            }
            Assertions.assertTrue(exactMatches >= 0.99 * field.length,
                    exactMatches + " of " + field.length + " positions matched themselves");
            ref.postProcess().vote(nnf, img, RADIUS, voted);
            float[] v = voted.toArray();
            double error = 0;
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < s.plane(); p++) {
                    double e = Math.abs(v[c * s.plane() + p] - image[c * s.plane() + p]);
                    error += e;
                    if (coveredByExactPatches(field, h, w, p)) {
                        Assertions.assertEquals(image[c * s.plane() + p], v[c * s.plane() + p], 1e-6, "pixel " + p);
                    }
                }
            }
            Assertions.assertTrue(error / s.size() < 1e-3, "mean voting error " + error / s.size());
        }
    }

    private static boolean coveredByExactPatches(float[] field, int h, int w, int p) {
        int px = p % w, py = p / w;
        for (int y = Math.max(0, py - RADIUS); y <= Math.min(h - 1, py + RADIUS); y++) {
            for (int x = Math.max(0, px - RADIUS); x <= Math.min(w - 1, px + RADIUS); x++) {
                if (field[y * w + x] != y * w + x) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Every patch of the identity field puts the image's own pixels back where they were. */
    @Property(tries = TRIES)
    void votingTheIdentityFieldReproducesTheImage(@ForAll @IntRange(min = 1, max = 4) int c,
                                                  @ForAll @IntRange(min = 1, max = 20) int h,
                                                  @ForAll @IntRange(min = 1, max = 20) int w,
                                                  @ForAll @IntRange(min = 0, max = 4) int radius, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        float[] image = RandomTensors.uniform(seed, s.size()), identity = new float[s.plane()];
        for (int p = 0; p < identity.length; p++) {
            identity[p] = p;
        }
        try (Tensor img = ref.upload(s, image); Tensor nnf = ref.upload(s.withChannels(1), identity);
             Tensor out = Poison.output(ref, s)) {
            ref.postProcess().vote(nnf, img, radius, out);
            Compare.close(image, out.toArray(), 0, 1e-6, "vote of the identity " + s);
        }
    }

    /**
     * a is b cropped at (sx, sy): a(p) = b(p + s), and p + s is admissible for every p (a's
     * clipped patch lies in b there), with distance 0. PatchMatch must find it nearly everywhere.
     */
    @Property(tries = TRIES)
    void patchMatchFindsAShiftedCopy(@ForAll @IntRange(min = 24, max = 48) int h2,
                                     @ForAll @IntRange(min = 24, max = 48) int w2,
                                     @ForAll @IntRange(min = 0, max = 12) int sx,
                                     @ForAll @IntRange(min = 0, max = 12) int sy, @ForAll long seed) {
        float[] b = texture(seed, h2, w2);
        int h = h2 - sy, w = w2 - sx;
        float[] a = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    a[(c * h + y) * w + x] = b[(c * h2 + y + sy) * w2 + x + sx];
                }
            }
        }
        try (Tensor at = ref.upload(Shape.of(3, h, w), a); Tensor bt = ref.upload(Shape.of(3, h2, w2), b);
             Tensor nnf = Poison.output(ref, Shape.of(1, h, w))) {
            ref.postProcess().patchMatch(at, bt, null, RADIUS, ITERATIONS, seed, nnf);
            float[] field = nnf.toArray();
            int found = 0;
            for (int p = 0; p < field.length; p++) {
                found += field[p] == (p / w + sy) * w2 + p % w + sx ? 1 : 0;
            }
            Assertions.assertTrue(found >= 0.99 * field.length,
                    found + " of " + field.length + " positions found the shifted copy (" + sx + ", " + sy + ")");
        }
    }
}
