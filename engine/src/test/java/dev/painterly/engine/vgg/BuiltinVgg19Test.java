package dev.painterly.engine.vgg;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.reference.JavaDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in network on the reference device, calibrated on two small images (odd sizes, so
 * that ceil-mode pooling leaves partial windows).
 */
class BuiltinVgg19Test {

    @TempDir
    Path dir;

    /** A painting-like image: a few soft colour fields, stripes and noise. */
    private static RgbImage image(int height, int width, long seed) {
        Random r = new Random(seed);
        float[] planes = new float[3 * height * width];
        double fx = 0.2 + r.nextDouble() * 0.6, fy = 0.2 + r.nextDouble() * 0.6;
        for (int c = 0; c < 3; c++) {
            double base = r.nextDouble();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double v = base * 0.5 + 0.25 * Math.sin(fx * x + c) * Math.cos(fy * y) + 0.15 * r.nextDouble()
                            + (x > width / 2 ? 0.2 : 0);
                    planes[(c * height + y) * width + x] = (float) Math.min(1, Math.max(0, v));
                }
            }
        }
        return new RgbImage(height, width, planes);
    }

    private static final List<RgbImage> IMAGES = List.of(image(37, 29, 1), image(37, 29, 2));

    private static byte[] bytes(Vgg19Weights w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Vgg19WeightsFile.write(w, out, Map.of());
        return out.toByteArray();
    }

    @Test
    void theSameImagesGiveTheSameNetworkByteForByte() throws IOException {
        Device d = JavaDevice.float32();
        byte[] first = bytes(BuiltinVgg19.forJob(d, 37, IMAGES.toArray(RgbImage[]::new)));
        byte[] second = bytes(BuiltinVgg19.forJob(d, 37, IMAGES.toArray(RgbImage[]::new)));
        assertArrayEquals(first, second);
        byte[] other = bytes(BuiltinVgg19.forJob(d, 37, image(37, 29, 3), IMAGES.get(1)));
        assertTrue(!Arrays.equals(first, other), "the network depends on the calibration images");
    }

    @Test
    void everyChannelHasMeanZeroAndVarianceOneOnItsCalibrationImages() {
        Device d = JavaDevice.float32();
        Vgg19Weights raw = Vgg19Weights.untrained(BuiltinVgg19.SEED);
        Vgg19Weights normalised = ChannelCalibration.normalise(d, raw, IMAGES);
        Map<String, List<float[]>> pre = convOutputs(d, normalised);
        for (ConvLayer layer : normalised.layers()) {
            int channels = layer.outChannels();
            double[][] stats = channelStats(pre.get(layer.name()), channels);
            for (int c = 0; c < channels; c++) {
                String where = layer.name() + " channel " + c;
                assertEquals(0, stats[0][c], 1e-3, where + " mean");
                assertEquals(1, stats[1][c], 2e-3, where + " variance");
            }
        }
        // Without calibration the He-normal network is far from that: the test can fail.
        double[][] before = channelStats(convOutputs(d, raw).get("conv5_1"), 512);
        assertTrue(Math.abs(before[1][0] - 1) > 0.1, "uncalibrated variance " + before[1][0]);
    }

    @Test
    void theGainsScaleTheActivationsFromTheirLayerOnExactly() {
        Device d = JavaDevice.float32();
        Vgg19Weights normalised = ChannelCalibration.normalise(d, Vgg19Weights.untrained(BuiltinVgg19.SEED), IMAGES);
        List<String> layers = List.of("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1");
        Map<String, float[]> plain = relu(d, normalised, layers);
        // G from conv1_1 scales everything; D from conv4_1 only relu4_1 and relu5_1.
        assertScaled(plain, relu(d, BuiltinVgg19.scaledFrom(normalised, "conv1_1", 2000f), layers),
                Map.of("relu1_1", 2000f, "relu2_1", 2000f, "relu3_1", 2000f, "relu4_1", 2000f, "relu5_1", 2000f));
        assertScaled(plain, relu(d, BuiltinVgg19.scaledFrom(normalised, "conv4_1", 10f), layers),
                Map.of("relu1_1", 1f, "relu2_1", 1f, "relu3_1", 1f, "relu4_1", 10f, "relu5_1", 10f));
    }

    private static void assertScaled(Map<String, float[]> plain, Map<String, float[]> scaled, Map<String, Float> factors) {
        for (Map.Entry<String, Float> f : factors.entrySet()) {
            float[] a = plain.get(f.getKey()), b = scaled.get(f.getKey());
            double largest = 0;
            for (float v : a) {
                largest = Math.max(largest, Math.abs(v));
            }
            assertTrue(largest > 0, f.getKey() + " is all zero");
            for (int i = 0; i < a.length; i++) {
                // float32 rounding, relative to the layer's scale (a value near 0 may round either way).
                assertEquals(f.getValue() * a[i], b[i], 1e-4 * f.getValue() * largest, f.getKey() + "[" + i + "]");
            }
        }
    }

    @Test
    void aSavedNetworkReadsBackEqual() throws IOException {
        Vgg19Weights w = BuiltinVgg19.forJob(JavaDevice.float32(), 37, IMAGES.toArray(RgbImage[]::new));
        Path file = dir.resolve("builtin.safetensors");
        Vgg19WeightsFile.write(w, file, BuiltinVgg19.recipe(37));
        Vgg19Weights back = Vgg19WeightsFile.read(file);
        assertEquals(w.convention(), back.convention());
        assertEquals(w.layers().size(), back.layers().size());
        for (int i = 0; i < w.layers().size(); i++) {
            ConvLayer a = w.layers().get(i), b = back.layers().get(i);
            assertEquals(a.name(), b.name());
            assertArrayEquals(a.weight(), b.weight(), a.name());
            assertArrayEquals(a.bias(), b.bias(), a.name());
        }
    }

    /** Every convolution's output (the pre-activation) on each calibration image, through the network's own forward. */
    private static Map<String, List<float[]>> convOutputs(Device d, Vgg19Weights w) {
        Map<String, List<float[]>> out = new HashMap<>();
        try (Vgg19 net = new Vgg19(d, w)) {
            for (RgbImage im : IMAGES) {
                try (Tape tape = new Tape(d); Tensor x = net.preprocess(im.planes(), im.height(), im.width())) {
                    net.forward(tape, tape.constant(x), "conv5_1", Set.copyOf(Vgg19Weights.CONV_NAMES), (name, v) -> {
                        if (name.startsWith("conv")) {
                            out.computeIfAbsent(name, k -> new ArrayList<>()).add(v.value().toArray());
                        }
                        return v;
                    });
                }
            }
        }
        return out;
    }

    /** Per channel, the mean and the variance pooled over all images and positions. */
    private static double[][] channelStats(List<float[]> maps, int channels) {
        double[] sum = new double[channels], squares = new double[channels];
        long n = 0;
        for (float[] m : maps) {
            int plane = m.length / channels;
            n += plane;
            for (int c = 0; c < channels; c++) {
                for (int p = c * plane; p < (c + 1) * plane; p++) {
                    sum[c] += m[p];
                    squares[c] += (double) m[p] * m[p];
                }
            }
        }
        double[][] stats = new double[2][channels];
        for (int c = 0; c < channels; c++) {
            stats[0][c] = sum[c] / n;
            stats[1][c] = squares[c] / n - stats[0][c] * stats[0][c];
        }
        return stats;
    }

    private static Map<String, float[]> relu(Device d, Vgg19Weights w, List<String> layers) {
        Map<String, float[]> out = new HashMap<>();
        RgbImage im = IMAGES.get(0);
        try (Vgg19 net = new Vgg19(d, w); Tape tape = new Tape(d);
             Tensor x = net.preprocess(im.planes(), im.height(), im.width())) {
            for (Map.Entry<String, Var> e : net.features(tape, tape.constant(x), layers).entrySet()) {
                out.put(e.getKey(), e.getValue().value().toArray());
            }
        }
        return out;
    }
}
