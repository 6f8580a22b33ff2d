package dev.painterly.engine;

import dev.painterly.engine.device.PostProcess;

/**
 * The parts of {@link PostProcess#patchMatch}'s definition that every device shares: the propagation
 * steps and the counter-based random numbers. Every draw is a hash of (seed, stream, position), so
 * it does not depend on the order in which positions are visited and every device draws the same
 * numbers. The mixer is the "lowbias32" integer hash (C. Wellons' hash prospector); all arithmetic
 * is on 32-bit words, multiplication modulo 2^32.
 */
public final class PatchMatchRules {

    /**
     * Propagation passes per iteration, of steps 2^(PASSES-1) down to 1 (8, 4, 2, 1): a coherent
     * offset spreads by up to 15 px per iteration, and the last pass compares direct neighbours.
     */
    public static final int PROPAGATION_PASSES = 4;

    private PatchMatchRules() {
    }

    /** The step of propagation pass n (0-based) of an iteration. */
    public static int step(int pass) {
        return 1 << (PROPAGATION_PASSES - 1 - pass);
    }

    /** One bijective mix of a 32-bit word. */
    public static int hash(int x) {
        x ^= x >>> 16;
        x *= 0x7feb352d;
        x ^= x >>> 15;
        x *= 0x846ca68b;
        x ^= x >>> 16;
        return x;
    }

    /** The 32-bit key of a 64-bit seed: both halves mixed in. */
    public static int key(long seed) {
        return hash(hash((int) seed) ^ (int) (seed >>> 32));
    }

    /** The draw of a stream at a position, as an unsigned 32-bit word. */
    public static int draw(int key, int stream, int position) {
        return hash(hash(key ^ stream) ^ position);
    }

    /** A draw reduced to [0, n) as an unsigned remainder. */
    public static int below(int key, int stream, int position, int n) {
        return Integer.remainderUnsigned(draw(key, stream, position), n);
    }

    /** The stream of PatchMatch's initial field, per axis (0 = x, 1 = y). */
    public static int initStream(int axis) {
        return axis;
    }

    /**
     * The stream of random-search step j (radius max(W2, H2) &gt;&gt; j) of iteration i &gt;= 1, per
     * axis: i in the high bits, so no two (i, j, axis) and no init stream share a number.
     */
    public static int searchStream(int iteration, int step, int axis) {
        return (iteration << 6) | (step << 1) | axis;
    }
}
