package dev.painterly.harmonizer;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.vgg.Vgg19;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
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
 * wherever the gradient is not 0. On the exact reference (float64), the same doubles, with the
 * golden test's narrow VGG-19-shaped net, both passes on the whole image of a scene whose object
 * is small; and the boxes by hand.
 */
class GradientSupportTest {

    private final JavaDevice exact = JavaDevice.exact();

    /** Terms and gradient of one evaluation at x, with crops and on whole planes, the same. */
    private void assertCropsChangeNothing(Vgg19 net, float[] x, Function<Tensor, HarmonizationObjective> objective, String pass) {
        Shape shape = Shape.of(3, H, W);
        double[][] gradients = new double[2][];
        List<Map<String, Double>> terms = new ArrayList<>();
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
        assertEquals(terms.get(1), terms.get(0), pass + ": the terms (the forward pass is the same)");
        // A crop leaves out only sums of exact zeros: the same doubles.
        boolean any = false;
        for (int i = 0; i < gradients[1].length; i++) {
            any |= gradients[1][i] != 0;
            if (gradients[0][i] != gradients[1][i]) {
                throw new AssertionError(pass + " gradient at " + i + ": cropped " + gradients[0][i] + ", whole " + gradients[1][i]);
            }
        }
        assertTrue(any, pass + ": a gradient");
    }

    /** A pass's objective on the scene's whole image, by its starting image, set up once. */
    private interface PassObjective {
        Function<Tensor, HarmonizationObjective> on(Vgg19 net, OptimizationWindowTest.Scene s, Tensor composite, Tensor painting,
                                                    Tensor loose, Map<String, Mask> masks);
    }

    /** {@link #assertCropsChangeNothing} for a pass on the scene, with the narrow net. */
    private void assertCropsChangeNothingOnTheScene(PassObjective pass, String name) {
        OptimizationWindowTest.Scene s = OptimizationWindowTest.Scene.make();
        try (Vgg19 net = new Vgg19(exact, OptimizationWindowTest.narrowNet());
             Tensor composite = net.preprocess(s.composite().planes(), H, W);
             Tensor painting = net.preprocess(s.painting().planes(), H, W);
             Tensor loose = s.loose().upload(exact)) {
            Map<String, Mask> masks = LayerMasks.propagate(s.loose(), net.layerNames(), "relu5_1");
            assertCropsChangeNothing(net, OptimizationWindowTest.moved(net, s), pass.on(net, s, composite, painting, loose, masks),
                    name);
        }
    }

    @Test
    void passOneOnCropsComputesWhatWholePlanesDo() {
        assertCropsChangeNothingOnTheScene((net, s, composite, painting, loose, masks) -> {
            OptimizationWindow whole = OptimizationWindow.whole(H, W, net.layerNames(), Pass1.STYLE_LAYERS);
            return x -> Pass1.objective(net, composite, x, painting, masks, loose, whole);
        }, "pass 1");
    }

    @Test
    void passTwoOnCropsComputesWhatWholePlanesDo() {
        assertCropsChangeNothingOnTheScene((net, s, composite, painting, loose, masks) -> {
            OptimizationWindow whole = OptimizationWindow.whole(H, W, net.layerNames(), Pass2.STYLE_LAYERS);
            Mask region = Pass2.usedRegion(net, composite, painting, s.painting(), s.tight());
            StyleWeights weights = StyleWeights.of(s.painting(), 5);
            return x -> Pass2.objective(net, x, region, painting, masks, loose, weights, whole);
        }, "pass 2");
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

    /** On an 8 x 8 plane a box of 56 positions is cropped (at most 0.9 of 64), one of 64 is not. */
    @Test
    void aBoxOfNearlyTheWholePlaneIsNotCropped() {
        List<String> layers = List.of("conv1_1", "relu1_1", "conv1_2", "relu1_2");
        float[] rows = new float[64];
        Arrays.fill(rows, 0, 6 * 8, 1f);
        assertEquals(Map.of("conv1_2", new Span(0, 0, 6, 7)),
                GradientSupport.boxes(layers, 8, 8, Map.of("relu1_2", new Mask(8, 8, rows))));
        float[] all = new float[64];
        Arrays.fill(all, 1f);
        assertTrue(GradientSupport.boxes(layers, 8, 8, Map.of("relu1_2", new Mask(8, 8, all))).isEmpty());
    }

    /**
     * A second loss layer's mask bounds the box again; a ceil-mode pooling of an odd plane (9 to 5)
     * with the box on its last row unpools it within the plane; a mask of zeros stops the gradient
     * until the next loss layer down starts it again.
     */
    @Test
    void aLossLayerBoundsTheBoxAgainAndAPoolingOfAnOddPlaneStaysInside() {
        List<String> layers = List.of("conv1_1", "relu1_1", "conv1_2", "relu1_2", "pool1", "conv2_1", "relu2_1", "conv2_2",
                "relu2_2");
        float[] deep = new float[25];
        deep[4 * 5 + 4] = 1f;
        float[] shallow = new float[81];
        shallow[0] = 1f;
        Map<String, Span> boxes = GradientSupport.boxes(layers, 9, 9, Map.of("relu2_2", new Mask(5, 5, deep),
                "relu1_2", new Mask(9, 9, shallow)));
        // conv2_2: (4,4) grown to 3..4; conv2_1: 2..4; pool1 (9 -> 5): rows 4..8; relu1_2's mask: (0,0); conv1_2: 0..1.
        assertEquals(Map.of("conv2_2", new Span(3, 3, 4, 4), "conv2_1", new Span(2, 2, 4, 4), "conv1_2", new Span(0, 0, 1, 1)),
                boxes);
        Map<String, Span> stopped = GradientSupport.boxes(layers, 9, 9, Map.of("relu2_2", new Mask(5, 5, new float[25]),
                "relu1_2", new Mask(9, 9, shallow)));
        assertEquals(Map.of("conv1_2", new Span(0, 0, 1, 1)), stopped);
    }
}
