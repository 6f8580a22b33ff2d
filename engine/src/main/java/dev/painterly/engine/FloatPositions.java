package dev.painterly.engine;

/**
 * Kernels take positions (indices into a tensor, or into a map's plane) as floats, which hold
 * every integer up to 2^24 exactly: the one bound that every op family taking positions checks.
 */
public final class FloatPositions {

    /** The most entries that positions stored as floats may index: 2^24. */
    public static final int MAX = 1 << 24;

    private FloatPositions() {
    }
}
