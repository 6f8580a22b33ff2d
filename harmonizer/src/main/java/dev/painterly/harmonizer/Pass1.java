package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.optim.IterationListener;
import dev.painterly.engine.optim.Lbfgs;
import dev.painterly.engine.optim.LbfgsOptions;
import dev.painterly.engine.vgg.Vgg19;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pass 1, robust coarse harmonization (docs/algorithm.md section 1): independent mapping by normalised
 * cross-correlation of 3x3 patches at relu3_1, relu4_1 and relu5_1, Gram targets of the matched
 * painting features, content at relu4_1; L-BFGS from the composite with step 1 and tolerances
 * 1e-5 / 1e-9. Unlike the reference, a diverging run resumes from its best iterate (see
 * {@link Lbfgs}); where nothing diverges the iterates are the reference's.
 */
final class Pass1 {

    static final List<String> STYLE_LAYERS = List.of("relu3_1", "relu4_1", "relu5_1");
    static final String CONTENT_LAYER = "relu4_1";
    static final double CONTENT_WEIGHT = 5;
    static final double STYLE_WEIGHT = 100;
    static final double TV_WEIGHT = 1e-3;
    /** Resumptions from the best iterate a pass may make before it ends there. */
    static final int MAX_RESTARTS = 5;

    private Pass1() {
    }

    /**
     * The objective on {@code window}'s part of the image: matching and style targets come from the
     * whole composite and painting (preprocessed), once; the content target is x's features.
     *
     * @param x         the preprocessed composite cut to the window, where the optimisation starts
     * @param masks     m_L of the whole image
     * @param looseMask the loose mask cut to the window
     */
    static HarmonizationObjective objective(Vgg19 net, Tensor composite, Tensor x, Tensor painting, Map<String, Mask> masks,
                                            Tensor looseMask, OptimizationWindow window) {
        Device d = composite.device();
        Map<String, List<LayerLoss>> losses = new LinkedHashMap<>();
        Map<String, Tensor> layerMasks = new LinkedHashMap<>();
        try (Features content = Features.of(net, composite, STYLE_LAYERS);
             Features style = Features.of(net, painting, STYLE_LAYERS);
             // The window's own features: where its zero padding shows, x's show the same, so the unmasked content sees no edge.
             Features windowContent = Features.of(net, x, List.of(CONTENT_LAYER))) {
            for (String layer : STYLE_LAYERS) {
                Mask m = masks.get(layer);
                Tensor mask = OptimizationWindow.cut(m, window.at(layer)).upload(d);
                layerMasks.put(layer, mask);
                List<LayerLoss> modules = new ArrayList<>();
                if (layer.equals(CONTENT_LAYER)) {
                    modules.add(new ContentLoss(layer, windowContent.take(layer), mask, CONTENT_WEIGHT, false,
                            content.get(layer).size()));
                }
                Tensor target = styleTarget(content.get(layer), style.get(layer), m);
                modules.add(new StyleLoss(layer, target, mask, m.sum(), STYLE_WEIGHT, false));
                losses.put(layer, modules);
            }
        } catch (RuntimeException e) {
            HarmonizationObjective.release(losses, layerMasks);
            throw e;
        }
        return new HarmonizationObjective(net, losses, layerMasks, looseMask, TV_WEIGHT, false);
    }

    /**
     * Optimises x in place over the entries its loose mask lets change: L-BFGS with step 1 and
     * tolerances 1e-5 / 1e-9, resuming on divergence.
     */
    static void optimize(Tensor x, LooseSupport support, HarmonizationObjective objective, int iterations,
                         IterationListener listener) {
        LbfgsOptions options = LbfgsOptions.defaults(iterations).withLearningRate(1).withTolerances(1e-5, 1e-9)
                .withMaxRestarts(MAX_RESTARTS);
        support.minimize(new Lbfgs(options), x, objective, listener);
    }

    /**
     * T_L = Gram(M) / (C * sum(m_L)) with M(p) = S(q*(p)) * m_L(p), q* the NCC match of p. Only
     * positions with m_L &gt; 0 are matched: the others are multiplied by 0 anyway.
     */
    static Tensor styleTarget(Tensor f, Tensor s, Mask m) {
        Device d = f.device();
        Shape fs = f.shape();
        int c = fs.channels();
        try (Tensor nnf = d.allocate(fs.withChannels(1)); Tensor query = m.upload(d)) {
            d.matching().matchNcc(f, s, query, nnf);
            float[] matched = Matches.gather(s.toArray(), c, nnf.toArray(), m.values());
            try (Tensor mm = d.upload(fs, matched)) {
                Tensor target = d.allocate(Shape.of(1, c, c));
                d.gram().gram(mm, 1.0 / (c * Math.max(m.sum(), 1e-8)), target);
                return target;
            }
        }
    }
}
