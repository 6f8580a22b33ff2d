package dev.painterly.harmonizer;

import dev.painterly.engine.io.Resampler;
import dev.painterly.engine.io.RgbImage;

import java.awt.image.BufferedImage;

/**
 * A cut-out pasted onto a painting: the composite and the tight mask of a job, derived from the
 * cut-out's alpha so that no image editor is needed.
 *
 * <p>The cut-out (an image with transparency) is first scaled by {@code scale} ("bilinear" of
 * {@link Resampler}, on colours premultiplied by alpha so that the colour hidden under
 * transparent pixels cannot bleed into the edge), then placed with its top-left corner at (x, y)
 * in the painting's pixel coordinates: x to the right, y down, (0, 0) the painting's top-left
 * pixel. Whatever falls outside the painting is cut off. composite = object * alpha + painting *
 * (1 - alpha); mask = alpha.
 *
 * @param placedWidth  the scaled cut-out's width, before clipping to the painting
 * @param placedHeight its height
 */
public record ObjectPaste(RgbImage composite, Mask mask, int placedWidth, int placedHeight) {

    public static ObjectPaste of(RgbImage painting, BufferedImage cutout, int x, int y, double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("the scale must be a positive number, got " + scale);
        }
        int h = cutout.getHeight(), w = cutout.getWidth();
        int nh = Math.max(1, (int) Math.round(h * scale));
        int nw = Math.max(1, (int) Math.round(w * scale));
        float[] premultiplied = Resampler.bilinear(premultiplied(cutout), 4, h, w, nh, nw);
        int ph = painting.height(), pw = painting.width(), plane = ph * pw, objectPlane = nh * nw;
        float[] composite = painting.planes().clone();
        float[] mask = new float[plane];
        for (int oy = Math.max(0, -y); oy < nh && y + oy < ph; oy++) {
            for (int ox = Math.max(0, -x); ox < nw && x + ox < pw; ox++) {
                int o = oy * nw + ox;
                int p = (y + oy) * pw + x + ox;
                float a = premultiplied[3 * objectPlane + o];
                mask[p] = a;
                for (int c = 0; c < 3; c++) {
                    float v = premultiplied[c * objectPlane + o] + composite[c * plane + p] * (1 - a);
                    composite[c * plane + p] = Math.max(0f, Math.min(1f, v));
                }
            }
        }
        return new ObjectPaste(new RgbImage(ph, pw, composite), new Mask(ph, pw, mask), nw, nh);
    }

    /** R*A, G*A, B*A and A as four planes in [0,1]. */
    private static float[] premultiplied(BufferedImage img) {
        int h = img.getHeight(), w = img.getWidth(), plane = h * w;
        int[] argb = RgbImage.argb(img);
        float[] out = new float[4 * plane];
        for (int i = 0; i < plane; i++) {
            int c = argb[i];
            float a = (c >>> 24) / 255f;
            out[i] = ((c >> 16) & 0xff) / 255f * a;
            out[plane + i] = ((c >> 8) & 0xff) / 255f * a;
            out[2 * plane + i] = (c & 0xff) / 255f * a;
            out[3 * plane + i] = a;
        }
        return out;
    }
}
