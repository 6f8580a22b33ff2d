package dev.painterly.harmonizer;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.vgg.Vgg19;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.painterly.harmonizer.OptimizationWindowTest.H;
import static dev.painterly.harmonizer.OptimizationWindowTest.W;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each convolution's backward on its crop gives what it gives on its whole plane: the boxes hold
 * wherever the gradient is not 0. On the exact reference (float64), with the golden test's narrow
 * VGG-19-shaped net, both passes on the whole image of a scene whose object is small.
 */
class GradientSupportTest {

    private static final double TOLERANCE = 1e-12;

    private final JavaDevice exact = JavaDevice.exact();

    /** Terms and gradient of one evaluation at x, with crops and on whole planes, the same. */
    private void assertCropsChangeNothing(Vgg19 net, float[] x, Function<Tensor, HarmonizationObjective> objective, String pass) {
        Shape shape = Shape.of(3, H, W);
        double[][] gradients = new double[2][];
        List<Map<String, Double>> terms = new java.util.ArrayList<>();
        for (int k = 0; k < 2; k++) {
            try (Tensor xT = exact.upload(shape, x); Tensor g = exact.allocate(shape); HarmonizationObjective o = objective.apply(xT)) {
                if (k == 0) {
                    assertTrue(o.croppedLayers().containsAll(List.of("conv1_2", "conv2_1", "conv2_2")),
                            pass + ": the first blocks run on crops, got " + o.croppedLayers());
                } else {
                    o.wholePlanes();
                }
                o.evaluate(xT, g);
                gradients[k] = JavaDevice.data(g);
                terms.add(o.lastTerms());
            }
        }
        assertEquals(terms.get(1).keySet(), terms.get(0).keySet(), pass);
        for (String term : terms.get(1).keySet()) {
            Compare.close(terms.get(1).get(term), terms.get(0).get(term), TOLERANCE, 0, pass + " " + term);
        }
        double norm = 0, diff = 0;
        for (int i = 0; i < gradients[1].length; i++) {
            norm += gradients[1][i] * gradients[1][i];
            diff += Math.pow(gradients[1][i] - gradients[0][i], 2);
        }
        assertTrue(norm > 0, pass + ": a gradient");
        assertTrue(Math.sqrt(diff / norm) < TOLERANCE, pass + " gradient: relative L2 difference " + Math.sqrt(diff / norm));
    }

    @Test
    void passOneOnCropsComputesWhatWholePlanesDo() {
        OptimizationWindowTest.Scene s = OptimizationWindowTest.Scene.make();
        try (Vgg19 net = new Vgg19(exact, OptimizationWindowTest.narrowNet());
             Tensor composite = net.preprocess(s.composite().planes(), H, W);
             Tensor painting = net.preprocess(s.painting().planes(), H, W);
             Tensor loose = s.loose().upload(exact)) {
            Map<String, Mask> masks = LayerMasks.propagate(s.loose(), net.layerNames(), "relu5_1");
            OptimizationWindow whole = OptimizationWindow.whole(H, W, net.layerNames(), Pass1.STYLE_LAYERS);
            assertCropsChangeNothing(net, OptimizationWindowTest.moved(net, s),
                    x -> Pass1.objective(net, composite, x, painting, masks, loose, whole), "pass 1");
        }
    }

    @Test
    void passTwoOnCropsComputesWhatWholePlanesDo() {
        OptimizationWindowTest.Scene s = OptimizationWindowTest.Scene.make();
        try (Vgg19 net = new Vgg19(exact, OptimizationWindowTest.narrowNet());
             Tensor composite = net.preprocess(s.composite().planes(), H, W);
             Tensor painting = net.preprocess(s.painting().planes(), H, W);
             Tensor loose = s.loose().upload(exact)) {
            Map<String, Mask> masks = LayerMasks.propagate(s.loose(), net.layerNames(), "relu5_1");
            OptimizationWindow whole = OptimizationWindow.whole(H, W, net.layerNames(), Pass2.STYLE_LAYERS);
            Mask region = Pass2.usedRegion(net, composite, painting, s.painting(), s.tight());
            StyleWeights weights = StyleWeights.of(s.painting(), 5);
            assertCropsChangeNothing(net, OptimizationWindowTest.moved(net, s),
                    x -> Pass2.objective(net, x, region, painting, masks, loose, weights, whole), "pass 2");
        }
    }

    /**
     * By hand: a mask at relu2_1 of an 8 x 8 layer (a 16 x 16 input) that is not 0 at one position;
     * conv2_1 widens it by one, pool1 doubles it, conv1_2 widens it again; conv1_1 is left whole.
     */
    @Test
    void theBoxesGrowByOnePerConvolutionAndDoubleThroughAPooling() {
        float[] m = new float[64];
        m[2 * 8 + 3] = 0.5f;
        List<String> layers = List.of("conv1_1", "relu1_1", "conv1_2", "relu1_2", "pool1", "conv2_1", "relu2_1", "conv2_2");
        Map<String, Span> boxes = GradientSupport.boxes(layers, 16, 16, Map.of("relu2_1", new Mask(8, 8, m)));
        assertEquals(Map.of("conv2_1", new Span(1, 2, 3, 4), "conv1_2", new Span(1, 3, 8, 10)), boxes);
        assertFalse(boxes.containsKey("conv1_1"));
    }

    @Test
    void aBoxOfNearlyTheWholePlaneIsNotCropped() {
        float[] m = new float[64];
        java.util.Arrays.fill(m, 1f);
        Map<String, Span> boxes = GradientSupport.boxes(List.of("conv1_1", "relu1_1", "conv1_2", "relu1_2"), 8, 8,
                Map.of("relu1_2", new Mask(8, 8, m)));
        assertTrue(boxes.isEmpty(), "got " + boxes);
    }
}
