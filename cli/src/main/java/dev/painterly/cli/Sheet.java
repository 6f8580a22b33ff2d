package dev.painterly.cli;

import dev.painterly.engine.io.RgbImage;
import dev.painterly.harmonizer.HarmonizeResult;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** Images of the same height laid side by side on white, with a gap between them, optionally labelled. */
final class Sheet {

    static final int GAP = 8;
    /** The band under a labelled image that holds its label. */
    static final int LABEL_HEIGHT = 20;
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

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

    /** The results of a sweep of style levels side by side, each labelled with its level. */
    static RgbImage levels(List<Double> levels, List<HarmonizeResult> results) {
        return labelled(results.stream().map(HarmonizeResult::result).toList(),
                levels.stream().map(l -> "style level " + StyleLevelOption.label(l)).toList());
    }

    /** Side by side, each image with its label centred in a band under it. */
    static RgbImage labelled(List<RgbImage> images, List<String> labels) {
        RgbImage[] framed = new RgbImage[images.size()];
        for (int i = 0; i < framed.length; i++) {
            framed[i] = withLabel(images.get(i), labels.get(i));
        }
        return sideBySide(framed);
    }

    private static RgbImage withLabel(RgbImage image, String label) {
        BufferedImage b = new BufferedImage(image.width(), image.height() + LABEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = b.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, b.getWidth(), b.getHeight());
        g.drawImage(image.toBuffered(), 0, 0, null);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(LABEL);
        FontMetrics m = g.getFontMetrics();
        g.drawString(label, Math.max(0, (image.width() - m.stringWidth(label)) / 2),
                image.height() + (LABEL_HEIGHT + m.getAscent() - m.getDescent()) / 2);
        g.dispose();
        return RgbImage.of(b);
    }
}
