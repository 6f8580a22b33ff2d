package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.Columns;
import dev.painterly.engine.ops.MaskMultiply;
import dev.painterly.engine.ops.MeanSquaredError;

/**
 * Content loss, weight * MSE against the composite's features. Pass 1 compares unmasked
 * features; pass 2 ("restricted") compares F * m with F_composite * m, so its gradient is masked
 * by m as well. Both products are 0 where m is, so pass 2 reads only the columns where it is not
 * ({@link Columns}): MSE(F_s * m_s, F_composite,s * m_s), the same sum over the same count. On an
 * {@link OptimizationWindow} the mean is still the whole layer's.
 */
public final class ContentLoss implements LayerLoss {

    private final String layer;
    private final Tensor target;
    private final double weight;
    private final double count;
    /** Pass 2's columns and the mask on them, 1 x 1 x m; both null in pass 1. */
    private final Columns columns;
    private final Tensor maskColumns;

    /**
     * @param target the composite's features at the layer (this loss takes ownership)
     * @param mask   m_L (1 x H x W; the caller keeps it), used when restricted
     * @param count  the elements the mean is over: the whole layer's, C x H x W, when target is a window of it
     */
    public ContentLoss(String layer, Tensor target, Tensor mask, double weight, boolean restricted, double count) {
        this.layer = layer;
        this.count = count;
        this.weight = weight;
        if (!restricted) {
            this.target = target;
            this.columns = null;
            this.maskColumns = null;
            return;
        }
        Device device = target.device();
        Columns c = null;
        Tensor m = null, t = null;
        try {
            c = Columns.of(mask);
            m = c.gather(mask);
            t = c.gather(target);
            device.elementwise().maskMultiply(t, m, t);
        } catch (RuntimeException e) {
            if (t != null) {
                t.close();
            }
            if (m != null) {
                m.close();
            }
            if (c != null) {
                c.close();
            }
            throw e;
        } finally {
            target.close();
        }
        this.columns = c;
        this.maskColumns = m;
        this.target = t;
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String term() {
        return "content";
    }

    @Override
    public double weight() {
        return weight;
    }

    @Override
    public Columns columns() {
        return columns;
    }

    @Override
    public Var loss(Var features) {
        Var compared = columns == null ? features : MaskMultiply.apply(features, features.tape().constant(maskColumns));
        return MeanSquaredError.apply(compared, features.tape().constant(target), count);
    }

    @Override
    public void close() {
        target.close();
        if (columns != null) {
            columns.close();
            maskColumns.close();
        }
    }
}
