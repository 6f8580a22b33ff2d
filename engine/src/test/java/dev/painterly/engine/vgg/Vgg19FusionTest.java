package dev.painterly.engine.vgg;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.GradientTransform;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Vgg19#forward} with each convolution fused with its ReLU computes what the separate ops
 * compute (all conv layers shown to the hook), forward and backward, on the reference and on
 * OpenCL: the same activations at every relu and pool layer and the same image gradient, equal up
 * to the sign of zeros, since the fused kernels do the same float operations. The hook replaces
 * activations at a relu layer as the harmonizer does, and the replacement feeds the next layer.
 */
class Vgg19FusionTest {

    /** Three pools deep, to relu4_1, on a map with odd sides (partial tiles, ceil-mode pools). */
    private static final Shape IMAGE = Shape.of(3, 27, 21);
    private static final String LAST = "relu4_1";

    @Test
    void fusedEqualsSeparateOnTheReference() {
        fusedEqualsSeparate(JavaDevice.float32());
    }

    @Test
    void fusedEqualsSeparateOnOpenCl() {
        fusedEqualsSeparate(TestDevices.openCl());
    }

    @Test
    void theHookSeesReluAndPoolLayersAndTheLastOne() {
        Device d = JavaDevice.float32();
        try (Vgg19 net = new Vgg19(d, Vgg19Weights.untrained(1));
             Tensor x = d.upload(IMAGE, RandomTensors.uniform(2, IMAGE.size()))) {
            assertEquals(List.of("relu1_1", "relu1_2", "pool1", "conv2_1"), seen(net, x, "conv2_1", Set.of()));
            assertEquals(List.of("conv1_1", "relu1_1", "relu1_2", "pool1"), seen(net, x, "pool1", Set.of("conv1_1")));
        }
    }

    private static List<String> seen(Vgg19 net, Tensor x, String last, Set<String> shown) {
        List<String> names = new ArrayList<>();
        try (Tape tape = new Tape(x.device())) {
            net.forward(tape, tape.constant(x), last, shown, (name, v) -> {
                names.add(name);
                return v;
            });
        }
        return names;
    }

    private static void fusedEqualsSeparate(Device d) {
        try (Vgg19 net = new Vgg19(d, Vgg19Weights.untrained(3));
             Tensor x = d.upload(IMAGE, RandomTensors.uniform(4, IMAGE.size()))) {
            Run separate = run(net, x, Set.copyOf(Vgg19Weights.CONV_NAMES));
            Run fused = run(net, x, Set.of());
            assertTrue(separate.activations.keySet().containsAll(fused.activations.keySet()));
            assertTrue(fused.activations.keySet().containsAll(List.of("relu1_1", "pool3", LAST)));
            for (Map.Entry<String, float[]> e : fused.activations.entrySet()) {
                Compare.close(separate.activations.get(e.getKey()), e.getValue(), 0, 0, e.getKey() + " on " + d.name());
            }
            Compare.close(separate.gradient, fused.gradient, 0, 0, "image gradient on " + d.name());
            assertTrue(Compare.maxAbs(fused.gradient) > 0, "a gradient reached the image");
        }
    }

    /** Activations by layer and the image gradient of one forward and backward pass. */
    private record Run(Map<String, float[]> activations, float[] gradient) {
    }

    /**
     * Forward to {@link #LAST} with the hook recording every activation it sees, and at relu2_1
     * replacing it by one whose gradient is scaled by 3 (as the harmonizer's modules inject theirs);
     * backward from a seed of twice the output.
     */
    private static Run run(Vgg19 net, Tensor x, Set<String> shown) {
        Device d = x.device();
        Map<String, float[]> activations = new LinkedHashMap<>();
        try (Tape tape = new Tape(d)) {
            Var image = tape.leaf(x);
            Var y = net.forward(tape, image, LAST, shown, (name, v) -> {
                activations.put(name, v.value().toArray());
                return name.equals("relu2_1") ? GradientTransform.apply(v, List.of(new GradientTransform.Scale(3))) : v;
            });
            try (Tensor seed = d.allocate(y.shape())) {
                d.elementwise().scale(y.value(), 2, seed);
                tape.backward(y, seed);
            }
            return new Run(activations, image.grad().toArray());
        }
    }
}
