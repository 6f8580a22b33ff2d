package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Gather;

/**
 * The plane positions of a C x H x W map where a mask is not 0, each with a weight (the mask's
 * value, or 1), and each plane position's slot (its index among them, or -1), on the device: what
 * {@link GatherColumns} reads. A Gram matrix of a masked map over these alone skips the columns
 * the mask zeroes, which on a pass's window are most of them.
 */
public final class Columns implements AutoCloseable {

    private final Tensor positions;
    private final Tensor weights;
    private final Tensor slots;

    private Columns(Tensor positions, Tensor weights, Tensor slots) {
        this.positions = positions;
        this.weights = weights;
        this.slots = slots;
    }

    /**
     * The positions where {@code mask} (1 x H x W, read once from its device) is not 0, weighted
     * by its values there, or by 1 unless {@code weighted}. A mask that is 0 everywhere gives one
     * column of weight 0, which adds nothing: no tensor is empty.
     */
    public static Columns of(Tensor mask, boolean weighted) {
        if (mask.shape().channels() != 1) {
            throw new IllegalArgumentException("a mask is 1 x H x W, got " + mask.shape());
        }
        int plane = mask.shape().plane();
        if (plane > Gather.MAX_POSITION) {
            throw new IllegalArgumentException("plane positions of " + mask.shape() + " are not exact as floats: at most 2^24");
        }
        float[] m = mask.toArray();
        int count = 0;
        for (float v : m) {
            if (v != 0) {
                count++;
            }
        }
        int k = Math.max(count, 1);
        float[] positions = new float[k], weights = new float[k], slots = new float[plane];
        java.util.Arrays.fill(slots, -1);
        int i = 0;
        for (int p = 0; p < plane; p++) {
            if (m[p] != 0) {
                positions[i] = p;
                weights[i] = weighted ? m[p] : 1;
                slots[p] = i++;
            }
        }
        if (count == 0) {
            slots[0] = 0;
        }
        Device d = mask.device();
        Tensor pt = d.upload(Shape.vector(k), positions);
        Tensor wt = null;
        try {
            wt = d.upload(Shape.vector(k), weights);
            return new Columns(pt, wt, d.upload(mask.shape(), slots));
        } catch (RuntimeException e) {
            pt.close();
            if (wt != null) {
                wt.close();
            }
            throw e;
        }
    }

    /** How many columns: m. */
    public int count() {
        return positions.size();
    }

    Tensor positions() {
        return positions;
    }

    Tensor weights() {
        return weights;
    }

    Tensor slots() {
        return slots;
    }

    @Override
    public void close() {
        positions.close();
        weights.close();
        slots.close();
    }
}
