package dev.painterly.harmonizer;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The part of the image a pass's evaluations depend on (docs/algorithm.md section 6, item 11).
 *
 * <p>The image's gradient is multiplied by the loose mask, so x never changes where that mask is 0.
 * Every loss term reads its layer's features only where m_L is not 0, or, for pass 1's unmasked
 * content, where a feature's receptive field holds a pixel that can change. Those positions, and
 * the receptive fields behind them, are the window: the network, the losses and L-BFGS run on it
 * alone and compute what they would on the whole image, up to float rounding. Its top-left corner
 * lies on the grid of the deepest pooling used, so each pooling window in it is one of the whole
 * image's, and a layer's window starts at the image window's corner divided by its downsampling.
 */
final class OptimizationWindow {

    private final PixelBox box;
    private final List<String> layers;

    private OptimizationWindow(PixelBox box, List<String> layers) {
        this.box = box;
        this.layers = layers;
    }

    /**
     * @param loose         the loose mask at image size
     * @param layerMasks    m_L of the whole image, by layer name ({@link LayerMasks#propagate})
     * @param networkLayers every layer name in network order (convN_M, reluN_M, poolN)
     * @param lossLayers    the layers with loss modules
     */
    static OptimizationWindow of(Mask loose, Map<String, Mask> layerMasks, List<String> networkLayers,
                                 Collection<String> lossLayers) {
        List<String> layers = upToDeepest(networkLayers, lossLayers);
        Span changed = Span.support(loose);
        if (changed == null) {
            return whole(loose.height(), loose.width(), networkLayers, lossLayers);
        }
        // Forward: where features may differ from the composite's; with m_L's support, where the losses read.
        int[] heights = new int[layers.size() + 1], widths = new int[layers.size() + 1];
        heights[0] = loose.height();
        widths[0] = loose.width();
        Span[] read = new Span[layers.size()];
        Span s = changed;
        for (int i = 0; i < layers.size(); i++) {
            String name = layers.get(i);
            heights[i + 1] = name.startsWith("pool") ? (heights[i] + 1) / 2 : heights[i];
            widths[i + 1] = name.startsWith("pool") ? (widths[i] + 1) / 2 : widths[i];
            if (name.startsWith("conv")) {
                s = s.grown(heights[i + 1], widths[i + 1]);
            } else if (name.startsWith("pool")) {
                s = s.pooled();
            }
            if (lossLayers.contains(name)) {
                Span masked = Span.support(layerMasks.get(name));
                read[i] = masked == null ? s : s.union(masked);
            }
        }
        // Backward: the receptive field of what the losses read, at image size.
        Span window = changed;
        for (int last = 0; last < layers.size(); last++) {
            if (read[last] == null) {
                continue;
            }
            Span r = read[last];
            for (int i = last; i >= 0; i--) {
                String name = layers.get(i);
                if (name.startsWith("conv")) {
                    r = r.grown(heights[i], widths[i]);
                } else if (name.startsWith("pool")) {
                    r = r.unpooled(heights[i], widths[i]);
                }
            }
            window = window.union(r);
        }
        int grid = 1 << poolsBefore(layers, layers.size() - 1);
        int top = window.top() / grid * grid, left = window.left() / grid * grid;
        return new OptimizationWindow(new PixelBox(top, left, window.bottom() + 1 - top, window.right() + 1 - left), layers);
    }

    /** The whole image of h x w as a window. */
    static OptimizationWindow whole(int h, int w, List<String> networkLayers, Collection<String> lossLayers) {
        return new OptimizationWindow(new PixelBox(0, 0, h, w), upToDeepest(networkLayers, lossLayers));
    }

    private static List<String> upToDeepest(List<String> networkLayers, Collection<String> lossLayers) {
        int deepest = lossLayers.stream().mapToInt(networkLayers::indexOf).max().orElseThrow();
        return networkLayers.subList(0, deepest + 1);
    }

    /** The window at image size. */
    PixelBox image() {
        return box;
    }

    /** The window at a layer: the image window's corner divided by the layer's downsampling, and the network's size there for the window. */
    PixelBox at(String layer) {
        int k = poolsBefore(layers, layers.indexOf(layer));
        int h = box.height(), w = box.width();
        for (int i = 0; i < k; i++) {
            h = (h + 1) / 2;
            w = (w + 1) / 2;
        }
        return new PixelBox(box.top() >> k, box.left() >> k, h, w);
    }

    /** Whether the window is the whole image of h x w. */
    boolean whole(int h, int w) {
        return box.top() == 0 && box.left() == 0 && box.height() == h && box.width() == w;
    }

    /** A mask of the whole image at the image or at a layer, cut to the window there. */
    static Mask cut(Mask m, PixelBox at) {
        return new Mask(at.height(), at.width(), at.cut(m.values(), 1, m.height(), m.width()));
    }

    private static int poolsBefore(List<String> layers, int index) {
        int k = 0;
        for (int i = 0; i <= index; i++) {
            if (layers.get(i).startsWith("pool")) {
                k++;
            }
        }
        return k;
    }
}
