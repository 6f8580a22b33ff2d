package dev.painterly.harmonizer;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.vgg.Vgg19;
import dev.painterly.engine.vgg.Vgg19Weights;
import dev.painterly.engine.vgg.Vgg19WeightsFile;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An evaluation on a pass's window computes what the evaluation on the whole image computes: every
 * term, and the image gradient, which is 0 outside the window. On the exact reference (float64) with
 * the golden test's narrow VGG-19-shaped net, on a scene whose object is small next to the image.
 */
class OptimizationWindowTest {

    static final int H = 72, W = 320;
    private static final double TOLERANCE = 1e-9;
    private static final List<String> NAMES = layerNames();

    private final JavaDevice exact = JavaDevice.exact();

    static Vgg19Weights narrowNet() {
        try (InputStream in = OptimizationWindowTest.class.getResourceAsStream("/fixtures/passes/net.safetensors")) {
            return Vgg19WeightsFile.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A smooth painting, and the composite with a flat-coloured 12 x 14 object near its left edge. */
    record Scene(RgbImage painting, RgbImage composite, Mask tight, Mask loose) {

        static Scene make() {
            float[] p = new float[3 * H * W], c = new float[3 * H * W], t = new float[H * W];
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    boolean object = y >= 30 && y < 42 && x >= 20 && x < 34;
                    t[y * W + x] = object ? 1 : 0;
                    for (int ch = 0; ch < 3; ch++) {
                        int i = (ch * H + y) * W + x;
                        p[i] = (float) (0.5 + 0.3 * Math.sin(0.21 * x + 1.3 * ch) * Math.cos(0.17 * y - ch) + 0.1 * Math.sin(1.1 * x * y));
                        c[i] = object ? 0.2f + 0.3f * ch : p[i];
                    }
                }
            }
            Mask tight = new Mask(H, W, t);
            return new Scene(new RgbImage(H, W, p), new RgbImage(H, W, c), tight, tight.dilate(3));
        }
    }

    /** The composite moved inside the loose mask, where an optimisation would have moved it. */
    static float[] moved(Vgg19 net, Scene s) {
        float[] x = net.convention().preprocess(s.composite().planes(), H, W);
        float[] loose = s.loose().values();
        for (int i = 0; i < x.length; i++) {
            x[i] += (float) (20 * Math.sin(0.7 * i) * loose[i % (H * W)]);
        }
        return x;
    }

    private record Evaluated(Map<String, Double> terms, double[] gradient) {
    }

    private interface ObjectiveOn {
        HarmonizationObjective build(Tensor start, Tensor loose, OptimizationWindow window);
    }

