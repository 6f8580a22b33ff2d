package dev.painterly.cli;

import dev.painterly.harmonizer.LossRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loss curves: a panel per pass, lines drawn inside each, values without a logarithm left out. */
class LossPlotTest {

    @TempDir
    Path dir;

    /** A pass whose content term is 0 at iteration 0 and whose style term falls by decades. */
    private static List<LossRecord> pass(int pass, int evaluations, String style) {
        List<LossRecord> records = new ArrayList<>();
        for (int e = 1; e <= evaluations; e++) {
            Map<String, Double> terms = new LinkedHashMap<>();
            terms.put("content", e == 1 ? 0 : 0.5 * e);
            terms.put(style, 1e3 / Math.pow(2, e));
            records.add(new LossRecord(pass, e, e - 1, 0.1 * e, terms, terms.values().stream().mapToDouble(d -> d).sum()));
        }
        return records;
    }

    /** The pixels in the plot area of a panel that are coloured (neither white, grey nor black). */
    private static int colouredPixels(BufferedImage image, int panel) {
        int n = 0;
        for (int y = LossPlot.TOP + 1; y < LossPlot.TOP + LossPlot.PLOT_HEIGHT; y++) {
            for (int x = panel * LossPlot.PANEL_WIDTH + LossPlot.LEFT + 1; x < panel * LossPlot.PANEL_WIDTH + LossPlot.LEFT
                    + LossPlot.PLOT_WIDTH; x++) {
                int rgb = image.getRGB(x, y), r = rgb >> 16 & 255, g = rgb >> 8 & 255, b = rgb & 255;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The pixels in the plot area of a panel that are near black (the total's line and nothing else). */
    private static int darkPixels(BufferedImage image, int panel) {
        int n = 0;
        for (int y = LossPlot.TOP + 1; y < LossPlot.TOP + LossPlot.PLOT_HEIGHT; y++) {
            for (int x = panel * LossPlot.PANEL_WIDTH + LossPlot.LEFT + 1; x < panel * LossPlot.PANEL_WIDTH + LossPlot.LEFT
                    + LossPlot.PLOT_WIDTH; x++) {
                int rgb = image.getRGB(x, y);
                if ((rgb >> 16 & 255) < 60 && (rgb >> 8 & 255) < 60 && (rgb & 255) < 60) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void onePanelPerPassWithLinesInEach() throws IOException {
        List<LossRecord> records = new ArrayList<>(pass(1, 30, "style_relu3_1"));
        records.addAll(pass(2, 12, "style_relu1_1"));
        Path file = dir.resolve("result.losses.png");
        LossPlot.write(records, file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(2 * LossPlot.PANEL_WIDTH, image.getWidth());
        assertEquals(LossPlot.HEIGHT, image.getHeight());
        for (int panel = 0; panel < 2; panel++) {
            assertTrue(colouredPixels(image, panel) > 100, "terms drawn in panel " + panel);
            assertTrue(darkPixels(image, panel) > 100, "total drawn in panel " + panel);
        }
    }

    @Test
    void valuesWithoutALogarithmAreLeftOut() {
        List<LossRecord> records = new ArrayList<>();
        for (int e = 1; e <= 5; e++) {
            Map<String, Double> terms = new LinkedHashMap<>();
            terms.put("content", e == 1 ? 0.0 : -1.0);
            terms.put("style_relu3_1", e == 3 ? Double.NaN : e == 4 ? Double.POSITIVE_INFINITY : 1.0 / e);
            records.add(new LossRecord(1, e, e - 1, 0, terms, e == 5 ? Double.NaN : 2.0));
        }
        BufferedImage image = LossPlot.draw(records);
        assertEquals(LossPlot.PANEL_WIDTH, image.getWidth());
        assertTrue(colouredPixels(image, 0) > 0, "the finite style values are drawn");
    }

    @Test
    void nothingToDraw() {
        Map<String, Double> terms = Map.of("content", 0.0);
        BufferedImage image = LossPlot.draw(List.of(new LossRecord(1, 1, 0, 0, terms, 0.0)));
        assertEquals(LossPlot.PANEL_WIDTH, image.getWidth());
        assertEquals(0, colouredPixels(image, 0));
        assertEquals(0, darkPixels(image, 0));
        assertEquals(LossPlot.PANEL_WIDTH, LossPlot.draw(List.of()).getWidth());
    }

    @Test
    void iterationTicksAreRound() {
        assertEquals(1, LossPlot.niceStep(0));
        assertEquals(1, LossPlot.niceStep(5));
        assertEquals(2, LossPlot.niceStep(10));
        assertEquals(200, LossPlot.niceStep(1000));
        assertEquals(50, LossPlot.niceStep(150));
    }
}
