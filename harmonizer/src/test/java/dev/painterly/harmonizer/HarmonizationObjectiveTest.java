package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.GradientTransform;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.TestDevices;
import dev.painterly.engine.vgg.ConvLayer;
import dev.painterly.engine.vgg.InputConvention;
import dev.painterly.engine.vgg.Vgg19;
import dev.painterly.engine.vgg.Vgg19Weights;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The objective's weighting and masking rules on hand-computed values: pass 2 normalises a
 * module's raw gradient before weighting it, and masks its TV term by the loose mask before
 * normalising, again after adding the network's gradient, and once more at the end; pass 1 adds
 * 1e-3 TV and masks once.
 */
class HarmonizationObjectiveTest {

    private final JavaDevice exact = JavaDevice.exact();

    @Test
    void passTwoNormalisesTheRawGradientBeforeWeighting() {
        // |g| = 5e-9: g / (|g| + 1e-8) * 10 = g * 10 / 1.5e-8, not 10 g / (10 |g| + 1e-8).
        assertArrayEquals(new double[] {2, 8.0 / 3}, weighted(exact, true), 1e-12);
        assertArrayEquals(new double[] {3e-8, 4e-8}, weighted(exact, false), 1e-20);
        assertArrayEquals(new double[] {2, 8.0 / 3}, weighted(TestDevices.openCl(), true), 1e-6);
        assertArrayEquals(new double[] {3e-8, 4e-8}, weighted(TestDevices.openCl(), false), 1e-14);
    }

    /**
     * The own gradient (3e-9, 4e-9) of a module at the top of the network weighted by 10 as a
     * pass weights it where it joins the network's gradient (none has arrived), under a mask of 1.
     */
    private static double[] weighted(Device d, boolean normalized) {
        try (Tensor x = upload(d, 0, 0); Tensor g = upload(d, 3e-9, 4e-9); Tensor ones = upload(d, 1, 1);
             Tape tape = new Tape(d)) {
            Var in = tape.leaf(x);
            GradientTransform.apply(in, List.of(new GradientTransform.AddGradient(g, HarmonizationObjective.weighting(10, normalized)),
                    new GradientTransform.Mask(ones)));
            tape.backward();
            if (d instanceof JavaDevice j) {
                return j.downloadDoubles(in.grad());
            }
            float[] got = in.grad().toArray();
            return new double[] {got[0], got[1]};
        }
    }

    /** Two values as a 1 x 1 x 2 map: in double on the reference, so that its results are exact. */
    private static Tensor upload(Device d, double a, double b) {
        Shape s = Shape.of(1, 1, 2);
        return d instanceof JavaDevice j ? j.uploadDoubles(s, new double[] {a, b}) : d.upload(s, new float[] {(float) a, (float) b});
    }

    /** A 2x2 image, one channel shown: the TV gradient is dx + dy at (0,0), -dx at (0,1), -dy at (1,0), 0 at (1,1). */
    private static double[] tvGradient(double[] x) {
        double[] g = new double[x.length];
        for (int c = 0; c < 3; c++) {
            int o = 4 * c;
            double dx = x[o] - x[o + 1];
            double dy = x[o] - x[o + 2];
            g[o] = dx + dy;
            g[o + 1] = -dx;
            g[o + 2] = -dy;
        }
        return g;
    }

    private static final double[] IMAGE = {1, 4, 2, 8, -3, 0, 5, 1, 2, 2, 7, -1};
    private static final double[] LOOSE = {1, 0.5, 0.25, 0};

    /** The gradient with the network silenced: one style module at relu1_1 of weight 0. */
    private double[] gradient(boolean normalized, double tvWeight) {
        try (Vgg19 net = new Vgg19(exact, tinyNetwork());
             Tensor x = exact.uploadDoubles(Shape.of(3, 2, 2), IMAGE);
             Tensor loose = exact.uploadDoubles(Shape.of(1, 2, 2), LOOSE);
             Tensor g = exact.allocate(Shape.of(3, 2, 2))) {
            Tensor layerMask = exact.uploadDoubles(Shape.of(1, 2, 2), new double[] {1, 1, 1, 1});
            Tensor target = exact.uploadDoubles(Shape.of(1, 2, 2), new double[] {1, 0, 0, 1});
            Map<String, List<LayerLoss>> losses = new LinkedHashMap<>();
            losses.put("relu1_1", List.of(new StyleLoss("relu1_1", target, layerMask, 4, 0, normalized)));
            try (HarmonizationObjective objective = new HarmonizationObjective(net, losses,
                    Map.of("relu1_1", layerMask), loose, tvWeight, normalized)) {
                objective.evaluate(x, g);
            }
            return exact.downloadDoubles(g);
        }
    }

