package dev.painterly.engine;

import dev.painterly.engine.device.PostProcess;

/**
 * Shape and argument checks of the post-processing ops ({@link PostProcess#guidedFilter},
 * {@link PostProcess#patchMatch}, {@link PostProcess#vote}), shared by the devices so that both
 * reject the same calls.
 */
public final class PostProcessChecks {

    /** Largest patch radius: a patch distance, at most 33^2 * 4 * 255^2, stays inside an int. */
    public static final int MAX_PATCH_RADIUS = 16;

    /** Largest iteration count: the iteration is part of a random stream's number (14 bits). */
    public static final int MAX_ITERATIONS = (1 << 14) - 1;

    private PostProcessChecks() {
    }

    public static void guidedFilter(Tensor guide, Tensor input, int radius, double eps, Tensor out) {
        Check.shape(guide, input.shape().withChannels(3), "guide");
        Check.sameShape(input, out);
        if (radius < 0) {
            throw new IllegalArgumentException("guided filter radius must not be negative, got " + radius);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("guided filter eps must be positive, got " + eps);
        }
    }

    public static void patchMatch(Tensor a, Tensor b, Tensor queryMask, int radius, int iterations, Tensor nnf) {
        int c = a.shape().channels();
        if (c < 1 || c > 4 || b.shape().channels() != c) {
            throw new IllegalArgumentException("patchMatch takes images of 1 to 4 channels alike, got "
                    + a.shape() + " and " + b.shape());
        }
        if (radius < 1 || radius > MAX_PATCH_RADIUS) {
            throw new IllegalArgumentException("patch radius must be in [1, " + MAX_PATCH_RADIUS + "], got " + radius);
        }
        if (b.shape().height() < 2 * radius + 1 || b.shape().width() < 2 * radius + 1) {
            throw new IllegalArgumentException("the target " + b.shape() + " is smaller than one patch of radius " + radius);
        }
        if (iterations < 0 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("patchMatch iterations must be in [0, " + MAX_ITERATIONS + "], got " + iterations);
        }
        positions(b.shape());
        if (queryMask != null) {
            Check.maskFor(a, queryMask);
        }
        Check.maskFor(a, nnf);
    }

    public static void vote(Tensor nnf, Tensor b, int radius, Tensor out) {
        Check.shape(nnf, nnf.shape().withChannels(1), "nnf");
        Check.shape(out, nnf.shape().withChannels(b.shape().channels()), "vote output");
        if (radius < 0 || radius > MAX_PATCH_RADIUS) {
            throw new IllegalArgumentException("patch radius must be in [0, " + MAX_PATCH_RADIUS + "], got " + radius);
        }
        positions(b.shape());
    }

    private static void positions(Shape map) {
        if (map.plane() > FloatPositions.MAX) {
            throw new IllegalArgumentException("map " + map + " has more positions than a float index holds exactly");
        }
    }
}
