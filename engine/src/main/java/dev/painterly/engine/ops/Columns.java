package dev.painterly.engine.ops;

import dev.painterly.engine.Check;
import dev.painterly.engine.Device;
import dev.painterly.engine.FloatPositions;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Gather;

import java.util.Arrays;

/**
 * The plane positions of a C x H x W map where a mask is not 0, on the device as the segments of
 * {@link Gather#gatherColumns}. A loss module whose mask zeroes most of a pass's window reads
 * only these columns of its layer ({@link #gather}), and its own gradient, 0 on the other
 * columns, stays on these until it joins the network's ({@link GradientTransform.AddColumns}).
 */
public final class Columns implements AutoCloseable {

    /**
     * The longest segment, in floats: short enough that a map's segments and channels make many
     * work-items, long enough that each moves a contiguous stretch.
     */
    static final int MAX_SEGMENT = 1024;

    private final Tensor segments;
    private final int count;
    /** The plane they tile, 1 x H x W: the device cannot check a map against segments it holds. */
    private final Shape plane;

    private Columns(Tensor segments, int count, Shape plane) {
        this.segments = segments;
        this.count = count;
        this.plane = plane;
    }

    /**
     * The positions where {@code mask} (1 x H x W, read once from its device) is not 0. A mask
     * that is 0 everywhere gives one column, at position 0, as no tensor is empty: the mask
     * gathered there is 0, and its users weigh the column by that.
     */
    public static Columns of(Tensor mask) {
        if (mask.shape().channels() != 1) {
            throw new IllegalArgumentException("a mask is 1 x H x W, got " + mask.shape());
        }
        return of(mask.device(), mask.shape(), mask.toArray());
    }

    /** As {@link #of(Tensor)}, for a mask of the plane {@code plane} (1 x H x W) held on the host. */
    public static Columns of(Device device, Shape plane, float[] mask) {
        if (plane.channels() != 1 || mask.length != plane.size()) {
            throw new IllegalArgumentException("a mask of " + mask.length + " values for a plane of " + plane);
        }
        if (plane.plane() > FloatPositions.MAX) {
            throw new IllegalArgumentException("plane positions of " + plane + " are not exact as floats: at most 2^24");
        }
        float[] m = mask.clone();
        int taken = taken(m);
        if (taken == 0) {
            m[0] = Float.MIN_VALUE;
        }
        float[] s = segments(m);
        return new Columns(device.upload(Shape.vector(s.length), s), Math.max(taken, 1), plane);
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
        return count;
    }

    /** The columns of {@code map} (C x H x W, of the plane these were made for), as a new C x 1 x m map. */
    public Tensor gather(Tensor map) {
        checkFits(map);
        Device d = map.device();
        Tensor out = d.allocate(Shape.of(map.shape().channels(), 1, count));
        try {
            d.gather().gatherColumns(map, segments, out);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    /** {@code compact} (C x 1 x m) at its columns of a new C x H x W map, 0 at every other position. */
    public Tensor scatter(Tensor compact) {
        checkColumns(compact);
        Device d = compact.device();
        Tensor out = d.allocate(plane.withChannels(compact.shape().channels()));
        try {
            d.gather().scatterColumns(compact, segments, out);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    /** A C x 1 x m map of these columns: the kernels trust the segments to fit it. */
    void checkColumns(Tensor compact) {
        Check.shape(compact, Shape.of(compact.shape().channels(), 1, count), "columns");
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

    @Override
    public void close() {
        segments.close();
    }
}
