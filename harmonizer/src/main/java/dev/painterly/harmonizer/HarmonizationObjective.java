package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.GradientTransform;
import dev.painterly.engine.optim.Objective;
import dev.painterly.engine.vgg.Vgg19;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation of a pass: VGG-19 forward from the image with the loss modules inside the
 * network, backward to the image, plus the TV term, masked by the loose mask.
 *
 * <p>Each module becomes a {@link GradientTransform} right after its layer (modules of one layer
 * in the order given, e.g. content before style at relu4_1), which adds the module's own gradient
 * to the gradient arriving from above and multiplies the sum by the layer mask m_L. The module's
 * raw gradient g is weighted first: pass 1 takes w g; pass 2 ({@code normalized}) takes
 * g / (|g| + 1e-8) w, normalising before weighting as the reference does.
 *
 * <p>At the image, pass 1 adds 1e-3 x the TV gradient and multiplies by the loose mask m. Pass 2's
 * TV module sits in front of the network: its gradient, masked by m, normalised and weighted, is
 * added to the network's gradient and the sum is masked by m; then the image gradient is masked by
 * m once more, so the network's gradient reaches the image times m^2.
 *
 * <p>It owns its modules and layer masks and closes them.
 */
public final class HarmonizationObjective implements Objective, AutoCloseable {

    private final Vgg19 net;
    private final Map<String, List<LayerLoss>> losses;
    private final Map<String, Tensor> layerMasks;
    private final String deepest;
    private final Tensor looseMask;
    private final double tvWeight;
    private final boolean normalized;
    private Map<String, Double> lastTerms = Map.of();

    /**
     * @param losses     modules by layer, each list in network order of insertion
     * @param layerMasks m_L on the device for every layer that has a module
     * @param looseMask  the loose mask at image resolution, 1 x H x W (the caller keeps it)
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
        Map<String, Double> terms = new LinkedHashMap<>();
        try (Tape tape = new Tape(d)) {
            Var image = tape.leaf(x);
            net.forward(tape, image, deepest, (layer, activation) -> {
                Var v = activation;
                for (LayerLoss module : losses.getOrDefault(layer, List.of())) {
                    LayerLoss.Evaluation e = module.evaluate(v.value());
                    own.add(e.gradient());
                    terms.put(module.term(), e.loss());
                    weigh(d, e.gradient(), module.weight(), normalized);
                    v = GradientTransform.apply(v, List.of(new GradientTransform.AddGradient(e.gradient()),
                            new GradientTransform.Mask(layerMasks.get(layer))));
                }
                return v;
            });
            tape.backward();
            Tensor g = image.grad();
            try (Tensor tv = d.allocate(x.shape())) {
                if (normalized) {
                    d.elementwise().totalVariationGradient(x, 1, tv);
                    d.elementwise().maskMultiply(tv, looseMask, tv);
                    weigh(d, tv, tvWeight, true);
                } else {
                    d.elementwise().totalVariationGradient(x, tvWeight, tv);
                }
                if (g == null) {
                    d.copy(tv, gradient);
                } else {
                    d.elementwise().add(g, tv, gradient);
                }
            }
            d.elementwise().maskMultiply(gradient, looseMask, gradient);
            if (normalized) {
                d.elementwise().maskMultiply(gradient, looseMask, gradient);
            }
        } finally {
            for (Tensor t : own) {
                t.close();
            }
        }
        lastTerms = Collections.unmodifiableMap(terms);
        double loss = 0;
        for (double v : terms.values()) {
            loss += v;
        }
        return loss;
    }

    /** In place: w g in pass 1; g / (|g| + 1e-8) w in pass 2 ({@code normalized}). */
    static void weigh(Device d, Tensor g, double weight, boolean normalized) {
        double factor = normalized ? weight / (Math.sqrt(d.reductions().dot(g, g)) + 1e-8) : weight;
        d.elementwise().scale(g, factor, g);
    }

    /** The weighted value of each term at the last evaluation, in network order (content, style_L, hist_L). */
    public Map<String, Double> lastTerms() {
        return lastTerms;
    }

    @Override
    public void close() {
        release(losses, layerMasks);
    }

    /** Closes modules and layer masks: the objective's own, or those of one that failed to be built. */
    static void release(Map<String, List<LayerLoss>> losses, Map<String, Tensor> layerMasks) {
        losses.values().forEach(l -> l.forEach(LayerLoss::close));
        layerMasks.values().forEach(Tensor::close);
    }
}