    /** One evaluation of the objective on a window, at x cut to it; its gradient put back into a whole image of zeros. */
    private Evaluated evaluate(Vgg19 net, Scene s, float[] x, OptimizationWindow window, ObjectiveOn objective) {
        PixelBox box = window.image();
        float[] start = net.convention().preprocess(s.composite().planes(), H, W);
        Shape shape = Shape.of(3, box.height(), box.width());
        try (Tensor startT = exact.upload(shape, box.cut(start, 3, H, W));
             Tensor xT = exact.upload(shape, box.cut(x, 3, H, W));
             Tensor loose = OptimizationWindow.cut(s.loose(), box).upload(exact);
             Tensor g = exact.allocate(shape);
             HarmonizationObjective o = objective.build(startT, loose, window)) {
            o.evaluate(xT, g);
            double[] whole = new double[3 * H * W];
            double[] part = JavaDevice.data(g);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < box.height(); y++) {
                    System.arraycopy(part, (c * box.height() + y) * box.width(), whole, (c * H + box.top() + y) * W + box.left(),
                            box.width());
                }
            }
            return new Evaluated(o.lastTerms(), whole);
        }
    }

    private static void assertSame(Evaluated whole, Evaluated window, String pass) {
        assertEquals(whole.terms().keySet(), window.terms().keySet(), pass);
        for (Map.Entry<String, Double> e : whole.terms().entrySet()) {
            Compare.close(e.getValue(), window.terms().get(e.getKey()), TOLERANCE, 0, pass + " " + e.getKey());
        }
        double diff = 0, norm = 0;
        for (int i = 0; i < whole.gradient().length; i++) {
            diff += Math.pow(whole.gradient()[i] - window.gradient()[i], 2);
            norm += Math.pow(whole.gradient()[i], 2);
        }
        assertTrue(norm > 0, pass + ": a gradient");
        assertTrue(Math.sqrt(diff / norm) < TOLERANCE, pass + " gradient: relative L2 difference " + Math.sqrt(diff / norm));
    }

    @Test
    void passOneOnItsWindowComputesWhatTheWholeImageDoes() {
        Scene s = Scene.make();
        try (Vgg19 net = new Vgg19(exact, narrowNet());
             Tensor composite = net.preprocess(s.composite().planes(), H, W);
             Tensor painting = net.preprocess(s.painting().planes(), H, W)) {
            Map<String, Mask> masks = LayerMasks.propagate(s.loose(), net.layerNames(), "relu5_1");
            OptimizationWindow window = OptimizationWindow.of(s.loose(), masks, net.layerNames(), Pass1.STYLE_LAYERS);
            assertTrue(window.image().width() < W * 0.7, "the window is a part of the image: " + window.image());
            float[] x = moved(net, s);
            ObjectiveOn pass1 = (start, loose, w) -> Pass1.objective(net, composite, start, painting, masks, loose, w);
            assertSame(evaluate(net, s, x, OptimizationWindow.whole(H, W, net.layerNames(), Pass1.STYLE_LAYERS), pass1),
                    evaluate(net, s, x, window, pass1), "pass 1");
        }
    }

    @Test
    void passTwoOnItsWindowComputesWhatTheWholeImageDoes() {
        Scene s = Scene.make();
        try (Vgg19 net = new Vgg19(exact, narrowNet());
             Tensor composite = net.preprocess(s.composite().planes(), H, W);
             Tensor painting = net.preprocess(s.painting().planes(), H, W)) {
            Map<String, Mask> masks = LayerMasks.propagate(s.loose(), net.layerNames(), "relu5_1");
            OptimizationWindow window = OptimizationWindow.of(s.loose(), masks, net.layerNames(), Pass2.STYLE_LAYERS);
            assertTrue(window.image().width() < W / 2, "the window is a part of the image: " + window.image());
            Mask region = Pass2.usedRegion(net, composite, painting, s.painting(), s.tight());
            StyleWeights weights = StyleWeights.of(s.painting(), 5);
            float[] x = moved(net, s);
            ObjectiveOn pass2 = (start, loose, w) -> Pass2.objective(net, start, region, painting, masks, loose, weights, w);
            assertSame(evaluate(net, s, x, OptimizationWindow.whole(H, W, net.layerNames(), Pass2.STYLE_LAYERS), pass2),
                    evaluate(net, s, x, window, pass2), "pass 2");
        }
    }

    /**
     * Any mask: the window holds its support, its corner lies on the deepest pooling's grid, and at
     * every layer it lies inside the layer, as large as the network makes the window there.
     */
    @Property(tries = 200)
    void theWindowHoldsTheMaskAndFitsEveryLayer(@ForAll @IntRange(min = 1, max = 300) int h, @ForAll @IntRange(min = 1, max = 300) int w,
                                                @ForAll @IntRange(min = 0, max = 299) int top, @ForAll @IntRange(min = 0, max = 299) int left,
                                                @ForAll @IntRange(min = 1, max = 60) int height, @ForAll @IntRange(min = 1, max = 60) int width,
                                                @ForAll boolean passOne) {
        float[] v = new float[h * w];
        int t = top % h, l = left % w;
        for (int y = t; y < Math.min(h, t + height); y++) {
            for (int x = l; x < Math.min(w, l + width); x++) {
                v[y * w + x] = 0.5f;
            }
        }
        Mask loose = new Mask(h, w, v);
        List<String> names = NAMES;
        List<String> lossLayers = passOne ? Pass1.STYLE_LAYERS : Pass2.STYLE_LAYERS;
        Map<String, Mask> masks = LayerMasks.propagate(loose, names, "relu5_1");
        OptimizationWindow window = OptimizationWindow.of(loose, masks, names, lossLayers);
        PixelBox box = window.image();
        int grid = passOne ? 16 : 8;
        assertEquals(0, box.top() % grid, "top on the grid");
        assertEquals(0, box.left() % grid, "left on the grid");
        assertTrue(box.top() <= t && box.left() <= l, "holds the mask's corner");
        assertTrue(box.top() + box.height() >= Math.min(h, t + height) && box.left() + box.width() >= Math.min(w, l + width),
                "holds the mask's far corner");
        for (String layer : lossLayers) {
            Mask m = masks.get(layer);
            PixelBox at = window.at(layer);
            assertTrue(at.top() + at.height() <= m.height() && at.left() + at.width() <= m.width(), layer + " " + at);
        }
    }

    private static List<String> layerNames() {
        try (Vgg19 net = new Vgg19(JavaDevice.float32(), narrowNet())) {
            return net.layerNames();
        }
    }
}
