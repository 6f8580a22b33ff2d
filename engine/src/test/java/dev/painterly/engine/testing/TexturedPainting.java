package dev.painterly.engine.testing;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * A generated stand-in for a scanned painting: a slow colour gradient under many short brush
 * strokes of nearby colours, with a little per-pixel grain, so that it has the fine detail (high
 * frequencies) of a real scan at every scale a test looks at.
 */
public final class TexturedPainting {

    private TexturedPainting() {
    }

    public static BufferedImage of(int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb(110 + 60 * x / w, 100 + 50 * y / h, 80 + 40 * (x + y) / (w + h)));
            }
        }
        Graphics2D g = img.createGraphics();
        int strokes = w * h / 60;
        for (int i = 0; i < strokes; i++) {
            int x = r.nextInt(w), y = r.nextInt(h);
            double angle = 0.6 + 0.5 * r.nextGaussian();
            int length = 6 + r.nextInt(14);
            int shade = r.nextInt(70) - 35;
            g.setColor(new Color(clamp(130 + shade + 40 * x / w), clamp(115 + shade), clamp(90 + shade / 2 + r.nextInt(20))));
            g.setStroke(new BasicStroke(1 + r.nextInt(3)));
            g.drawLine(x, y, x + (int) Math.round(length * Math.cos(angle)), y + (int) Math.round(length * Math.sin(angle)));
        }
        g.dispose();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = img.getRGB(x, y), grain = r.nextInt(11) - 5;
                img.setRGB(x, y, rgb(((c >> 16) & 0xff) + grain, ((c >> 8) & 0xff) + grain, (c & 0xff) + grain));
            }
        }
        return img;
    }

    private static int rgb(int r, int g, int b) {
        return clamp(r) << 16 | clamp(g) << 8 | clamp(b);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
