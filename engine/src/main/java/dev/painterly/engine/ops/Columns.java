package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.FloatPositions;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Gather;

import java.util.Arrays;

/**
 * The plane positions of a C x H x W map where a mask is not 0, each with a weight (the mask's
 * value, or 1), on the device as the segments of {@link Gather#gatherColumns}: what
 * {@link GatherColumns} reads. A Gram matrix of a masked map over these alone skips the columns
 * the mask zeroes, which on a pass's window are most of them.
 */
public final class Columns implements AutoCloseable {

    /**
     * The longest segment, in floats: short enough that a map's segments and channels make many
     * work-items, long enough that each moves a contiguous stretch.
     */
    static final int MAX_SEGMENT = 1024;

    private final Tensor segments;
    private final Tensor weights;
    /** The plane they tile, 1 x H x W: the device cannot check a map against segments it holds. */
    private final Shape plane;

    private Columns(Tensor segments, Tensor weights, Shape plane) {
        this.segments = segments;
        this.weights = weights;
        this.plane = plane;
    }

    /**
     * The positions where {@code mask} (1 x H x W, read once from its device) is not 0, weighted
     * by its values there, or by 1 unless {@code weighted}. A mask that is 0 everywhere gives one
     * column, at position 0, of weight 0, which adds nothing: no tensor is empty.
     */
    public static Columns of(Tensor mask, boolean weighted) {
        if (mask.shape().channels() != 1) {
            throw new IllegalArgumentException("a mask is 1 x H x W, got " + mask.shape());
        }
        if (mask.shape().plane() > FloatPositions.MAX) {
            throw new IllegalArgumentException("plane positions of " + mask.shape() + " are not exact as floats: at most 2^24");
        }
        float[] m = mask.toArray();
        float[] w = new float[Math.max(taken(m), 1)];
        int i = 0;
        for (float v : m) {
            if (v != 0) {
                w[i++] = weighted ? v : 1;
            }
        }
        if (i == 0) {
            m[0] = Float.MIN_VALUE;
        }
        Device d = mask.device();
        float[] s = segments(m);
        Tensor st = d.upload(Shape.vector(s.length), s);
        try {
            return new Columns(st, d.upload(Shape.vector(w.length), w), mask.shape());
        } catch (RuntimeException e) {
            st.close();
            throw e;
        }
    }

    /** How many positions of {@code mask} are not 0: the columns its segments take. */
    public static int taken(float[] mask) {
        int count = 0;
        for (float v : mask) {
            if (v != 0) {
                count++;
            }
        }
        return count;
    }

    /**
     * The segments that tile a plane of positions, in order: three floats each, the first
     * position, the first column (counting the positions where {@code mask} is not 0, in order)
     * or -1 for a stretch where it is 0, and the length, at most {@link #MAX_SEGMENT}.
     */
    public static float[] segments(float[] mask) {
        float[] out = new float[3 * (mask.length + MAX_SEGMENT - 1) / MAX_SEGMENT * 2 + 3];
        int n = 0, column = 0;
        for (int p = 0; p < mask.length; ) {
            boolean taken = mask[p] != 0;
            int length = 1;
            while (p + length < mask.length && length < MAX_SEGMENT && (mask[p + length] != 0) == taken) {
                length++;
            }
            if (n + 3 > out.length) {
                out = Arrays.copyOf(out, 2 * out.length);
            }
            out[n++] = p;
            out[n++] = taken ? column : -1;
            out[n++] = length;
            if (taken) {
                column += length;
            }
            p += length;
        }
        return Arrays.copyOf(out, n);
    }

    /** How many columns: m. */
    public int count() {
        return weights.size();
    }

    /** A C x H x W map of the plane they were made for: the kernels trust the segments to fit it. */
    void checkFits(Tensor map) {
        if (map.shape().height() != plane.height() || map.shape().width() != plane.width()) {
            throw new IllegalArgumentException("columns of a " + plane.height() + " x " + plane.width()
                    + " plane read from a map of " + map.shape());
        }
    }

    Tensor segments() {
        return segments;
    }

    Tensor weights() {
        return weights;
    }

    @Override
    public void close() {
        segments.close();
        weights.close();
    }
}
