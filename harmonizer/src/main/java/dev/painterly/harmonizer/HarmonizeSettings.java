package dev.painterly.harmonizer;

/**
 * What a job may choose: working size (longer side), L-BFGS iterations of each pass, the
 * painting's stylization level s (1 realistic .. 10 strongly stylised), the radius used to
 * derive a loose mask from the tight one when none is given (null: {@link #defaultLooseRadius}),
 * whether to post-process pass 2's result ({@link PostProcess}) and the seed of its PatchMatch.
 */
public record HarmonizeSettings(int size, int pass1Iterations, int pass2Iterations, double styleLevel,
                                Integer looseMaskRadius, boolean postprocess, long seed) {

    public static final int DEFAULT_SIZE = 700;
    public static final int DEFAULT_ITERATIONS = 1000;
    public static final double DEFAULT_STYLE_LEVEL = 5;

    /**
     * Disc radius of the dilation at 700 px, the reference data's working size: in nine of the ten
     * published examples a 9-10 px square dilation of the tight mask covers 99% of the shipped
     * loose mask (one uses 24 px); a 12 px disc covers about as much.
     */
    public static final int LOOSE_RADIUS_AT_700 = 12;

    public HarmonizeSettings {
        if (size < 16) {
            throw new IllegalArgumentException("--size must be at least 16, got " + size);
        }
        if (pass1Iterations < 0 || pass2Iterations < 0) {
            throw new IllegalArgumentException("iterations must not be negative");
        }
        if (!(styleLevel >= 0 && styleLevel <= 100)) {
            throw new IllegalArgumentException("style level must be between 0 and 100, got " + styleLevel);
        }
    }

    /** With post-processing (the default) and seed 0. */
    public HarmonizeSettings(int size, int pass1Iterations, int pass2Iterations, double styleLevel,
                             Integer looseMaskRadius) {
        this(size, pass1Iterations, pass2Iterations, styleLevel, looseMaskRadius, true, 0);
    }

    /** The dilation radius scaled with the working size: 12 px at 700 px. */
    public static int defaultLooseRadius(int size) {
        return Math.max(1, (int) Math.round(LOOSE_RADIUS_AT_700 * size / 700.0));
    }

    public int looseRadius() {
        return looseMaskRadius != null ? looseMaskRadius : defaultLooseRadius(size);
    }
}
