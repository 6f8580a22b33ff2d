package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.vgg.Vgg19;
import dev.painterly.engine.vgg.Vgg19Weights;

import java.util.Map;

/**
 * Pass 1's matching on its own, for timing: the features of composite and painting are computed
 * once by {@link #prepare}; {@link #matchAll} then matches at every style layer.
 */
public final class IndependentMapping implements AutoCloseable {

    private final WorkingImages images;
    private final Vgg19 net;
    private final Features content;
    private final Features style;
    private final Map<String, Mask> masks;

    private IndependentMapping(WorkingImages images, Vgg19 net, Features content, Features style, Map<String, Mask> masks) {
        this.images = images;
        this.net = net;
        this.content = content;
        this.style = style;
        this.masks = masks;
    }

    public static IndependentMapping prepare(Device d, Vgg19Weights weights, RgbImage painting, RgbImage composite,
                                             Mask tight, Mask loose, int size) {
        WorkingImages w = WorkingImages.of(painting, composite, tight, loose, size, HarmonizeSettings.defaultLooseRadius(size));
        Vgg19 net = new Vgg19(d, weights);
        try (Tensor c = net.preprocess(w.composite().planes(), w.height(), w.width());
             Tensor p = net.preprocess(w.painting().planes(), w.height(), w.width())) {
            Map<String, Mask> masks = LayerMasks.propagate(w.loose(), net.layerNames(), "relu5_1");
            return new IndependentMapping(w, net, Features.of(net, c, Pass1.STYLE_LAYERS), Features.of(net, p, Pass1.STYLE_LAYERS), masks);
        }
    }

    /** Matches at relu3_1, relu4_1 and relu5_1 and builds the targets (then discarded). */
    public void matchAll() {
        for (String layer : Pass1.STYLE_LAYERS) {
            Pass1.styleTarget(content.get(layer), style.get(layer), masks.get(layer)).close();
        }
        net.device().finish();
    }

    /** Query positions over all style layers (those under the mask). */
    public int queries() {
        int n = 0;
        for (String layer : Pass1.STYLE_LAYERS) {
            n += masks.get(layer).count(0f);
        }
        return n;
    }

    public int height() {
        return images.height();
    }

    public int width() {
        return images.width();
    }

    @Override
    public void close() {
        content.close();
        style.close();
        net.close();
    }
}
