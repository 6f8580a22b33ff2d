package dev.painterly.harmonizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.io.Npy;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.TestDevices;
import dev.painterly.engine.vgg.Vgg19;
import dev.painterly.engine.vgg.Vgg19Weights;
import dev.painterly.engine.vgg.Vgg19WeightsFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both passes against an independent PyTorch transcription of docs/algorithm.md
 * ({@code src/test/python/make_pass_golden.py}, float64) on a tiny example: 44 x 60, a narrow
 * seeded VGG-19-shaped net, style level 5. Every first-evaluation term of both passes within 1e-4
 * relative, the pass-2 weights, tight mask, refined field and used region at relu4_1 exactly, and
 * the first image gradient of each pass within 1e-4 relative L2. Pass 2 matches from the
 * transcription's own pass-1 output, so it is compared independently of pass-1 iterates. Runs on
 * the exact reference and on OpenCL, on the whole image ({@link OptimizationWindowTest} shows that
 * a window computes the same).
 */
class PassGoldenTest {

    private static final String DIR = "/fixtures/passes/";
    private static final double TERM_TOLERANCE = 1e-4;
    private static final double GRADIENT_TOLERANCE = 1e-4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Npy.Array npy(String name) {
        try (InputStream in = PassGoldenTest.class.getResourceAsStream(DIR + name)) {
            return Npy.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String name) {
        try (InputStream in = PassGoldenTest.class.getResourceAsStream(DIR + name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Vgg19Weights weights() {
        try (InputStream in = PassGoldenTest.class.getResourceAsStream(DIR + "net.safetensors")) {
            return Vgg19WeightsFile.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture's inputs, at working size already (nothing is resized). */
    private record Example(int h, int w, RgbImage painting, RgbImage composite, Mask tight, Mask loose, double level) {

        static Example load() {
            JsonNode meta = json("meta.json");
            int h = meta.get("height").asInt(), w = meta.get("width").asInt();
            return new Example(h, w, new RgbImage(h, w, npy("painting.npy").data()),
                    new RgbImage(h, w, npy("composite.npy").data()), new Mask(h, w, npy("tight.npy").data()),
                    new Mask(h, w, npy("loose.npy").data()), meta.get("style_level").asDouble());
        }
    }

    private static void assertTerms(JsonNode expected, Map<String, Double> actual, String pass) {
        assertEquals(expected.size(), actual.size(), pass + " terms: " + actual.keySet());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            double want = e.getValue().asDouble();
            Double got = actual.get(e.getKey());
            assertTrue(got != null, pass + " lacks term " + e.getKey());
            assertEquals(want, got, TERM_TOLERANCE * Math.abs(want) + 1e-9, pass + " " + e.getKey());
        }
    }

    private static void assertGradient(float[] expected, double[] actual, String what) {
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += (double) expected[i] * expected[i];
        }
        double relative = Math.sqrt(diff / norm);
        assertTrue(relative < GRADIENT_TOLERANCE, what + ": relative L2 error " + relative);
    }

    private static double[] download(Device d, Tensor t) {
        if (d instanceof JavaDevice) {
            return JavaDevice.data(t).clone();
        }
        float[] f = t.toArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    private static void passOne(Device d) {
        Example ex = Example.load();
        try (Vgg19 net = new Vgg19(d, weights());
             Tensor x = net.preprocess(ex.composite().planes(), ex.h(), ex.w());
             Tensor painting = net.preprocess(ex.painting().planes(), ex.h(), ex.w());
             Tensor loose = ex.loose().upload(d);
             Tensor g = d.allocate(x.shape())) {
            Map<String, Mask> masks = LayerMasks.propagate(ex.loose(), net.layerNames(), "relu5_1");
            try (HarmonizationObjective objective = Pass1.objective(net, x, x, painting, masks, loose,
                    OptimizationWindow.whole(ex.h(), ex.w(), net.layerNames(), Pass1.STYLE_LAYERS))) {
                double loss = objective.evaluate(x, g);
                assertTerms(json("terms.json").get("pass1"), objective.lastTerms(), "pass 1");
                assertEquals(objective.lastTerms().values().stream().mapToDouble(Double::doubleValue).sum(), loss, 0);
            }
            assertGradient(npy("pass1_grad.npy").data(), download(d, g), "pass-1 gradient");
        }
    }

    private static void passTwo(Device d) {
        Example ex = Example.load();
        JsonNode expectedWeights = json("meta.json").get("pass2_weights");
        StyleWeights weights = StyleWeights.of(ex.painting(), ex.level());
        assertEquals(expectedWeights.get("noise").asDouble(), weights.noise(), 1e-6 * weights.noise(), "noise");
        assertEquals(expectedWeights.get("histogram").asDouble(), weights.histogram(), 1e-5, "histogram weight");
        assertEquals(expectedWeights.get("tv_weight").asDouble(), weights.totalVariation(), 1e-5, "TV weight");

        RgbImage pass1 = new RgbImage(ex.h(), ex.w(), npy("pass1_output.npy").data());
        try (Vgg19 net = new Vgg19(d, weights());
             Tensor x = net.preprocess(ex.composite().planes(), ex.h(), ex.w());
             Tensor guide = net.preprocess(pass1.planes(), ex.h(), ex.w());
             Tensor painting = net.preprocess(ex.painting().planes(), ex.h(), ex.w());
             Tensor loose = ex.loose().upload(d);
             Tensor g = d.allocate(x.shape())) {
            Map<String, Mask> masks = LayerMasks.propagate(ex.loose(), net.layerNames(), "relu5_1");
            try (Features a = Features.of(net, guide, List.of("relu4_1"));
                 Features p = Features.of(net, painting, List.of("relu4_1"))) {
                ConsistentMapping mapping = ConsistentMapping.of(a.get("relu4_1"), p.get("relu4_1"), ex.painting(), ex.tight());
                float[] tight4 = npy("pass2_tight4.npy").data();
                assertArrayEquals(tight4, mapping.tight().threshold(0.1f).values(), "tight mask at relu4_1");
                float[] field = npy("pass2_nnf.npy").data();
                for (int i = 0; i < field.length; i++) {
                    if (tight4[i] > 0) {
                        assertEquals(field[i], mapping.field()[i], "refined match of position " + i);
                    }
                }
                assertArrayEquals(npy("pass2_region.npy").data(), mapping.region().values(), "used region at relu4_1");
            }
            Mask region = Pass2.usedRegion(net, guide, painting, ex.painting(), ex.tight());
            try (HarmonizationObjective objective = Pass2.objective(net, x, region, painting, masks, loose, weights,
                    OptimizationWindow.whole(ex.h(), ex.w(), net.layerNames(), Pass2.STYLE_LAYERS))) {
                objective.evaluate(x, g);
                assertTerms(json("terms.json").get("pass2"), objective.lastTerms(), "pass 2");
            }
            assertGradient(npy("pass2_grad.npy").data(), download(d, g), "pass-2 gradient");
        }
    }

    @Test
    void passOneOnTheReference() {
        passOne(JavaDevice.exact());
    }

    @Test
    void passTwoOnTheReference() {
        passTwo(JavaDevice.exact());
    }

    @Test
    void passOneOnOpenCl() {
        passOne(TestDevices.openCl());
    }

    @Test
    void passTwoOnOpenCl() {
        passTwo(TestDevices.openCl());
    }

    /** The fixture's shape, so that a regenerated fixture of another size fails loudly here. */
    @Test
    void fixtureIsTheTinyExample() {
        Example ex = Example.load();
        assertEquals(Shape.of(3, 44, 60).size(), ex.painting().planes().length);
    }
}
