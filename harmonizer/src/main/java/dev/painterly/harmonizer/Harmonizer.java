package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.optim.IterationListener;
import dev.painterly.engine.vgg.Vgg19;
import dev.painterly.engine.vgg.Vgg19Weights;

import java.util.Map;

/**
 * A whole job: working-size inputs, pass 1, pass 2, the composition of each pass's result with
 * the blurred tight mask (outside it the painting is untouched), and the post-processing. A pass
 * whose loss or gradient becomes NaN or infinite ends the job with {@link NumericalFailureException}.
 */
public final class Harmonizer {

    private Harmonizer() {
    }

    /**
     * @param loose the loose mask, or null to derive it from the tight one by dilation
     */
    public static HarmonizeResult run(Device device, Vgg19Weights weights, RgbImage paintingIn, RgbImage compositeIn,
                                      Mask tightIn, Mask loose, HarmonizeSettings settings, HarmonizeListener listener) {
        WorkingImages images = WorkingImages.of(paintingIn, compositeIn, tightIn, loose, settings.size(), settings.looseRadius());
        RgbImage composite = images.composite();
        RgbImage painting = images.painting();
        Mask tight = images.tight();
        Mask looseMask = images.loose();
        Mask blend = images.blend();
        int h = images.height(), w = images.width();
        StyleWeights styleWeights = StyleWeights.of(painting, settings.styleLevel());
        try (Vgg19 net = new Vgg19(device, weights);
             Tensor paintingT = net.preprocess(painting.planes(), h, w);
             Tensor looseT = looseMask.upload(device)) {
            Map<String, Mask> masks = LayerMasks.propagate(looseMask, net.layerNames(), "relu5_1");
            Composer composer = new Composer(net, painting, blend);

            long t0 = System.nanoTime();
            RgbImage pass1;
            try (Tensor x = net.preprocess(composite.planes(), h, w); NumericalGuard guard = new NumericalGuard(1, x, composer)) {
                listener.passStarted(1, settings.pass1Iterations());
                if (settings.pass1Iterations() > 0) {
                    Pass1.run(net, x, paintingT, masks, looseT, settings.pass1Iterations(),
                            guard.watch(progress(1, listener, composer, x)));
                }
                pass1 = composer.compose(x);
            }
            double pass1Seconds = (System.nanoTime() - t0) / 1e9;
            listener.passFinished(1, pass1, pass1Seconds);

            long t1 = System.nanoTime();
            RgbImage pass2;
            try (Tensor guide = net.preprocess(pass1.planes(), h, w);
                 Tensor x = net.preprocess(composite.planes(), h, w); NumericalGuard guard = new NumericalGuard(2, x, composer)) {
                listener.passStarted(2, settings.pass2Iterations());
                if (settings.pass2Iterations() > 0) {
                    Pass2.run(net, x, guide, paintingT, painting, tight, masks, looseT, styleWeights,
                            settings.pass2Iterations(), guard.watch(progress(2, listener, composer, x)));
                }
                pass2 = composer.compose(x);
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
            return new HarmonizeResult(pass1, pass2, painting, composite, tight, styleWeights, pass1Seconds, pass2Seconds,
                    postprocessed, postprocessSeconds);
        }
    }

    private static IterationListener progress(int pass, HarmonizeListener listener, Composer composer, Tensor x) {
        return p -> listener.iteration(pass, p.iteration(), p.loss(), () -> composer.compose(x));
    }

    /** Deprocesses an optimised image and composes it over the painting with the blurred tight mask. */
    static final class Composer {

        private final Vgg19 net;
        private final RgbImage painting;
        private final Mask blend;

        Composer(Vgg19 net, RgbImage painting, Mask blend) {
            this.net = net;
            this.painting = painting;
            this.blend = blend;
        }

        RgbImage compose(Tensor x) {
            Shape s = x.shape();
            float[] rgb = net.convention().deprocess(x.toArray(), s.height(), s.width());
            float[] p = painting.planes();
            float[] m = blend.values();
            int plane = s.plane();
            float[] out = new float[rgb.length];
            for (int i = 0; i < out.length; i++) {
                float a = m[i % plane];
                float v = rgb[i] * a + p[i] * (1 - a);
                out[i] = Math.max(0f, Math.min(1f, v));
            }
            return new RgbImage(s.height(), s.width(), out);
        }
    }
}
