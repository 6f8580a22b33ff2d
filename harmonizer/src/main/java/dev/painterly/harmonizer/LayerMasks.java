package dev.painterly.harmonizer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loose mask walked through the network (ALGORITHM.md section 0): after each convolution a
 * 3x3 average (zero padding, always divided by 9); at each pooling layer a "bilinear" resize to
 * ceil(h/2) x ceil(w/2), which shrinks and so averages areas; ReLU leaves it unchanged.
 */
public final class LayerMasks {

    private LayerMasks() {
    }

    /** The mask at each of the given layers (names in network order, as Vgg19.layerNames()). */
    public static Map<String, Mask> propagate(Mask mask, List<String> networkLayers, String deepest) {
        Map<String, Mask> out = new LinkedHashMap<>();
        Mask m = mask;
        for (String layer : networkLayers) {
            if (layer.startsWith("conv")) {
                m = average3x3(m);
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

    static Mask average3x3(Mask m) {
        int h = m.height(), w = m.width();
        float[] v = m.values();
        float[] out = new float[v.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int sy = Math.max(0, y - 1); sy <= Math.min(h - 1, y + 1); sy++) {
                    for (int sx = Math.max(0, x - 1); sx <= Math.min(w - 1, x + 1); sx++) {
                        acc += v[sy * w + sx];
                    }
                }
                out[y * w + x] = (float) (acc / 9);
            }
        }
        return new Mask(h, w, out);
    }
}
