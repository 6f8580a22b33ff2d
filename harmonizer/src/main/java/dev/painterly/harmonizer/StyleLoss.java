package dev.painterly.harmonizer;

import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.Columns;
import dev.painterly.engine.ops.GatherColumns;
import dev.painterly.engine.ops.Gram;
import dev.painterly.engine.ops.MaskMultiply;
import dev.painterly.engine.ops.MeanSquaredError;

/**
 * Style loss: G = Gram(F * m) / (C * sum(m)), loss weight * MSE(G, T). In pass 2
 * ("restricted") the own gradient is the derivative with respect to F, so masked by m. In pass 1
 * it is the derivative with respect to F * m, as the reference takes it: the layer's mask then
 * multiplies the sum of gradients at the layer once, not twice.
 *
 * <p>The Gram matrix reads only the positions where m is not 0 ({@link Columns}): in pass 2 the
 * columns of F weighted by m, in pass 1 those of F * m as they are. The columns m zeroes add
 * nothing to G and get a gradient of 0 either way, so this is the same loss and gradient, up to
 * the order of float sums, for less work: most of a window's positions lie off its mask.
 */
public final class StyleLoss implements LayerLoss {

    private final String layer;
    private final Tensor target;
    private final Tensor mask;
    private final double scale;
    private final double weight;
    private final boolean restricted;
    private final Columns columns;

    /**
     * @param target  T_L, 1 x C x C (this loss takes ownership, and closes it if it throws)
     * @param mask    m_L, 1 x H x W (the caller keeps it; read once here for its support)
     * @param maskSum sum of m_L
     */
    public StyleLoss(String layer, Tensor target, Tensor mask, double maskSum, double weight, boolean restricted) {
        this.layer = layer;
        this.target = target;
        this.mask = mask;
        this.scale = 1.0 / (target.shape().height() * Math.max(maskSum, 1e-8));
        this.weight = weight;
        this.restricted = restricted;
        try {
            this.columns = Columns.of(mask, restricted);
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
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

    /** Pass 2: the activation F; pass 1: F * m. */
    @Override
    public Var input(Tape tape, Tensor activation) {
        if (restricted) {
            return tape.leaf(activation);
        }
        return tape.leaf(MaskMultiply.apply(tape.constant(activation), tape.constant(mask)).value());
    }

    /** Of F in pass 2, of F * m (masked already) in pass 1. */
    @Override
    public Var loss(Var features) {
        Var masked = GatherColumns.apply(features, columns);
        return MeanSquaredError.apply(Gram.apply(masked, scale), features.tape().constant(target));
    }

    @Override
    public void close() {
        target.close();
        columns.close();
    }
}
