package dev.painterly.harmonizer;

import dev.painterly.engine.io.RgbImage;

/**
 * The detail layer of the post-processing (docs/algorithm.md section 3 step 4): image - blur(image)
 * with a 7x7 Gaussian of sigma 1, added to a base. The blur repeats the edge pixels rather than
 * padding with zeros, which would darken the blur along the image's border and turn into a bright
 * rim in the detail layer. A few multiply-adds per pixel: host code.
 */
final class DetailLayer {

    static final float[] KERNEL = Mask.gaussian(7, 1);

    private DetailLayer() {
    }

    /** base + image - blur(image). */
    static RgbImage addTo(RgbImage base, RgbImage image) {
        int h = image.height(), w = image.width(), plane = h * w;
        float[] blurred = blur(image.planes(), 3, h, w);
        float[] b = base.planes(), x = image.planes();
        float[] out = new float[3 * plane];
        for (int i = 0; i < out.length; i++) {
            out[i] = b[i] + x[i] - blurred[i];
        }
        return new RgbImage(h, w, out);
    }

    /** Separable blur of each plane with {@link #KERNEL}, edge pixels repeated. */
    static float[] blur(float[] planes, int channels, int h, int w) {
        int r = KERNEL.length / 2, plane = h * w;
        float[] rows = new float[planes.length];
        float[] out = new float[planes.length];
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int k = -r; k <= r; k++) {
                        acc += KERNEL[k + r] * planes[base + y * w + Math.min(w - 1, Math.max(0, x + k))];
                    }
                    rows[base + y * w + x] = (float) acc;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int k = -r; k <= r; k++) {
                        acc += KERNEL[k + r] * rows[base + Math.min(h - 1, Math.max(0, y + k)) * w + x];
                    }
                    out[base + y * w + x] = (float) acc;
                }
            }
        }
        return out;
    }
}
