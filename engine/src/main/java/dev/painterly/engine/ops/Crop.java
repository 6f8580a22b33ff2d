package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;

import java.util.Arrays;

/**
 * A rectangle of an H x W plane: {@link #cut} takes it out of a C x H x W map as a C x h x w map,
 * and {@link #place} puts a C x h x w map back at it in a new C x H x W map, 0 around it. It is the
 * {@link Columns} of the rectangle, its rows in order, so the cut is row-major like any map.
 *
 * <p>A backward pass whose gradient is 0 outside a rectangle computes a convolution's input
 * gradient on the rectangle alone ({@link Conv3x3Relu}). Made once, used by every evaluation.
 */
public final class Crop implements AutoCloseable {

    private final Columns columns;
    private final int height;
    private final int width;

    private Crop(Columns columns, int height, int width) {
        this.columns = columns;
        this.height = height;
        this.width = width;
    }

    /** Rows top..top+height-1 and columns left..left+width-1 of a planeHeight x planeWidth plane. */
    public static Crop of(Device device, int planeHeight, int planeWidth, int top, int left, int height, int width) {
        if (height < 1 || width < 1 || top < 0 || left < 0 || top + height > planeHeight || left + width > planeWidth) {
            throw new IllegalArgumentException("a crop of " + height + " x " + width + " at (" + top + ", " + left
                    + ") does not fit a plane of " + planeHeight + " x " + planeWidth);
        }
        float[] inside = new float[planeHeight * planeWidth];
        for (int y = top; y < top + height; y++) {
            Arrays.fill(inside, y * planeWidth + left, y * planeWidth + left + width, 1f);
        }
        return new Crop(Columns.of(device, Shape.of(1, planeHeight, planeWidth), inside), height, width);
    }

    /** The rectangle of {@code map} (C x H x W) as a new C x h x w map. */
    public Tensor cut(Tensor map) {
        return columns.gather(map).reshape(Shape.of(map.shape().channels(), height, width));
    }

    /** A new C x H x W map: {@code part} (C x h x w, taken over and closed) at the rectangle, 0 elsewhere. */
    public Tensor place(Tensor part) {
        if (part.shape().height() != height || part.shape().width() != width) {
            part.close();
            throw new IllegalArgumentException("a " + height + " x " + width + " crop cannot hold " + part.shape());
        }
        try (Tensor flat = part.reshape(Shape.of(part.shape().channels(), 1, height * width))) {
            return columns.scatter(flat);
        }
    }

    @Override
    public void close() {
        columns.close();
    }
}
