package dev.painterly.harmonizer;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.vgg.Vgg19;
import dev.painterly.engine.vgg.Vgg19Weights;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The loose mask walked through the network has each layer's size and the spec's values. */
class LayerMasksTest {

    @Test
    void masksHaveEachLayersSizeAndFollowTheSpec() {
        int h = 37, w = 29;
        float[] v = new float[h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 7919 % 13) / 12f;
        }
        Mask m = new Mask(h, w, v);
        JavaDevice d = JavaDevice.float32();
        try (Vgg19 net = new Vgg19(d, Vgg19Weights.untrained(1))) {
            Map<String, Mask> masks = LayerMasks.propagate(m, net.layerNames(), "relu5_1");
            int[][] sizes = {{37, 29}, {19, 15}, {10, 8}, {5, 4}, {3, 2}};
            String[] layers = {"relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"};
            for (int i = 0; i < layers.length; i++) {
                assertEquals(sizes[i][0], masks.get(layers[i]).height(), layers[i]);
                assertEquals(sizes[i][1], masks.get(layers[i]).width(), layers[i]);
            }
            // conv1_1 then relu1_1: one 3x3 average of the input mask, as the engine's avgPool3x3 computes it.
            try (Tensor in = m.upload(d); Tensor out = d.allocate(Shape.of(1, h, w))) {
                d.pooling().avgPool3x3(in, out);
                Compare.close(out.toArray(), masks.get("relu1_1").values(), 1e-6, 1e-7, "relu1_1 mask");
            }
        }
    }

    @Test
    void poolingShrinksByAreaAverage() {
        // 3x3 -> 2x2 (ceil mode), s = 1.5 per axis: weights 2/3, 1/3 | 1/3, 2/3. The mask is the
        // outer product of rows [0, 1, 1] -> [1/3, 1] and columns [1, 0, 1] -> [2/3, 2/3].
        Mask m = new Mask(3, 3, new float[] {0, 0, 0, 1, 0, 1, 1, 0, 1});
        Mask pooled = LayerMasks.propagate(m, List.of("pool1"), "pool1").get("pool1");
        assertArrayEquals(new float[] {2 / 9f, 2 / 9f, 2 / 3f, 2 / 3f}, pooled.values(), 1e-6f);
    }
}
