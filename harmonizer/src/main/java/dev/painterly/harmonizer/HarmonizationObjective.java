package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.GradientTransform;
import dev.painterly.engine.optim.Objective;
import dev.painterly.engine.vgg.Vgg19;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One evaluation of a pass: VGG-19 forward from the image with the loss modules inside the
 * network, backward to the image, plus the TV term, times the loose mask.
 *
 * <p>Each module becomes a {@link GradientTransform} right after its layer (modules of one layer
 * in the order given, e.g. content before style at relu4_1), which adds the module's own gradient
 * to the gradient arriving from above and multiplies the sum by the layer mask m_L. In pass 2
 * ({@code normalized}) the own gradient is first normalised to unit L2 norm and multiplied by the
 * module's weight, and so is the TV gradient (after masking by the loose mask).
 */
public final class HarmonizationObjective implements Objective {

    private final Vgg19 net;
    private final Map<String, List<LayerLoss>> losses;
    private final Map<String, Tensor> layerMasks;
    private final String deepest;
    private final Tensor looseMask;
    private final double tvWeight;
    private final boolean normalized;
    private double lastLoss;

    /**
     * @param losses     modules by layer, each list in network order of insertion
     * @param layerMasks m_L on the device for every layer that has a module
     * @param looseMask  the loose mask at image resolution, 1 x H x W
     */
    public HarmonizationObjective(Vgg19 net, Map<String, List<LayerLoss>> losses, Map<String, Tensor> layerMasks,
                                  Tensor looseMask, double tvWeight, boolean normalized) {
        this.net = net;
        this.losses = losses;
        this.layerMasks = layerMasks;
        this.deepest = net.deepest(losses.keySet());
        this.looseMask = looseMask;
        this.tvWeight = tvWeight;
        this.normalized = normalized;
    }

    @Override
    public double evaluate(Tensor x, Tensor gradient) {
        Device d = x.device();
        List<Tensor> own = new ArrayList<>();
        double[] loss = {0};
        try (Tape tape = new Tape(d)) {
            Var image = tape.leaf(x);
            net.forward(tape, image, deepest, (layer, activation) -> {
                Var v = activation;
                for (LayerLoss module : losses.getOrDefault(layer, List.of())) {
                    LayerLoss.Evaluation e = module.evaluate(v.value());
                    own.add(e.gradient());
                    loss[0] += e.loss();
                    if (normalized) {
                        normalize(d, e.gradient(), module.weight());
                    }
                    v = GradientTransform.apply(v, List.of(new GradientTransform.AddGradient(e.gradient()),
                            new GradientTransform.Mask(layerMasks.get(layer))));
                }
                return v;
            });
            tape.backward();
            Tensor g = image.grad();
            try (Tensor tv = d.allocate(x.shape())) {
                if (normalized) {
                    d.totalVariationGradient(x, 1, tv);
                    d.multiplyMask(tv, looseMask, tv);
                    normalize(d, tv, tvWeight);
                } else {
                    d.totalVariationGradient(x, tvWeight, tv);
                }
                if (g == null) {
                    d.copy(tv, gradient);
                } else {
                    d.add(g, tv, gradient);
                }
            }
            d.multiplyMask(gradient, looseMask, gradient);
        } finally {
            for (Tensor t : own) {
                t.close();
            }
        }
        lastLoss = loss[0];
        return loss[0];
    }

    private static void normalize(Device d, Tensor g, double weight) {
        double norm = Math.sqrt(d.dot(g, g));
        d.scale(g, weight / (norm + 1e-8), g);
    }

    public double lastLoss() {
        return lastLoss;
    }
}
