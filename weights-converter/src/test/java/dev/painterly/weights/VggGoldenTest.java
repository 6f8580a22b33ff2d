package dev.painterly.weights;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.io.Npy;
import dev.painterly.engine.ops.MeanSquaredError;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.TestDevices;
import dev.painterly.engine.vgg.Vgg19;
import dev.painterly.engine.vgg.Vgg19Weights;
import dev.painterly.engine.vgg.Vgg19WeightsFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden tests against PyTorch (fixtures made by src/test/python/make_vgg_fixtures.py): each
 * weights file, converted, gives PyTorch's activations at relu1_1 .. relu5_1 for a 37x29 image
 * (where ceil and floor pooling differ), and PyTorch's gradient of L = sum over those layers of
 * mean(activation^2) with respect to the network input, within 1e-4 relative (L2), on the
 * OpenCL device and on the Java reference.
 */
class VggGoldenTest {

    static final List<String> LAYERS = List.of("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1");
    static final double TOLERANCE = 1e-4;

    @TempDir
    Path tmp;

    static Path fixture(Path dir, String name) throws IOException {
        Path p = dir.resolve(name.replace('/', '_'));
        try (InputStream in = VggGoldenTest.class.getResourceAsStream("/fixtures/vgg/" + name)) {
            assertTrue(in != null, "fixture " + name + " missing");
            Files.copy(in, p);
        }
        return p;
    }

    @ParameterizedTest(name = "{0} on {2}")
    @CsvSource({
        "tiny_vgg19_zip.pth, torchvision, opencl",
        "tiny_vgg19_legacy.pth, torchvision, opencl",
        "tiny_vgg19_v2.caffemodel, caffe, opencl",
        "tiny_vgg19_v1.caffemodel, caffe, opencl",
        "tiny_vgg19_zip.pth, torchvision, java",
        "tiny_vgg19_v1.caffemodel, caffe, java"})
    void convertedWeightsReproducePyTorch(String weightsFile, String convention, String deviceName) throws IOException {
        Path converted = tmp.resolve("converted.safetensors");
        WeightsConverter.convert(fixture(tmp, weightsFile), converted, false);
        Device device = deviceName.equals("java") ? JavaDevice.float32() : TestDevices.openCl();
        assertReproducesPyTorch(converted, convention, device, tmp);
    }

    /**
     * The weights in our format in {@code file} give PyTorch's activations and gradient for the
     * fixture image, in {@code convention}; {@code tmp} receives copies of the fixtures.
     */
    static void assertReproducesPyTorch(Path file, String convention, Device device, Path tmp) throws IOException {
        Vgg19Weights weights = Vgg19WeightsFile.read(file);
        assertEquals(convention, weights.convention().id());
        Npy.Array image = Npy.read(fixture(tmp, "input.npy"));
        int h = (int) image.shape()[1], w = (int) image.shape()[2];
        List<Tensor> zeros = new ArrayList<>();
        try (Vgg19 net = new Vgg19(device, weights); Tensor input = net.preprocess(image.data(), h, w);
             Tape tape = new Tape(device)) {
            Var x = tape.leaf(input);
            Map<String, Var> features = net.features(tape, x, LAYERS);
            List<Var> terms = new ArrayList<>();
            for (String layer : LAYERS) {
                Var a = features.get(layer);
                Npy.Array expected = Npy.read(fixture(tmp, convention + "/" + layer + ".npy"));
                assertEquals(expected.shape()[0], a.shape().channels(), layer + " channels");
                assertEquals(expected.shape()[1], a.shape().height(), layer + " height");
                assertEquals(expected.shape()[2], a.shape().width(), layer + " width");
                assertClose(expected.data(), a.value().toArray(), layer);
                // mean(a^2) is the mean squared error against zero.
                Tensor zero = device.allocate(a.shape());
                zeros.add(zero);
                device.fill(zero, 0);
                terms.add(MeanSquaredError.apply(a, tape.constant(zero)));
            }
            // The gradient of the sum is the sum of the terms' gradients: one backward per term,
            // each accumulating at the input (the tape frees its inner gradients after each).
            for (Var term : terms) {
                tape.backward(term);
            }
            Npy.Array grad = Npy.read(fixture(tmp, convention + "/grad_input.npy"));
            assertClose(grad.data(), x.grad().toArray(), "gradient with respect to the input");
        } finally {
            zeros.forEach(Tensor::close);
        }
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " size");
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = actual[i] - (double) expected[i];
            diff += d * d;
            norm += (double) expected[i] * expected[i];
        }
        double rel = Math.sqrt(diff / Math.max(norm, 1e-300));
        assertTrue(rel <= TOLERANCE, what + ": relative L2 error " + rel + " > " + TOLERANCE);
    }
}
