package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.optim.IterationListener;
import dev.painterly.engine.optim.Lbfgs;
import dev.painterly.engine.optim.LbfgsOptions;
import dev.painterly.engine.vgg.Vgg19;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pass 2, refined harmonization (docs/algorithm.md section 2): consistent mapping at relu4_1 from the
 * pass-1 output to the painting (normalised dot of 3x3 patches with the border rule, one round of
 * 5x5 refinement guided by the painting's colours), the used region R, Gram targets of the
 * painting over R at relu1_1..relu4_1, histogram targets at relu1_1 and relu4_1; L-BFGS from the
 * composite with step 0.1 and no early stop, every own gradient normalised and weighted. Unlike
 * the reference, a diverging run resumes from its best iterate (see {@link Lbfgs}).
 */
final class Pass2 {

    static final List<String> STYLE_LAYERS = List.of("relu1_1", "relu2_1", "relu3_1", "relu4_1");
    static final List<String> HISTOGRAM_LAYERS = List.of("relu1_1", "relu4_1");
    static final String REFERENCE_LAYER = "relu4_1";
    static final String CONTENT_LAYER = "relu4_1";
    static final double LEARNING_RATE = 0.1;

    private Pass2() {
    }

    /**
     * The used region at the reference layer, matching from the pass-1 output {@code guideImage}
     * to the painting. It does not depend on the style level, so a sweep computes it once.
     */
    static Mask usedRegion(Vgg19 net, Tensor guideImage, Tensor painting, RgbImage paintingRgb, Mask tight) {
        try (Features pass1 = Features.of(net, guideImage, List.of(REFERENCE_LAYER));
             Features style = Features.of(net, painting, List.of(REFERENCE_LAYER))) {
            return ConsistentMapping.of(pass1.get(REFERENCE_LAYER), style.get(REFERENCE_LAYER), paintingRgb, tight).region();
        }
    }

    /**
     * The objective on {@code window}'s part of the image, with the used region R at the reference
     * layer ({@link #usedRegion}): the targets are computed here, once, from the whole painting,
     * and the content target from x.
     *
     * @param x         the preprocessed composite cut to the window, where the optimisation starts
     * @param masks     m_L of the whole image
     * @param looseMask the loose mask cut to the window
     */
    static HarmonizationObjective objective(Vgg19 net, Tensor x, Mask region, Tensor painting, Map<String, Mask> masks,
                                            Tensor looseMask, StyleWeights weights, OptimizationWindow window) {
        Device d = x.device();
        Map<String, List<LayerLoss>> losses = new LinkedHashMap<>();
        Map<String, Tensor> layerMasks = new LinkedHashMap<>();
        try (Features style = Features.of(net, painting, STYLE_LAYERS);
             Features content = Features.of(net, x, List.of(CONTENT_LAYER))) {
            for (String layer : STYLE_LAYERS) {
                Mask m = masks.get(layer);
                Mask windowMask = OptimizationWindow.cut(m, window.at(layer));
                Tensor mask = windowMask.upload(d);
                layerMasks.put(layer, mask);
                Tensor p = style.get(layer);
                Shape s = p.shape();
                Mask r = region.resizeNearest(s.height(), s.width());
                List<LayerLoss> modules = new ArrayList<>();
                if (layer.equals(CONTENT_LAYER)) {
                    modules.add(new ContentLoss(layer, content.take(layer), mask, weights.content(), true, s.size()));
                }
                modules.add(new StyleLoss(layer, regionGram(p, r), mask, m.sum(), weights.style(), true));
                if (HISTOGRAM_LAYERS.contains(layer)) {
                    HistogramTarget target = HistogramTarget.of(p.toArray(), s.channels(), r.values(), m.count(0.1f));
                    modules.add(new HistogramLoss(layer, target, windowMask, weights.histogram(), s.size(), d));
                }
                losses.put(layer, modules);
            }
        } catch (RuntimeException e) {
            HarmonizationObjective.release(losses, layerMasks);
            throw e;
        }
        return new HarmonizationObjective(net, losses, layerMasks, looseMask, weights.totalVariation(), true);
    }

    /**
     * Optimises x in place over the entries its loose mask lets change: L-BFGS with step 0.1, no
     * early stop, resuming on divergence.
     */
    static void optimize(Tensor x, LooseSupport support, HarmonizationObjective objective, int iterations,
                         IterationListener listener) {
        LbfgsOptions options = LbfgsOptions.defaults(iterations).withLearningRate(LEARNING_RATE).withTolerances(-1, -1)
                .withMaxRestarts(Pass1.MAX_RESTARTS);
        support.minimize(new Lbfgs(options), x, objective, listener);
    }

    /** T_L = Gram(P_L * R_L) / (C * sum(R_L)). */
    static Tensor regionGram(Tensor p, Mask region) {
        Device d = p.device();
        int c = p.shape().channels();
        try (Tensor r = region.upload(d); Tensor masked = d.allocate(p.shape())) {
            d.elementwise().maskMultiply(p, r, masked);
            Tensor g = d.allocate(Shape.of(1, c, c));
            d.gram().gram(masked, 1.0 / (c * Math.max(region.sum(), 1e-8)), g);
            return g;
        }
    }
}
