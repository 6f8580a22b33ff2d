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
 * Pass 2, refined harmonization (ALGORITHM.md section 2): consistent mapping at relu4_1 from the
 * pass-1 output to the painting (normalised dot of 3x3 patches with the border rule, one round of
 * 5x5 refinement guided by the painting's colours), the used region R, Gram targets of the
 * painting over R at relu1_1..relu4_1, histogram targets at relu1_1 and relu4_1; L-BFGS from the
 * composite with step 0.1 and no early stop, every own gradient normalised and weighted.
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
     * Optimises x (the preprocessed composite, updated in place), matching from the pass-1
     * output {@code guideImage}.
     */
    static void run(Vgg19 net, Tensor x, Tensor guideImage, Tensor painting, RgbImage paintingRgb, Mask tight,
                    Map<String, Mask> masks, Tensor looseMask, StyleWeights weights, int iterations,
                    IterationListener listener) {
        Device d = x.device();
        Map<String, List<LayerLoss>> losses = new LinkedHashMap<>();
        Map<String, Tensor> layerMasks = new LinkedHashMap<>();
        try {
            try (Features pass1 = Features.of(net, guideImage, List.of(REFERENCE_LAYER));
                 Features style = Features.of(net, painting, STYLE_LAYERS);
                 Features content = Features.of(net, x, List.of(CONTENT_LAYER))) {
                Mask region = usedRegion(pass1.get(REFERENCE_LAYER), style.get(REFERENCE_LAYER), paintingRgb, tight);
                for (String layer : STYLE_LAYERS) {
                    Mask m = masks.get(layer);
                    Tensor mask = m.upload(d);
                    layerMasks.put(layer, mask);
                    Tensor p = style.get(layer);
                    Shape s = p.shape();
                    Mask r = region.resizeNearest(s.height(), s.width());
                    List<LayerLoss> modules = new ArrayList<>();
                    if (layer.equals(CONTENT_LAYER)) {
                        modules.add(new ContentLoss(layer, content.take(layer), mask, weights.content(), true));
                    }
                    modules.add(new StyleLoss(layer, regionGram(p, r), mask, m.sum(), weights.style(), true));
                    if (HISTOGRAM_LAYERS.contains(layer)) {
                        HistogramTarget target = HistogramTarget.of(p.toArray(), s.channels(), r.values(), m.count(0.1f));
                        modules.add(new HistogramLoss(layer, d, target, HistogramLoss.positions(m), weights.histogram()));
                    }
                    losses.put(layer, modules);
                }
            }
            HarmonizationObjective objective = new HarmonizationObjective(net, losses, layerMasks, looseMask,
                    weights.totalVariation(), true);
            LbfgsOptions options = LbfgsOptions.defaults(iterations).withLearningRate(LEARNING_RATE).withTolerances(-1, -1);
            new Lbfgs(options).minimize(x, objective, listener);
        } finally {
            losses.values().forEach(l -> l.forEach(LayerLoss::close));
            layerMasks.values().forEach(Tensor::close);
        }
    }

    /**
     * The used region at the reference layer: match, refine, then mark every painting position
     * within Chebyshev distance 1 of a match of the tight mask. An object too small to cover any
     * position of relu4_1 (tiny images) falls back to its positions with any mask at all, then to
     * the whole map, so that the targets stay defined.
     */
    static Mask usedRegion(Tensor a, Tensor p, RgbImage paintingRgb, Mask tight) {
        Device d = a.device();
        Shape as = a.shape();
        Shape ps = p.shape();
        Mask tightHere = tight.resizeNearest(as.height(), as.width());
        if (tightHere.count(0.1f) == 0) {
            tightHere = tight.resize(as.height(), as.width()).threshold(0f);
        }
        RgbImage guide = paintingRgb.resize(ps.height(), ps.width());
        try (Tensor an = d.allocate(as); Tensor pn = d.allocate(ps);
             Tensor nnf = d.allocate(as.withChannels(1)); Tensor refined = d.allocate(as.withChannels(1));
             Tensor guideT = d.upload(Shape.of(3, ps.height(), ps.width()), guide.planes());
             Tensor tightT = tightHere.upload(d); Tensor region = d.allocate(ps.withChannels(1));
             Tensor query = reach(tightHere).upload(d)) {
            d.normalizePositions(a, an);
            d.normalizePositions(p, pn);
            d.matchDot(an, pn, query, nnf);
            d.refineMatches(nnf, guideT, tightT, refined);
            d.usedRegion(refined, tightT, region);
            Mask r = new Mask(ps.height(), ps.width(), region.toArray());
            if (r.count(0.5f) == 0) {
                float[] all = new float[r.size()];
                java.util.Arrays.fill(all, 1f);
                return new Mask(ps.height(), ps.width(), all);
            }
            return r;
        }
    }

    /**
     * The positions whose match can matter: refinement and the used region look only at positions
     * inside the tight mask and at their 5x5 neighbours, so the tight mask grown by 2 in
     * Chebyshev distance.
     */
    static Mask reach(Mask tightHere) {
        int h = tightHere.height(), w = tightHere.width();
        float[] v = tightHere.values();
        float[] out = new float[v.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (v[y * w + x] <= 0.1f) {
                    continue;
                }
                for (int yy = Math.max(0, y - 2); yy <= Math.min(h - 1, y + 2); yy++) {
                    for (int xx = Math.max(0, x - 2); xx <= Math.min(w - 1, x + 2); xx++) {
                        out[yy * w + xx] = 1f;
                    }
                }
            }
        }
        return new Mask(h, w, out);
    }

    /** T_L = Gram(P_L * R_L) / (C * sum(R_L)). */
    static Tensor regionGram(Tensor p, Mask region) {
        Device d = p.device();
        int c = p.shape().channels();
        try (Tensor r = region.upload(d); Tensor masked = d.allocate(p.shape())) {
            d.multiplyMask(p, r, masked);
            Tensor g = d.allocate(Shape.of(1, c, c));
            d.gram(masked, 1.0 / (c * Math.max(region.sum(), 1e-8)), g);
            return g;
        }
    }
}
