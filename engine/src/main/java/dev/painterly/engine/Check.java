package dev.painterly.engine;

import dev.painterly.engine.device.Gather;

/** Shape checks shared by the ops: a mismatch is a programming error, reported with both shapes. */
public final class Check {

    private Check() {
    }

    public static void sameShape(Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("shape mismatch: " + a.shape() + " vs " + b.shape());
        }
    }

    public static void sameSize(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("size mismatch: " + a.shape() + " vs " + b.shape());
        }
    }

    public static void shape(Tensor t, Shape expected, String what) {
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(what + " must be " + expected + ", got " + t.shape());
        }
    }

    public static void size(Tensor t, int expected, String what) {
        if (t.size() != expected) {
            throw new IllegalArgumentException(what + " must have " + expected + " elements, got " + t.shape());
        }
    }

    /**
     * Positions (m of them, as floats) into a tensor of which each is exact: the tensor has at most
     * {@link FloatPositions#MAX} elements.
     */
    public static void positions(Tensor positions, Tensor whole, int m) {
        if (positions.size() != m) {
            throw new IllegalArgumentException("positions must have " + m + " elements, got " + positions.shape());
        }
        if (whole.size() > FloatPositions.MAX) {
            throw new IllegalArgumentException("positions into " + whole.shape() + " are not exact as floats: at most 2^24 elements");
        }
    }

    /**
     * The columns of a C x H x W map at m plane positions as a C x 1 x m map, the positions as
     * segments of three floats (see {@link Gather#gatherColumns}), the plane's indices exact as
     * floats.
     */
    public static void columns(Tensor map, Tensor segments, Tensor compact) {
        if (segments.size() % 3 != 0) {
            throw new IllegalArgumentException("column segments are three floats each, got " + segments.shape());
        }
        shape(compact, Shape.of(map.shape().channels(), 1, compact.shape().width()), "columns");
        if (map.shape().plane() > FloatPositions.MAX) {
            throw new IllegalArgumentException("plane positions into " + map.shape() + " are not exact as floats: at most 2^24 per plane");
        }
    }

    /** A matrix of count rows of n floats (see {@link Device#dots}): at least count * n elements. */
    public static void rows(Tensor rows, int count, int n) {
        if (count < 0 || (long) count * n > rows.size()) {
            throw new IllegalArgumentException(count + " rows of " + n + " floats do not fit in " + rows.shape());
        }
    }

    /** The 1 to 3 vectors of {@link Device#dots}: of one size, against count rows of that size. */
    public static void dotsOperands(Tensor rows, int count, Tensor... vectors) {
        if (vectors.length < 1 || vectors.length > 3) {
            throw new IllegalArgumentException("dots takes 1 to 3 vectors, got " + vectors.length);
        }
        for (Tensor v : vectors) {
            sameSize(vectors[0], v);
        }
        rows(rows, count, vectors[0].size());
    }

    /** The mask of a C x H x W map: 1 x H x W. */
    public static void maskFor(Tensor x, Tensor mask) {
        shape(mask, x.shape().withChannels(1), "mask");
    }

    /** The output shape of 2x2 stride-2 max pooling in ceil mode. */
    public static Shape pooled(Shape s) {
        return new Shape(s.channels(), (s.height() + 1) / 2, (s.width() + 1) / 2);
    }

    public static void sameDevice(Tensor... ts) {
        Device d = ts[0].device();
        for (Tensor t : ts) {
            if (t != null && t.device() != d) {
                throw new IllegalArgumentException("tensors on different devices: " + d.name() + " vs " + t.device().name());
            }
        }
    }
}
