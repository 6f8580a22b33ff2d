package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;

/**
 * Style loss: G = Gram(F * m) / (C * sum(m)), loss weight * MSE(G, T); the own gradient is the
 * Gram backward of MSE(G, T) (without the weight) evaluated at F * m, and in pass 2
 * ("restricted") it is masked by m as well.
 */
public final class StyleLoss implements LayerLoss {

    private final String layer;
    private final Device device;
    private final Tensor target;
    private final Tensor mask;
    private final double scale;
    private final double weight;
    private final boolean restricted;

    /**
     * @param target  T_L, 1 x C x C (this loss takes ownership)
     * @param mask    m_L, 1 x H x W (the caller keeps it)
     * @param maskSum sum of m_L
     */
    public StyleLoss(String layer, Tensor target, Tensor mask, double maskSum, double weight, boolean restricted) {
        this.layer = layer;
        this.device = target.device();
        this.target = target;
        this.mask = mask;
        this.scale = 1.0 / (target.shape().height() * Math.max(maskSum, 1e-8));
        this.weight = weight;
        this.restricted = restricted;
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
    public Evaluation evaluate(Tensor activation) {
        int c = activation.shape().channels();
        try (Tensor masked = device.allocate(activation.shape());
             Tensor gram = device.allocate(Shape.of(1, c, c))) {
            device.elementwise().maskMultiply(activation, mask, masked);
            device.gram().gram(masked, scale, gram);
            device.elementwise().axpy(-1, target, gram);
            double n = (double) c * c;
            double loss = weight * device.reductions().dot(gram, gram) / n;
            device.elementwise().scale(gram, 2 / n, gram);
            Tensor own = device.allocate(activation.shape());
            device.gram().gramBackward(masked, gram, scale, own);
            if (restricted) {
                device.elementwise().maskMultiply(own, mask, own);
            }
            return new Evaluation(own, loss);
        }
    }

    @Override
    public void close() {
        target.close();
    }
}
