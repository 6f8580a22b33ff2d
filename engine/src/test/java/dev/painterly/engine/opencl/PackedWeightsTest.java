package dev.painterly.engine.opencl;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rearranged weights are made once per weight tensor and layout, and never outlive the contents
 * they were made from: writing the tensor from the host, writing it from a kernel, or closing it
 * drops them, and a convolution afterwards sees the new weights. Each path that rearranges
 * weights (Winograd, both directions, and the direct kernel) is run against the reference.
 */
class PackedWeightsTest {

    private static final Shape IN = Shape.of(24, 9, 13);
    private static final Shape OUT = Shape.of(20, 9, 13);
    private static final Shape WEIGHTS = Shape.vector(20 * 24 * 9);
    /** Loose: these tests are about which weights were used, not about rounding. */
    private static final double ATOL = 1e-3;

    private final OpenClDevice cl = TestDevices.openCl();
    private final JavaDevice ref = JavaDevice.float32();
    private final ClConvolution conv = new ClConvolution(cl);

    private final float[] x = RandomTensors.uniform(1, IN.size());
    private final float[] g = RandomTensors.uniform(2, OUT.size());

    @Test
    void madeOncePerTensorAndLayout() {
        try (Tensor in = cl.upload(IN, x); Tensor w = cl.upload(WEIGHTS, RandomTensors.uniform(3, WEIGHTS.size()));
             Tensor out = cl.allocate(OUT)) {
            int before = cl.packedWeightCount();
            conv.conv3x3(in, w, null, out, ClConvolution.Variant.WINOGRAD);
            if (variants().contains(ClConvolution.Variant.WINOGRAD_FUSED)) {
                conv.conv3x3(in, w, null, out, ClConvolution.Variant.WINOGRAD_FUSED);
            }
            assertEquals(before + 1, cl.packedWeightCount(), "both Winograd kernels share one transform");
            conv.conv3x3(in, w, null, out, ClConvolution.Variant.TILED);
            conv.conv3x3(in, w, null, out, ClConvolution.Variant.TILED);
            assertEquals(before + 2, cl.packedWeightCount(), "the direct kernel's packing, once");
            w.close();
            assertEquals(before, cl.packedWeightCount(), "closing the weights drops what was made from them");
        }
    }

    @Test
    void hostWriteIsSeen() {
        everyPath(w -> cl.write(w, RandomTensors.uniform(5, WEIGHTS.size())), RandomTensors.uniform(5, WEIGHTS.size()));
    }

    @Test
    void kernelWriteIsSeen() {
        float[] scaled = RandomTensors.uniform(4, WEIGHTS.size());
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= -2;
        }
        everyPath(w -> cl.elementwise().scale(w, -2, w), scaled);
    }

    @Test
    void closedTensorsBufferReusedForNewWeights() {
        for (ClConvolution.Variant v : variants()) {
            try (Tensor in = cl.upload(IN, x); Tensor out = cl.allocate(OUT)) {
                Tensor first = cl.upload(WEIGHTS, RandomTensors.uniform(6, WEIGHTS.size()));
                conv.conv3x3(in, first, null, out, v);
                first.close();
                // The device may hand the closed tensor's buffer to the next tensor of its size.
                float[] next = RandomTensors.uniform(7, WEIGHTS.size());
                try (Tensor second = cl.upload(WEIGHTS, next)) {
                    conv.conv3x3(in, second, null, out, v);
                    Compare.close(referenceForward(next), out.toArray(), 0, ATOL, "forward after close, " + v);
                }
            }
        }
    }

    /**
     * For each path: convolves (forward and backward) with the tensor's first weights, changes
     * them with {@code change}, and checks that both directions then use {@code changed}.
     */
    private void everyPath(Consumer<Tensor> change, float[] changed) {
        for (ClConvolution.Variant v : variants()) {
            try (Tensor in = cl.upload(IN, x); Tensor go = cl.upload(OUT, g);
                 Tensor w = cl.upload(WEIGHTS, RandomTensors.uniform(4, WEIGHTS.size()));
                 Tensor out = cl.allocate(OUT); Tensor gi = cl.allocate(IN)) {
                conv.conv3x3(in, w, null, out, v);
                conv.conv3x3BackwardInput(go, w, gi, v);
                change.accept(w);
                conv.conv3x3(in, w, null, out, v);
                conv.conv3x3BackwardInput(go, w, gi, v);
                Compare.close(referenceForward(changed), out.toArray(), 0, ATOL, "forward after the change, " + v);
                Compare.close(referenceBackward(changed), gi.toArray(), 0, ATOL, "backward after the change, " + v);
            }
        }
    }

    /**
     * The variants that can run both directions of this test's convolution here: the fused
     * Winograd kernel needs more local memory than a GPU's 48 KiB at these channel counts (see
     * WinogradKernelProperties, which checks that it is refused there).
     */
    private List<ClConvolution.Variant> variants() {
        return Arrays.stream(ClConvolution.Variant.values())
                .filter(v -> v != ClConvolution.Variant.WINOGRAD_FUSED
                        || conv.fusedFits(IN.channels()) && conv.fusedFits(OUT.channels()))
                .toList();
    }

    private float[] referenceForward(float[] weights) {
        try (Tensor in = ref.upload(IN, x); Tensor w = ref.upload(WEIGHTS, weights); Tensor out = ref.allocate(OUT)) {
            ref.convolution().conv3x3(in, w, null, out);
            return out.toArray();
        }
    }

    private float[] referenceBackward(float[] weights) {
        try (Tensor go = ref.upload(OUT, g); Tensor w = ref.upload(WEIGHTS, weights); Tensor gi = ref.allocate(IN)) {
            ref.convolution().conv3x3BackwardInput(go, w, gi);
            return gi.toArray();
        }
    }
}
