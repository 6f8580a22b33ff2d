package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.Columns;
import dev.painterly.engine.ops.MeanSquaredError;

/**
 * Histogram loss of pass 2 at one layer: the current features at the positions with m_L &gt; 0.1
 * are remapped through the target histogram to R ({@link HistogramRemap}) on the device, whose
 * table of what each rank maps to goes up once at construction, and the loss is
 * weight * MSE(F * s, R) with s the selection (1 at those positions, 0 elsewhere) and R 0 off
 * them. Off the positions both are 0, so it is computed on the positions' columns alone
 * ({@link #columns}): their features F_s, remapped to R_s, and MSE(F_s, R_s) over the whole
 * layer's n elements; the own gradient is on the positions too (0 elsewhere). R is
 * held fixed (it moves only when a rank does). The reference's own gradient is F - R at the
 * positions, not the MSE's 2 (F - R) / n: the own gradient is n / 2 times the loss's
 * ({@link #gradientScale}) so that pass 2 normalises the reference's vector, whose norm the 1e-8
 * of the normalisation sees (docs/algorithm.md section 2). On an {@link OptimizationWindow} n is
 * still the whole layer's.
 */
public final class HistogramLoss implements LayerLoss {

    private final String layer;
    /** The positions' columns. */
    private final Columns selection;
    /** 0 .. m-1 as floats, every column of F_s, and the rank table, C x m; both null where m = 0 (no tensor is empty). */
    private final Tensor ranked;
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
        this.weight = weight;
        int m = mask.count(0.1f);
        float[] all = new float[m];
        for (int i = 0; i < m; i++) {
            all[i] = i;
        }
        try (Tensor selected = mask.threshold(0.1f).upload(device)) {
            this.selection = Columns.of(selected);
        }
        Tensor r = null, t = null;
        try {
            if (m > 0) {
                r = device.upload(Shape.vector(m), all);
                t = device.upload(Shape.vector(target.channels() * m), HistogramRemap.table(target, m));
            }
        } catch (RuntimeException e) {
            selection.close();
            if (r != null) {
                r.close();
            }
            throw e;
        }
        this.ranked = r;
        this.table = t;
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

    /** The positions' columns. */
    @Override
    public Columns columns() {
        return selection;
    }

    /** MSE(F_s, R_s) over the layer's n elements: the loss's value, with gradient 2 (F_s - R_s) / n. */
    @Override
    public Var loss(Var selected) {
        Tensor f = selected.value();
        Tensor remapped = f.device().allocate(f.shape());
        try {
            if (ranked == null) {
                f.device().copy(f, remapped);
            } else {
                f.device().histogram().remap(f, ranked, table, remapped);
            }
        } catch (RuntimeException e) {
            remapped.close();
            throw e;
        }
        return MeanSquaredError.apply(selected, selected.tape().ownedConstant(remapped), count);
    }

    @Override
    public void close() {
        selection.close();
        if (ranked != null) {
            ranked.close();
            table.close();
        }
    }
}