    @Test
    void passTwoMasksTheTvTermBeforeNormalisingAndTheSumTwice() {
        double[] tv = tvGradient(IMAGE);
        double[] masked = new double[tv.length];
        double norm = 0;
        for (int i = 0; i < tv.length; i++) {
            masked[i] = tv[i] * LOOSE[i % 4];
            norm += masked[i] * masked[i];
        }
        norm = Math.sqrt(norm);
        double[] expected = new double[tv.length];
        for (int i = 0; i < tv.length; i++) {
            double m = LOOSE[i % 4];
            expected[i] = m * m * 7 * masked[i] / (norm + 1e-8);
        }
        assertArrayEquals(expected, gradient(true, 7), 1e-12);
    }

    @Test
    void passOneAddsTheTvTermAndMasksOnce() {
        double[] tv = tvGradient(IMAGE);
        double[] expected = new double[tv.length];
        for (int i = 0; i < tv.length; i++) {
            expected[i] = LOOSE[i % 4] * 1e-3 * tv[i];
        }
        assertArrayEquals(expected, gradient(false, 1e-3), 1e-15);
    }

    @Test
    void termsAreReportedByName() {
        try (Vgg19 net = new Vgg19(exact, tinyNetwork());
             Tensor x = exact.uploadDoubles(Shape.of(3, 2, 2), IMAGE);
             Tensor loose = exact.uploadDoubles(Shape.of(1, 2, 2), LOOSE);
             Tensor g = exact.allocate(Shape.of(3, 2, 2))) {
            Tensor layerMask = exact.uploadDoubles(Shape.of(1, 2, 2), new double[] {1, 1, 1, 1});
            Tensor content = exact.uploadDoubles(Shape.of(2, 2, 2), new double[8]);
            Tensor target = exact.uploadDoubles(Shape.of(1, 2, 2), new double[4]);
            Map<String, List<LayerLoss>> losses = new LinkedHashMap<>();
            losses.put("relu1_1", List.of(new ContentLoss("relu1_1", content, layerMask, 2, true, 8),
                    new StyleLoss("relu1_1", target, layerMask, 4, 3, true)));
            try (HarmonizationObjective objective = new HarmonizationObjective(net, losses,
                    Map.of("relu1_1", layerMask), loose, 1, true)) {
                double loss = objective.evaluate(x, g);
                Map<String, Double> terms = objective.lastTerms();
                assertEquals(List.of("content", "style_relu1_1"), new ArrayList<>(terms.keySet()));
                assertEquals(terms.get("content") + terms.get("style_relu1_1"), loss, 0);
                assertEquals(true, terms.get("content") > 0 && terms.get("style_relu1_1") > 0);
            }
        }
    }

    /**
     * On OpenCL an evaluation never waits for the device halfway: its only transfers to the host
     * are the modules' values, read once everything is queued (one each), in both passes.
     */
    @Test
    void anEvaluationReadsNothingButItsLossValues() {
        Device cl = TestDevices.openCl();
        for (boolean normalized : new boolean[] {false, true}) {
            try (Vgg19 net = new Vgg19(cl, tinyNetwork());
                 Tensor x = cl.upload(Shape.of(3, 2, 2), toFloats(IMAGE));
                 Tensor loose = cl.upload(Shape.of(1, 2, 2), toFloats(LOOSE));
                 Tensor g = cl.allocate(Shape.of(3, 2, 2))) {
                Tensor layerMask = cl.upload(Shape.of(1, 2, 2), new float[] {1, 1, 0.5f, 1});
                Tensor content = cl.upload(Shape.of(2, 2, 2), new float[8]);
                Tensor target = cl.upload(Shape.of(1, 2, 2), new float[4]);
                Map<String, List<LayerLoss>> losses = new LinkedHashMap<>();
                losses.put("relu1_1", List.of(new ContentLoss("relu1_1", content, layerMask, 2, normalized, 8),
                        new StyleLoss("relu1_1", target, layerMask, 3.5, 3, normalized)));
                try (HarmonizationObjective objective = new HarmonizationObjective(net, losses,
                        Map.of("relu1_1", layerMask), loose, 1, normalized)) {
                    objective.evaluate(x, g);
                    long before = cl.stats().downloads();
                    objective.evaluate(x, g);
                    assertEquals(2, cl.stats().downloads() - before, "downloads in one evaluation, normalized=" + normalized);
                }
            }
        }
    }

    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /** conv1_1 .. conv5_1 with two channels each, deterministic. */
    static Vgg19Weights tinyNetwork() {
        List<ConvLayer> layers = new ArrayList<>();
        int in = 3;
        for (int i = 0; i < Vgg19Weights.REQUIRED_LAYERS; i++) {
            float[] w = new float[2 * in * 9];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) Math.sin(1.7 * k + i);
            }
            layers.add(new ConvLayer(Vgg19Weights.CONV_NAMES.get(i), in, 2, w, new float[] {0.1f, -0.05f}));
            in = 2;
        }
        return new Vgg19Weights(InputConvention.CAFFE, layers, false);
    }
}
