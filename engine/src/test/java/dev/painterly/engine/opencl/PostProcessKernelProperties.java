package dev.painterly.engine.opencl;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.testing.AgainstReference;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.Random;

/**
 * The kernels of post_process.cl against PostProcessReference (float32 mode) on random shapes, every
 * output poisoned first.
 *
 * <p>Tolerances. patchMatch must agree exactly: its distances are integers and its random numbers
 * integer hashes on both devices, so any difference is a bug. vote averages at most (2r+1)^2
 * values in [-1, 1] in float where the reference sums in double: atol 1e-5. guidedFilter solves a
 * 3x3 system whose matrix has eigenvalues at least eps: the float rounding of the window moments
 * (about 1e-7) is amplified by up to 1/eps, on top of the rounding of the sums themselves, and the
 * input scales everything: atol = (1e-6 + 1e-7 / eps) * max|input|, 1.1e-5 of the input's range at
 * the post-processing's eps = 0.01 (measured worst: 1.3e-7 and 5.4e-6 at eps 0.1 and 0.001, and
 * 3.6e-6 at eps 0.01 on a 2x1x2 image, whose one-pixel-high windows have almost no variance).
 */
class PostProcessKernelProperties {

    private static final int TRIES = 25;

    private final Device cl = TestDevices.openCl();

    /** Colours mostly in [0, 1], a tenth of them up to 0.2 outside it (clamped by patchMatch). */
    static float[] colours(long seed, int n) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(10) == 0 ? (float) (1.4 * r.nextDouble() - 0.2) : r.nextFloat();
        }
        return v;
    }

    @Property(tries = TRIES)
    void guidedFilterAgainstReference(@ForAll @IntRange(min = 1, max = 3) int c,
                                      @ForAll @IntRange(min = 1, max = 20) int h,
                                      @ForAll @IntRange(min = 1, max = 20) int w,
                                      @ForAll @IntRange(min = 0, max = 3) int radius,
                                      @ForAll @IntRange(min = 1, max = 3) int epsExponent, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        double eps = Math.pow(10, -epsExponent);
        float[] input = RandomTensors.uniform(seed, s.size());
        float scale = 1 + new Random(seed).nextInt(100);
        for (int i = 0; i < input.length; i++) {
            input[i] *= scale;
        }
        try (AgainstReference run = new AgainstReference(cl)
                .input(s.withChannels(3), RandomTensors.unit(seed + 1, 3 * s.plane())).input(s, input)) {
            run.check((d, in, out) -> d.postProcess().guidedFilter(in[0], in[1], radius, eps, out), s, 0,
                    (1e-6 + 1e-7 / eps) * Compare.maxAbs(input), "guidedFilter " + s + " r " + radius + " eps " + eps);
        }
    }

    /** A query mask: 40% left out (half of them exact zeros, half negative), the rest in (0, 1]. */
    static float[] queryMask(long seed, int n) {
        Random r = new Random(seed);
        float[] m = new float[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            m[i] = u < 0.2 ? 0 : u < 0.4 ? -r.nextFloat() : 1 - r.nextFloat();
        }
        return m;
    }

    @Property(tries = TRIES)
    void patchMatchAgainstReference(@ForAll @IntRange(min = 1, max = 4) int c,
                                    @ForAll @IntRange(min = 1, max = 3) int radius,
                                    @ForAll @IntRange(min = 1, max = 24) int h,
                                    @ForAll @IntRange(min = 1, max = 24) int w,
                                    @ForAll @IntRange(min = 0, max = 17) int h2Extra,
                                    @ForAll @IntRange(min = 0, max = 17) int w2Extra,
                                    @ForAll @IntRange(min = 0, max = 4) int iterations, @ForAll boolean masked,
                                    @ForAll long seed) {
        Shape as = Shape.of(c, h, w), bs = Shape.of(c, 2 * radius + 1 + h2Extra, 2 * radius + 1 + w2Extra);
        try (AgainstReference run = new AgainstReference(cl).input(as, colours(seed, as.size()))
                .input(bs, colours(seed + 1, bs.size()))) {
            if (masked) {
                run.input(as.withChannels(1), queryMask(seed + 2, as.plane()));
            } else {
                run.noInput();
            }
            run.check((d, in, nnf) -> d.postProcess().patchMatch(in[0], in[1], in[2], radius, iterations, seed, nnf),
                    as.withChannels(1), 0, 0,
                    "patchMatch " + as + " to " + bs + " r " + radius + ", " + iterations + " iterations");
        }
    }

    /** Few colour levels make many exact distance ties, which must resolve alike (first wins). */
    @Property(tries = TRIES)
    void patchMatchTiesAgainstReference(@ForAll @IntRange(min = 8, max = 24) int h,
                                        @ForAll @IntRange(min = 8, max = 24) int w,
                                        @ForAll @IntRange(min = 1, max = 3) int iterations,
                                        @ForAll @LongRange(min = 0, max = 1000) long seed) {
        Shape s = Shape.of(3, h, w);
        float[] a = colours(seed, s.size()), b = colours(seed + 1, s.size());
        for (int i = 0; i < a.length; i++) {
            a[i] = a[i] < 0.5f ? 0 : 1;
            b[i] = b[i] < 0.5f ? 0 : 1;
        }
        try (AgainstReference run = new AgainstReference(cl).input(s, a).input(s, b)) {
            run.check((d, in, nnf) -> d.postProcess().patchMatch(in[0], in[1], null, 1, iterations, seed, nnf),
                    s.withChannels(1), 0, 0, "patchMatch with ties " + s);
        }
    }

    /**
     * A field with 10% unmatched entries, 60% anywhere in b (some patches then reach outside b)
     * and 30% beyond b's last position (every vote of those falls outside).
     */
    private static float[] field(long seed, int n, int n2) {
        Random r = new Random(seed);
        float[] f = new float[n];
        for (int p = 0; p < n; p++) {
            double u = r.nextDouble();
            f[p] = u < 0.1 ? -1 : u < 0.7 ? r.nextInt(n2) : n2 + r.nextInt(n2);
        }
        return f;
    }

    @Property(tries = TRIES)
    void voteAgainstReference(@ForAll @IntRange(min = 1, max = 4) int c,
                              @ForAll @IntRange(min = 0, max = 3) int radius,
                              @ForAll @IntRange(min = 1, max = 20) int h, @ForAll @IntRange(min = 1, max = 20) int w,
                              @ForAll @IntRange(min = 1, max = 20) int h2, @ForAll @IntRange(min = 1, max = 20) int w2,
                              @ForAll long seed) {
        Shape as = Shape.of(c, h, w), bs = Shape.of(c, h2, w2);
        try (AgainstReference run = new AgainstReference(cl)
                .input(as.withChannels(1), field(seed, as.plane(), bs.plane()))
                .input(bs, RandomTensors.uniform(seed + 1, bs.size()))) {
            run.check((d, in, out) -> d.postProcess().vote(in[0], in[1], radius, out), as, 0, 1e-5,
                    "vote " + as + " from " + bs + " r " + radius);
        }
    }
}
