package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;

/**
 * Content loss, weight * MSE against the composite's features. Pass 1 compares unmasked
 * features; pass 2 ("restricted") compares F * m with F_composite * m and masks the gradient by m.
 * The own gradient is the MSE's, without the weight.
 */
public final class ContentLoss implements LayerLoss {

    private final String layer;
    private final Device device;
    private final Tensor target;
    private final Tensor mask;
    private final double weight;
    private final boolean restricted;

    /**
     * @param target the composite's features at the layer (this loss takes ownership)
     * @param mask   m_L (1 x H x W; the caller keeps it), used when restricted
     */
    public ContentLoss(String layer, Tensor target, Tensor mask, double weight, boolean restricted) {
        this.layer = layer;
        this.device = target.device();
        this.mask = mask;
        this.weight = weight;
        this.restricted = restricted;
        if (restricted) {
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
    public Evaluation evaluate(Tensor activation) {
        Tensor diff = device.allocate(activation.shape());
        if (restricted) {
            device.elementwise().maskMultiply(activation, mask, diff);
        } else {
            device.copy(activation, diff);
        }
        device.elementwise().axpy(-1, target, diff);
        int n = activation.size();
        double loss = weight * device.reductions().dot(diff, diff) / n;
        if (restricted) {
            device.elementwise().maskMultiply(diff, mask, diff);
        }
        device.elementwise().scale(diff, 2.0 / n, diff);
        return new Evaluation(diff, loss);
    }

    @Override
    public void close() {
        target.close();
    }
}
