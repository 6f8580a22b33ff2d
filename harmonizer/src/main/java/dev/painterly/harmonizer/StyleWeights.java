package dev.painterly.harmonizer;

import dev.painterly.engine.io.RgbImage;

import java.util.Arrays;

/**
 * Pass-2 loss weights from the painting's stylization level s (docs/algorithm.md section 2):
 * noise = median of (dx^2 + dy^2) / 2 of the painting, tv = 10 / (1 + exp(1e4 * noise - 25)),
 * content 1, style s, histogram (10 - tv) * s, TV tv * s.
 */
public record StyleWeights(double styleLevel, double noise, double tv, double content, double style,
                           double histogram, double totalVariation) {

    public static StyleWeights of(RgbImage painting, double styleLevel) {
        double noise = noise(painting);
        double tv = 10.0 / (1.0 + Math.exp(1e4 * noise - 25.0));
        return new StyleWeights(styleLevel, noise, tv, 1.0, styleLevel, (10.0 - tv) * styleLevel, tv * styleLevel);
    }

    /** Median over channels and positions (y &lt; H-1, x &lt; W-1) of (dx^2 + dy^2) / 2. */
    static double noise(RgbImage img) {
        int h = img.height(), w = img.width();
        if (h < 2 || w < 2) {
            return 0;
        }
        float[] p = img.planes();
        double[] v = new double[3 * (h - 1) * (w - 1)];
        int k = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h - 1; y++) {
                for (int x = 0; x < w - 1; x++) {
                    int i = (c * h + y) * w + x;
                    double dx = p[i] - p[i + 1];
                    double dy = p[i] - p[i + w];
                    v[k++] = (dx * dx + dy * dy) / 2;
                }
            }
        }
        Arrays.sort(v);
        // The lower middle for an even count, as the reference's torch.median returns.
        return v[(v.length - 1) / 2];
    }
}
