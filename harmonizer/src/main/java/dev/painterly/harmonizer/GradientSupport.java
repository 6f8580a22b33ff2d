package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.FloatPositions;
import dev.painterly.engine.ops.Crop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the network's gradient can be non-zero on the way back, and the crops that let each
 * convolution's backward run there alone (docs/algorithm.md section 6, item 14).
 *
 * <p>At a loss layer every module's gradient joins the network's and the sum is multiplied by m_L
 * ({@link HarmonizationObjective}), so below it the gradient is 0 outside the bounding box of
 * m_L's support. Each convolution further down widens the box by one position on each side, each
 * pooling doubles it, until the next loss layer's mask bounds it again. A window holds the
 * receptive fields of what the losses read, so these boxes are often much smaller than the
 * window, most of all in the first blocks, where the convolutions are largest.
 */
final class GradientSupport {

    /**
     * A crop is used only where it leaves out at least a tenth of its plane: its cut of the
     * output's gradient and activation, and its placing of the input's gradient into a map of 0s,
     * are passes over memory that a box of nearly the whole plane would not repay. (At 256 px,
     * thresholds from 0.5 to 0.95 timed alike within the machine's noise: bench job.)
     */
    static final double MAX_CROPPED_FRACTION = 0.9;

    private GradientSupport() {
    }

    /**
     * For each convolution below the deepest loss layer but the first (whose backward, to the
     * 3-channel image, costs less than its crop would), the box where its input's gradient can be
     * non-zero; absent where that box is most of the plane, where the plane has more positions
     * than floats count exactly, and where no gradient arrives.
     *
     * @param layers     every layer name in network order, down to at least the deepest loss layer
     * @param height     the input's height (the window's)
     * @param width      the input's width
     * @param layerMasks m_L (cut to the window) of every layer with loss modules
     */
    static Map<String, Span> boxes(List<String> layers, int height, int width, Map<String, Mask> layerMasks) {
        int deepest = -1;
        for (String l : layerMasks.keySet()) {
            deepest = Math.max(deepest, layers.indexOf(l));
        }
        int[] heights = planeSizes(layers, height), widths = planeSizes(layers, width);
        Map<String, Span> boxes = new LinkedHashMap<>();
        Span g = null;
        for (int i = deepest; i > 0; i--) {
            String name = layers.get(i);
            Mask m = layerMasks.get(name);
            if (m != null) {
                // A mask of zeros stops the gradient: until the next loss layer there is none to crop.
                g = Span.support(m);
            }
            if (g == null) {
                continue;
            }
            if (name.startsWith("conv")) {
                g = g.grown(heights[i], widths[i]);
                long area = (long) (g.bottom() - g.top() + 1) * (g.right() - g.left() + 1);
                long plane = (long) heights[i] * widths[i];
                // Columns address a plane's positions as exact floats.
                if (area <= MAX_CROPPED_FRACTION * plane && plane <= FloatPositions.MAX) {
                    boxes.put(name, g);
                }
            } else if (name.startsWith("pool")) {
                g = g.unpooled(heights[i], widths[i]);
            }
        }
        return boxes;
    }

    /** {@link #boxes} as crops on the device (the caller closes them). */
    static Map<String, Crop> crops(Device device, List<String> layers, int height, int width, Map<String, Mask> layerMasks) {
        int[] heights = planeSizes(layers, height), widths = planeSizes(layers, width);
        Map<String, Crop> crops = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Span> e : boxes(layers, height, width, layerMasks).entrySet()) {
                int i = layers.indexOf(e.getKey());
                Span s = e.getValue();
                crops.put(e.getKey(), Crop.of(device, heights[i], widths[i], s.top(), s.left(),
                        s.bottom() - s.top() + 1, s.right() - s.left() + 1));
            }
        } catch (RuntimeException e) {
            crops.values().forEach(Crop::close);
            throw e;
        }
        return crops;
    }

    /** The height (or width) of each layer's input, given the network's. */
    private static int[] planeSizes(List<String> layers, int size) {
        int[] out = new int[layers.size()];
        int s = size;
        for (int i = 0; i < layers.size(); i++) {
            out[i] = s;
            if (layers.get(i).startsWith("pool")) {
                s = (s + 1) / 2;
            }
        }
        return out;
    }
}
