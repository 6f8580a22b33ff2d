package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.Crop;
import dev.painterly.engine.ops.GradientTransform;
import dev.painterly.engine.ops.TotalVariation;
import dev.painterly.engine.optim.Objective;
import dev.painterly.engine.vgg.Vgg19;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One evaluation of a pass: VGG-19 forward from the image with the loss modules inside the
 * network, backward to the image, plus the TV term, masked by the loose mask.
 *
 * <p>Everything is tape ops. Each module becomes a {@link GradientTransform} right after its layer
 * (modules of one layer in the order given, e.g. content before style at relu4_1), which adds the
 * module's weighted own gradient (a whole map, or only the columns of the module's mask) to the
 * gradient arriving from above and multiplies the sum by the layer mask m_L, in one pass. The own
 * gradient g ({@link LayerLoss#evaluate}) is weighted as it is added: pass 1 adds w g
 * ({@link GradientTransform.Scale}); pass 2 ({@code normalized}) adds g / (|g| + 1e-8) w
 * ({@link GradientTransform.NormalizeAndScale}), normalising before weighting as the reference
 * does.
 *
 * <p>At the image, pass 1 adds the gradient of {@link TotalVariation} weighted 1e-3 and multiplies
 * by the loose mask m. Pass 2's TV module sits in front of the network: its gradient, masked by m,
 * normalised and weighted, is added to the network's gradient and the sum is masked by m; then
 * the image gradient is masked by m once more, so the network's gradient reaches the image times
 * m^2. The TV value is not part of the loss, as in the reference.
 *
 * <p>Since every join multiplies by m_L, the gradient below a loss layer is 0 outside m_L's
 * support: each convolution's backward runs on the box where its gradient can be non-zero
 * ({@link GradientSupport}), and gives what it would on its whole plane.
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
    /** Per convolution, where its input's gradient can be non-zero, when that is well short of its plane. */
    private Map<String, Crop> crops;
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
        // Only a layer with modules has a join that multiplies by its mask.
        Map<String, Mask> masks = new LinkedHashMap<>();
        try {
            for (String layer : losses.keySet()) {
                Tensor m = layerMasks.get(layer);
                masks.put(layer, new Mask(m.shape().height(), m.shape().width(), m.toArray()));
            }
            this.crops = GradientSupport.crops(looseMask.device(), net.layerNames(), looseMask.shape().height(),
                    looseMask.shape().width(), masks);
        } catch (RuntimeException e) {
            release(losses, layerMasks);
            throw e;
        }
    }

    @Override
    public double evaluate(Tensor x, Tensor gradient) {
        Device d = x.device();
        List<LayerLoss.Evaluation> own = new ArrayList<>();
        List<String> names = new ArrayList<>();
        GradientTransform.Mask loose = new GradientTransform.Mask(looseMask);
        Map<String, Double> terms = new LinkedHashMap<>();
        try (Tape tape = new Tape(d)) {
            Var image = tape.leaf(x);
            Var masked = GradientTransform.apply(image, normalized ? List.of(loose, loose) : List.of(loose));
            // Naming the modules' layers keeps a module at a conv layer seeing its pre-activation.
            net.forward(tape, masked, deepest, losses.keySet(), crops, (layer, activation) -> {
                Var v = activation;
                for (LayerLoss module : losses.getOrDefault(layer, List.of())) {
                    LayerLoss.Evaluation e = module.evaluate(v.value());
                    own.add(e);
                    names.add(module.term());
                    GradientTransform.Weighting w = weighting(module.weight(), normalized);
                    GradientTransform.Step add = e.columns() == null
                            ? new GradientTransform.AddGradient(e.gradient(), w)
                            : new GradientTransform.AddColumns(e.gradient(), e.columns(), w);
                    v = GradientTransform.apply(v, List.of(add, new GradientTransform.Mask(layerMasks.get(layer))));
                }
                return v;
            });
            Var tv = normalized
                    ? TotalVariation.apply(GradientTransform.apply(masked, List.of(loose, weighting(tvWeight, normalized))), 1)
                    : TotalVariation.apply(masked, tvWeight);
            tape.backward(tv);
            d.copy(image.grad(), gradient);
            // Read only now: the first read waits for the queue once, with the whole evaluation in it.
            for (int i = 0; i < own.size(); i++) {
                terms.put(names.get(i), own.get(i).loss());
            }
        } finally {
            for (LayerLoss.Evaluation e : own) {
                e.close();
            }
        }
        lastTerms = Collections.unmodifiableMap(terms);
        double loss = 0;
        for (double v : terms.values()) {
            loss += v;
        }
        return loss;
    }

    /**
     * Drops the crops, so that every convolution's backward runs on its whole plane: the
     * computation the crops must reproduce, for tests to compare them with.
     */
    HarmonizationObjective wholePlanes() {
        crops.values().forEach(Crop::close);
        crops = Map.of();
        return this;
    }

    /** The convolutions whose backward runs on a crop. */
    Set<String> croppedLayers() {
        return crops.keySet();
    }

    /** The rule that weights an own gradient: w g in pass 1; g / (|g| + 1e-8) w in pass 2 ({@code normalized}). */
    static GradientTransform.Weighting weighting(double weight, boolean normalized) {
        return normalized ? new GradientTransform.NormalizeAndScale(weight) : new GradientTransform.Scale(weight);
    }

    /** The weighted value of each term at the last evaluation, in network order (content, style_L, hist_L). */
    public Map<String, Double> lastTerms() {
        return lastTerms;
    }

    @Override
    public void close() {
        crops.values().forEach(Crop::close);
        release(losses, layerMasks);
    }

    /** Closes modules and layer masks: the objective's own, or those of one that failed to be built. */
    static void release(Map<String, List<LayerLoss>> losses, Map<String, Tensor> layerMasks) {
        losses.values().forEach(l -> l.forEach(LayerLoss::close));
        layerMasks.values().forEach(Tensor::close);
    }
}
