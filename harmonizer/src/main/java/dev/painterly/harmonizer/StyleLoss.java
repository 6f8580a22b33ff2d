package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.Columns;
import dev.painterly.engine.ops.Gram;
import dev.painterly.engine.ops.MaskMultiply;
import dev.painterly.engine.ops.MeanSquaredError;

/**
 * Style loss: G = Gram(F * m) / (C * sum(m)), loss weight * MSE(G, T). In pass 2
 * ("restricted") the own gradient is the derivative with respect to F, so masked by m. In pass 1
 * it is the derivative with respect to F * m, as the reference takes it: the layer's mask then
 * multiplies the sum of gradients at the layer once, not twice.
 *
 * <p>It reads only the columns where m is not 0 ({@link Columns}), F_s, with m_s the mask there:
 * G = Gram(F_s * m_s) / (C * sum(m)). The columns m zeroes add nothing to G and get a gradient of
 * 0 either way, so this is the same loss and gradient, up to the order of float sums, for less
 * work: most of a window's positions lie off its mask. Pass 2 takes the gradient with respect to
 * F_s, through the product with m_s; pass 1 with respect to F_s * m_s.
 */
public final class StyleLoss implements LayerLoss {

    private final String layer;
    private final Tensor target;
    private final double scale;
    private final double weight;
    private final boolean restricted;
    private final Columns columns;
    /** m_s, 1 x 1 x m: the mask on the columns, a mask of the C x 1 x m map F_s. */
    private final Tensor maskColumns;

    /**
     * @param target  T_L, 1 x C x C (this loss takes ownership, and closes it if it throws)
     * @param mask    m_L, 1 x H x W (the caller keeps it; read here for its support and values)
     * @param maskSum sum of m_L
     */
    public StyleLoss(String layer, Tensor target, Tensor mask, double maskSum, double weight, boolean restricted) {
        this.layer = layer;
        this.target = target;
        this.scale = 1.0 / (target.shape().height() * Math.max(maskSum, 1e-8));
        this.weight = weight;
        this.restricted = restricted;
        Columns c = null;
        try {
            c = Columns.of(mask);
            this.maskColumns = c.gather(mask);
        } catch (RuntimeException e) {
            target.close();
            if (c != null) {
                c.close();
            }
            throw e;
        }
        this.columns = c;
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String term() {
        return "style_" + layer;
    }

    @Override
    public double weight() {
        return weight;
    }

    @Override
    public Columns columns() {
        return columns;
    }

    /** Pass 2: F_s; pass 1: F_s * m_s. */
    @Override
    public Var input(Tape tape, Tensor activation) {
        if (restricted) {
            return LayerLoss.super.input(tape, activation);
        }
        Device d = activation.device();
        Tensor f = columns.gather(activation);
        try {
            d.elementwise().maskMultiply(f, maskColumns, f);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        return tape.ownedLeaf(f);
    }

    /** Of F_s in pass 2, of F_s * m_s (masked already) in pass 1. */
    @Override
    public Var loss(Var features) {
        Var masked = restricted ? MaskMultiply.apply(features, features.tape().constant(maskColumns)) : features;
        return MeanSquaredError.apply(Gram.apply(masked, scale), features.tape().constant(target));
    }

    @Override
    public void close() {
        target.close();
        columns.close();
        maskColumns.close();
    }
}
