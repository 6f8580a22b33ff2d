package dev.painterly.cli;

import dev.painterly.engine.io.RgbImage;

/** Images of the same height laid side by side on white, with a gap between them. */
final class Sheet {

    static final int GAP = 8;

    private Sheet() {
    }

    static RgbImage sideBySide(RgbImage... images) {
        int h = 0, w = GAP;
        for (RgbImage i : images) {
            h = Math.max(h, i.height());
            w += i.width() + GAP;
        }
        h += 2 * GAP;
        float[] out = new float[3 * h * w];
        java.util.Arrays.fill(out, 1f);
        int x0 = GAP;
        for (RgbImage img : images) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < img.height(); y++) {
                    for (int x = 0; x < img.width(); x++) {
                        out[(c * h + y + GAP) * w + x0 + x] = img.planes()[(c * img.height() + y) * img.width() + x];
                    }
                }
            }
            x0 += img.width() + GAP;
        }
        return new RgbImage(h, w, out);
    }
}
