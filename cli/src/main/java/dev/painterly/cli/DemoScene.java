package dev.painterly.cli;

import dev.painterly.engine.io.RgbImage;
import dev.painterly.harmonizer.Mask;

import java.util.Random;

/**
 * A generated example: a painting-like landscape (sky, sun, hills, laid down as thousands of
 * short jittered brush strokes) and a smooth, photographic-looking sphere pasted onto it, with
 * its tight mask.
 */
record DemoScene(RgbImage painting, RgbImage composite, Mask mask) {

    static DemoScene generate(int width, int height, long seed) {
        Random r = new Random(seed);
        int plane = width * height;
        float[] base = new float[3 * plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float[] c = landscape(x / (float) width, y / (float) height);
                for (int k = 0; k < 3; k++) {
                    base[k * plane + y * width + x] = c[k];
                }
            }
        }
        float[] paint = base.clone();
        int strokes = plane / 6;
        for (int s = 0; s < strokes; s++) {
            int cx = r.nextInt(width), cy = r.nextInt(height);
            double angle = Math.sin(cx * 0.05) + r.nextGaussian() * 0.4;
            int length = 4 + r.nextInt(8);
            float[] colour = new float[3];
            for (int k = 0; k < 3; k++) {
                colour[k] = clamp(base[k * plane + cy * width + cx] + (float) r.nextGaussian() * 0.08f);
            }
            for (int t = -length / 2; t <= length / 2; t++) {
                for (int w = -1; w <= 1; w++) {
                    int x = (int) Math.round(cx + t * Math.cos(angle) - w * Math.sin(angle));
                    int y = (int) Math.round(cy + t * Math.sin(angle) + w * Math.cos(angle));
                    if (x >= 0 && x < width && y >= 0 && y < height) {
                        for (int k = 0; k < 3; k++) {
                            paint[k * plane + y * width + x] = colour[k];
                        }
                    }
                }
            }
        }
        float[] composite = paint.clone();
        float[] mask = new float[plane];
        double sx = width * 0.62, sy = height * 0.58, radius = Math.min(width, height) * 0.2;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double dx = (x - sx) / radius, dy = (y - sy) / radius;
                double d2 = dx * dx + dy * dy;
                if (d2 > 1) {
                    continue;
                }
                mask[y * width + x] = 1f;
                double dz = Math.sqrt(1 - d2);
                double light = Math.max(0, (-0.5 * dx - 0.6 * dy + 0.62 * dz));
                double spec = Math.pow(Math.max(0, light), 40);
                float[] red = {0.75f, 0.08f, 0.1f};
                for (int k = 0; k < 3; k++) {
                    composite[k * plane + y * width + x] = clamp((float) (red[k] * (0.25 + 0.75 * light) + 0.8 * spec));
                }
            }
        }
        return new DemoScene(new RgbImage(height, width, paint), new RgbImage(height, width, composite),
                new Mask(height, width, mask));
    }

    private static float[] landscape(float u, float v) {
        float hill = 0.62f + 0.08f * (float) Math.sin(u * 7.0) + 0.05f * (float) Math.sin(u * 17.0 + 1);
        if (v > hill) {
            float t = (v - hill) / (1 - hill);
            return new float[] {0.35f - 0.15f * t, 0.45f - 0.1f * t + 0.08f * (float) Math.sin(u * 30), 0.15f};
        }
        double sun = Math.hypot(u - 0.22, v - 0.25);
        if (sun < 0.09) {
            return new float[] {1f, 0.85f, 0.4f};
        }
        float t = v / hill;
        return new float[] {0.25f + 0.7f * t, 0.4f + 0.35f * t, 0.75f - 0.35f * t};
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
