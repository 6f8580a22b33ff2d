package dev.painterly.harmonizer;

import dev.painterly.engine.io.RgbImage;

/**
 * A job's inputs at working size (docs/algorithm.md section 0): the composite resized so its longer
 * side is the size, the painting and the masks resized to exactly the composite's size; the loose
 * mask derived from the tight one when none is given; the blurred tight mask used to compose.
 */
public record WorkingImages(RgbImage painting, RgbImage composite, Mask tight, Mask loose, Mask blend) {

    public static WorkingImages of(RgbImage painting, RgbImage composite, Mask tight, Mask loose, int size, int looseRadius) {
        RgbImage c = composite.resizeLongerSide(size);
        int h = c.height(), w = c.width();
        Mask t = tight.resize(h, w);
        Mask l = loose != null ? loose.resize(h, w) : t.threshold(0.1f).dilate(looseRadius);
        return new WorkingImages(painting.resize(h, w), c, t, l, t.compositingBlur());
    }

    public int height() {
        return composite.height();
    }

    public int width() {
        return composite.width();
    }
}
