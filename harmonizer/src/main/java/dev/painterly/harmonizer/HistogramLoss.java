package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.MeanSquaredError;


/**
 * Histogram loss of pass 2 at one layer: the current features at the positions with m_L &gt; 0.1
 * are remapped through the target histogram to R ({@link HistogramRemap}) on the device, whose
 * table of what each rank maps to goes up once at construction, and the loss is
 * weight * MSE(F * s, R) with s the selection (1 at those positions, 0 elsewhere) and R 0 off
 * them. That is MSE(F, R') with R' = R at the positions and F elsewhere, which is what
 * {@link #loss} computes: no mask to apply either way. R' is held fixed (R moves only when a rank
 * does). The reference's own gradient is F - R at the positions, not the MSE's 2 (F - R) / n:
 * the own gradient is n / 2 times the loss's ({@link #gradientScale}) so that pass 2 normalises
 * the reference's vector, whose norm the 1e-8 of the normalisation sees (docs/algorithm.md
 * section 2). On an {@link OptimizationWindow} n is still the whole layer's.
 */
public final class HistogramLoss implements LayerLoss {

    private final String layer;
    /** The positions as floats and the rank table, C x m; both null where m = 0 (no tensor is empty). */
    private final Tensor positions;
    private final Tensor table;
    private final double weight;
    private final double count;

    /**
     * @param mask  m_L, whose positions above 0.1 are remapped
     * @param count the layer's elements n, C x H x W of the whole layer when mask is a window of it
     */
    public HistogramLoss(String layer, HistogramTarget target, Mask mask, double weight, double count, Device device) {
        this.layer = layer;
        this.count = count;
        int[] at = positions(mask);
        float[] indices = new float[at.length];
        for (int i = 0; i < at.length; i++) {
            indices[i] = at[i];
        }
        this.positions = at.length == 0 ? null : device.upload(Shape.vector(at.length), indices);
        this.table = at.length == 0 ? null
                : device.upload(Shape.vector(target.channels() * at.length), HistogramRemap.table(target, at.length));
        this.weight = weight;
    }

    /** The positions where a mask exceeds 0.1, ascending. */
    static int[] positions(Mask m) {
        int[] out = new int[m.count(0.1f)];
        int k = 0;
        float[] v = m.values();
        for (int i = 0; i < v.length; i++) {
            if (v[i] > 0.1f) {
                out[k++] = i;
            }
        }
        return out;
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String term() {
        return "hist_" + layer;
    }

    @Override
    public double weight() {
        return weight;
    }

    /** n / 2: the own gradient is then F - R at the positions, as the reference's. */
    @Override
    public double gradientScale() {
        return count / 2;
    }

    /** MSE(F, R') over the layer's n elements: the loss's value, with gradient 2 (F - R) / n at the positions, 0 elsewhere. */
    @Override
    public Var loss(Var features) {
        Tensor f = features.value();
        Tensor remapped = f.device().allocate(f.shape());
        try {
            if (positions == null) {
                f.device().copy(f, remapped);
            } else {
                f.device().histogram().remap(f, positions, table, remapped);
            }
        } catch (RuntimeException e) {
            remapped.close();
            throw e;
        }
        return MeanSquaredError.apply(features, features.tape().ownedConstant(remapped), count);
    }

    @Override
    public void close() {
        if (positions != null) {
            positions.close();
            table.close();
        }
    }
}
