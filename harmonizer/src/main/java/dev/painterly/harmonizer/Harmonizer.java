package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.vgg.Vgg19;
import dev.painterly.engine.vgg.Vgg19Weights;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A whole job: working-size inputs, pass 1, pass 2 (at one style level or several), the composition of each pass's result with
 * the blurred tight mask (outside it the painting is untouched), and the post-processing. A pass
 * that diverges resumes from its best iterate (see {@link PassMonitor}); one whose loss or gradient
 * is NaN or infinite where it cannot resume ends the job with {@link NumericalFailureException}.
 */
public final class Harmonizer {

    private Harmonizer() {
    }

    /**
     * @param loose the loose mask, or null to derive it from the tight one by dilation
     */
    public static HarmonizeResult run(Device device, Vgg19Weights weights, RgbImage paintingIn, RgbImage compositeIn,
                                      Mask tightIn, Mask loose, HarmonizeSettings settings, HarmonizeListener listener) {
        return sweep(device, weights, paintingIn, compositeIn, tightIn, loose, settings, List.of(settings.styleLevel()), listener)
                .get(0);
    }

    /**
     * One job at several style levels: pass 1 and pass 2's matching once (the level weighs pass 2
     * only), then pass 2 and the post-processing once per level, in the order given; one result per level, each
     * with the same pass-1 output. {@link HarmonizeListener#styleLevel} announces each level's
     * pass 2. The style level of {@code settings} is ignored.
     *
     * @param loose the loose mask, or null to derive it from the tight one by dilation
     */
    public static List<HarmonizeResult> sweep(Device device, Vgg19Weights weights, RgbImage paintingIn, RgbImage compositeIn,
                                              Mask tightIn, Mask loose, HarmonizeSettings settings, List<Double> levels,
                                              HarmonizeListener listener) {
        WorkingImages images = WorkingImages.of(paintingIn, compositeIn, tightIn, loose, settings.size(), settings.looseRadius());
        RgbImage composite = images.composite();
        RgbImage painting = images.painting();
        Mask tight = images.tight();
        Mask looseMask = images.loose();
        Mask blend = images.blend();
        int h = images.height(), w = images.width();
        try (Vgg19 net = new Vgg19(device, weights);
             Tensor paintingT = net.preprocess(painting.planes(), h, w)) {
            // The preprocessed composite, once: the whole of it for matching, each pass's window cut from it.
            float[] start = net.convention().preprocess(composite.planes(), h, w);
            Map<String, Mask> masks = LayerMasks.propagate(looseMask, net.layerNames(), "relu5_1");
            Composer composer = new Composer(net, painting, blend, start, new PixelBox(0, 0, h, w));

            long t0 = System.nanoTime();
            RgbImage pass1;
            OptimizationWindow window1 = OptimizationWindow.of(looseMask, masks, net.layerNames(), Pass1.STYLE_LAYERS);
            Composer composer1 = composer.within(window1.image());
            listener.optimizationWindow(1, window1.image());
            Mask looseCut1 = OptimizationWindow.cut(looseMask, window1.image());
            try (Tensor compositeT = cut(device, start, h, w, new PixelBox(0, 0, h, w));
                 Tensor x = cut(device, start, h, w, window1.image());
                 Tensor looseT = looseCut1.upload(device);
                 NumericalGuard guard = new NumericalGuard(1, x, composer1)) {
                listener.passStarted(1, settings.pass1Iterations());
                if (settings.pass1Iterations() > 0) {
                    try (HarmonizationObjective objective = Pass1.objective(net, compositeT, x, paintingT, masks, looseT, window1);
                         LooseSupport support = LooseSupport.of(device, looseCut1)) {
                        Pass1.optimize(x, support, objective, settings.pass1Iterations(),
                                new PassMonitor(1, objective, guard, listener, composer1, x, t0));
                    }
                }
                pass1 = composer1.compose(x);
            }
            double pass1Seconds = (System.nanoTime() - t0) / 1e9;
            listener.passFinished(1, pass1, pass1Seconds);

            // The first level's pass 2 counts from here: its matching is part of it.
            long matchingStart = System.nanoTime();
            Mask region = null;
            if (settings.pass2Iterations() > 0) {
                try (Tensor guide = net.preprocess(pass1.planes(), h, w)) {
                    region = Pass2.usedRegion(net, guide, paintingT, painting, tight);
                }
            }
            List<HarmonizeResult> results = new ArrayList<>();
            OptimizationWindow window2 = OptimizationWindow.of(looseMask, masks, net.layerNames(), Pass2.STYLE_LAYERS);
            Composer composer2 = composer.within(window2.image());
            Mask looseCut2 = OptimizationWindow.cut(looseMask, window2.image());
            // One loose mask and support for every level: the window is the same.
            try (Tensor looseT = looseCut2.upload(device);
                 LooseSupport support = settings.pass2Iterations() > 0 ? LooseSupport.of(device, looseCut2) : null) {
                for (double level : levels) {
                    StyleWeights styleWeights = StyleWeights.of(painting, level);
                    listener.styleLevel(level);
                    long t1 = results.isEmpty() ? matchingStart : System.nanoTime();
                    RgbImage pass2;
                    listener.optimizationWindow(2, window2.image());
                    try (Tensor x = cut(device, start, h, w, window2.image());
                         NumericalGuard guard = new NumericalGuard(2, x, composer2)) {
                        listener.passStarted(2, settings.pass2Iterations());
                        if (settings.pass2Iterations() > 0) {
                            try (HarmonizationObjective objective = Pass2.objective(net, x, region, paintingT, masks, looseT,
                                    styleWeights, window2)) {
                                Pass2.optimize(x, support, objective, settings.pass2Iterations(),
                                        new PassMonitor(2, objective, guard, listener, composer2, x, t1));
                            }
                        }
                        pass2 = composer2.compose(x);
                    }
                    double pass2Seconds = (System.nanoTime() - t1) / 1e9;
                    listener.passFinished(2, pass2, pass2Seconds);

                    RgbImage postprocessed = null;
                    double postprocessSeconds = 0;
                    if (settings.postprocess()) {
                        long t2 = System.nanoTime();
                        postprocessed = PostProcess.run(device, pass2, composite, painting, tight, settings.seed());
                        postprocessSeconds = (System.nanoTime() - t2) / 1e9;
                    }
                    results.add(new HarmonizeResult(pass1, pass2, painting, composite, tight, styleWeights, pass1Seconds, pass2Seconds,
                            postprocessed, postprocessSeconds));
                }
            }
            return results;
        }
    }

