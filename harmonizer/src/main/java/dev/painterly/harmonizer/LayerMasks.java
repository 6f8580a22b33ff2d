package dev.painterly.harmonizer;

import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.ops.AvgPool3x3;
import dev.painterly.engine.reference.JavaDevice;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loose mask walked through the network (docs/algorithm.md section 0): after each convolution a
 * 3x3 average (zero padding, always divided by 9: the op {@link AvgPool3x3}); at each pooling
 * layer a "bilinear" resize to ceil(h/2) x ceil(w/2), which shrinks and so averages areas; ReLU
 * leaves it unchanged.
 */
public final class LayerMasks {

    private LayerMasks() {
    }

    /** The mask at each of the given layers (names in network order, as Vgg19.layerNames()). */
    public static Map<String, Mask> propagate(Mask mask, List<String> networkLayers, String deepest) {
        // Masks are host data walked once per job: the exact reference runs the op where they are.
        JavaDevice reference = JavaDevice.exact();
        Map<String, Mask> out = new LinkedHashMap<>();
        Mask m = mask;
        for (String layer : networkLayers) {
            if (layer.startsWith("conv")) {
                m = average3x3(reference, m);
            } else if (layer.startsWith("pool")) {
                m = m.resize((m.height() + 1) / 2, (m.width() + 1) / 2);
            }
            out.put(layer, m);
            if (layer.equals(deepest)) {
                break;
            }
        }
        return out;
    }

    private static Mask average3x3(JavaDevice reference, Mask m) {
        try (Tensor t = m.upload(reference); Tape tape = new Tape(reference)) {
            return new Mask(m.height(), m.width(), AvgPool3x3.apply(tape.constant(t)).value().toArray());
        }
    }
}
