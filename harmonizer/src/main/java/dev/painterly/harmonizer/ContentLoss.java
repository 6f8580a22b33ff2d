package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.MaskMultiply;
import dev.painterly.engine.ops.MeanSquaredError;

/**
 * Content loss, weight * MSE against the composite's features. Pass 1 compares unmasked
 * features; pass 2 ("restricted") compares F * m with F_composite * m, so its gradient is masked
 * by m as well. On an {@link OptimizationWindow} the mean is still the whole layer's.
 */
public final class ContentLoss implements LayerLoss {

    private final String layer;
    private final Tensor target;
    private final Tensor mask;
    private final double weight;
    private final boolean restricted;
    private final double count;

    /**
     * @param target the composite's features at the layer (this loss takes ownership)
     * @param mask   m_L (1 x H x W; the caller keeps it), used when restricted
     * @param count  the elements the mean is over: the whole layer's, C x H x W, when target is a window of it
     */
    public ContentLoss(String layer, Tensor target, Tensor mask, double weight, boolean restricted, double count) {
        this.layer = layer;
        this.count = count;
        this.mask = mask;
        this.weight = weight;
        this.restricted = restricted;
        if (restricted) {
            Device device = target.device();
            this.target = device.allocate(target.shape());
            device.elementwise().maskMultiply(target, mask, this.target);
            target.close();
        } else {
            this.target = target;
        }
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
    public Var loss(Var features) {
        Var compared = restricted ? MaskMultiply.apply(features, features.tape().constant(mask)) : features;
        return MeanSquaredError.apply(compared, features.tape().constant(target), count);
    }

    @Override
    public void close() {
        target.close();
    }
}