    /** A window of a preprocessed h x w image, on the device: where a pass's optimisation starts. */
    private static Tensor cut(Device device, float[] image, int h, int w, PixelBox window) {
        return device.upload(Shape.of(3, window.height(), window.width()), window.cut(image, 3, h, w));
    }

    /**
     * Deprocesses an optimised image and composes it over the painting with the blurred tight mask.
     * The image may be a pass's window of the whole: outside it, the image is the composite it started from.
     */
    static final class Composer {

        private final Vgg19 net;
        private final RgbImage painting;
        private final Mask blend;
        private final float[] start;
        private final PixelBox window;

        /** @param start the whole preprocessed composite */
        Composer(Vgg19 net, RgbImage painting, Mask blend, float[] start, PixelBox window) {
            this.net = net;
            this.painting = painting;
            this.blend = blend;
            this.start = start;
            this.window = window;
        }

        /** The composer of images that are this window of the whole. */
        Composer within(PixelBox part) {
            return new Composer(net, painting, blend, start, part);
        }

        RgbImage compose(Tensor x) {
            int h = painting.height(), w = painting.width();
            float[] whole = start.clone();
            window.paste(x.toArray(), whole, 3, h, w);
            float[] rgb = net.convention().deprocess(whole, h, w);
            float[] p = painting.planes();
            float[] m = blend.values();
            int plane = h * w;
            float[] out = new float[rgb.length];
            for (int i = 0; i < out.length; i++) {
                float a = m[i % plane];
                float v = rgb[i] * a + p[i] * (1 - a);
                out[i] = Math.max(0f, Math.min(1f, v));
            }
            return new RgbImage(h, w, out);
        }
    }
}
