package dev.painterly.cli;

import dev.painterly.harmonizer.LossRecord;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A job's loss curves, OUT.losses.png: one panel per pass side by side, the iteration across and
 * the loss up on a log10 scale, the total and each term as a line of its own colour (a term keeps
 * its colour in both passes). Values that are not positive and finite have no logarithm and are
 * left out, breaking the line: content is exactly 0 at the first evaluation, where the image is
 * the composite itself.
 */
final class LossPlot {

    static final int PANEL_WIDTH = 640;
    static final int HEIGHT = 420;
    /** The plot area of a panel: what lies around it holds the titles, labels and the legend. */
    static final int LEFT = 76;
    static final int TOP = 40;
    static final int PLOT_WIDTH = PANEL_WIDTH - LEFT - 156;
    static final int PLOT_HEIGHT = HEIGHT - TOP - 52;

    static final String TOTAL = "loss (total)";
    /** Tableau's palette without its grey, which would read as a grid line. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0xbcbd22),
            new Color(0x17becf)};
    private static final Color GRID = new Color(0xdddddd);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 9);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);

    private LossPlot() {
    }

    static void write(List<LossRecord> records, Path target) throws IOException {
        OutputFile.writePng(draw(records), target);
    }

    static BufferedImage draw(List<LossRecord> records) {
        Map<Integer, List<LossRecord>> passes = new TreeMap<>();
        Set<String> names = new LinkedHashSet<>();
        for (LossRecord r : records) {
            passes.computeIfAbsent(r.pass(), p -> new ArrayList<>()).add(r);
            names.addAll(r.terms().keySet());
        }
        Map<String, Color> colours = new LinkedHashMap<>();
        colours.put(TOTAL, Color.BLACK);
        for (String name : names) {
            colours.put(name, PALETTE[(colours.size() - 1) % PALETTE.length]);
        }
        BufferedImage image = new BufferedImage(PANEL_WIDTH * Math.max(1, passes.size()), HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            if (passes.isEmpty()) {
                g.setColor(Color.BLACK);
                g.setFont(TITLE);
                centred(g, "no evaluations", PANEL_WIDTH / 2, HEIGHT / 2);
            }
            int panel = 0;
            for (Map.Entry<Integer, List<LossRecord>> pass : passes.entrySet()) {
                Graphics2D p = (Graphics2D) g.create(panel++ * PANEL_WIDTH, 0, PANEL_WIDTH, HEIGHT);
                try {
                    panel(p, pass.getKey(), pass.getValue(), colours);
                } finally {
                    p.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The value a line shows for one evaluation: the total, or a term (NaN where the pass has no such term). */
    private static double value(LossRecord r, String name) {
        return name.equals(TOTAL) ? r.loss() : r.terms().getOrDefault(name, Double.NaN);
    }

    private static boolean plottable(double v) {
        return v > 0 && Double.isFinite(v);
    }

    private static void panel(Graphics2D g, int pass, List<LossRecord> records, Map<String, Color> colours) {
        List<String> shown = new ArrayList<>();
        shown.add(TOTAL);
        shown.addAll(records.get(0).terms().keySet());
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        int first = Integer.MAX_VALUE, last = Integer.MIN_VALUE;
        for (LossRecord r : records) {
            first = Math.min(first, r.iteration());
            last = Math.max(last, r.iteration());
            for (String name : shown) {
                double v = value(r, name);
                if (plottable(v)) {
                    lo = Math.min(lo, Math.floor(Math.log10(v)));
                    hi = Math.max(hi, Math.ceil(Math.log10(v)));
                }
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        } else if (lo == hi) {
            hi = lo + 1;
        }
        Axes axes = new Axes(first, Math.max(last, first + 1), lo, hi);
        grid(g, axes);
        for (String name : shown) {
            curve(g, records, name, colours.get(name), axes);
        }
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawRect(LEFT, TOP, PLOT_WIDTH, PLOT_HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        centred(g, "pass " + pass + " (" + records.size() + (records.size() == 1 ? " evaluation)" : " evaluations)"),
                LEFT + PLOT_WIDTH / 2, TOP - 14);
        g.setFont(LABEL);
        centred(g, "iteration", LEFT + PLOT_WIDTH / 2, TOP + PLOT_HEIGHT + 42);
        AffineTransform plain = g.getTransform();
        g.rotate(-Math.PI / 2);
        centred(g, "loss (log scale)", -(TOP + PLOT_HEIGHT / 2), 18);
        g.setTransform(plain);
        legend(g, shown, colours);
    }

    /** Where iterations and log10 values land in the plot area. */
    private record Axes(int first, int last, double lo, double hi) {

        double x(double iteration) {
            return LEFT + (iteration - first) / (last - first) * PLOT_WIDTH;
        }

        double y(double value) {
            return TOP + PLOT_HEIGHT - (Math.log10(value) - lo) / (hi - lo) * PLOT_HEIGHT;
        }
    }

    /**
     * A line at every decade labelled 10^k (only every few labelled, and lined, when they would
     * crowd), and round iterations below.
     */
    private static void grid(Graphics2D g, Axes axes) {
        int decades = (int) (axes.hi() - axes.lo());
        int labelEvery = Math.max(1, (int) Math.ceil(decades / 10.0));
        int lineEvery = Math.max(1, (int) Math.ceil(decades / 50.0));
        g.setStroke(new BasicStroke(1));
        for (int k = (int) axes.lo(); k <= axes.hi(); k += lineEvery) {
            int y = (int) Math.round(axes.y(Math.pow(10, k)));
            g.setColor(GRID);
            g.drawLine(LEFT, y, LEFT + PLOT_WIDTH, y);
            if ((k - (int) axes.lo()) % labelEvery == 0) {
                g.setColor(Color.BLACK);
                power(g, k, LEFT - 6, y);
            }
        }
        int step = niceStep(axes.last() - axes.first());
        g.setFont(LABEL);
        for (int i = (int) Math.ceil((double) axes.first() / step) * step; i <= axes.last(); i += step) {
            int x = (int) Math.round(axes.x(i));
            g.setColor(GRID);
            g.drawLine(x, TOP, x, TOP + PLOT_HEIGHT);
            g.setColor(Color.BLACK);
            g.drawLine(x, TOP + PLOT_HEIGHT, x, TOP + PLOT_HEIGHT + 4);
            centred(g, Integer.toString(i), x, TOP + PLOT_HEIGHT + 18);
        }
    }

    /** 1, 2 or 5 times a power of ten, giving at most about six ticks over {@code span} iterations. */
    static int niceStep(int span) {
        double raw = Math.max(1, span / 6.0);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (int m : new int[] {1, 2, 5}) {
            if (m * magnitude >= raw) {
                return (int) (m * magnitude);
            }
        }
        return (int) (10 * magnitude);
    }

    /** 10^k, right-aligned at x and centred on y. */
    private static void power(Graphics2D g, int k, int x, int y) {
        String exponent = Integer.toString(k);
        FontMetrics base = g.getFontMetrics(LABEL), small = g.getFontMetrics(SMALL);
        int width = base.stringWidth("10") + small.stringWidth(exponent);
        g.setFont(LABEL);
        g.drawString("10", x - width, y + base.getAscent() / 2 - 1);
        g.setFont(SMALL);
        g.drawString(exponent, x - small.stringWidth(exponent), y - 2);
    }

    /** One line through the plottable values in evaluation order, broken where one is left out. */
    private static void curve(Graphics2D g, List<LossRecord> records, String name, Color colour, Axes axes) {
        g.setColor(colour);
        g.setStroke(new BasicStroke(name.equals(TOTAL) ? 2.2f : 1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D.Double line = new Path2D.Double();
        int run = 0;
        double lastX = 0, lastY = 0;
        for (LossRecord r : records) {
            double v = value(r, name);
            if (!plottable(v)) {
                dot(g, run, lastX, lastY);
                run = 0;
                continue;
            }
            lastX = axes.x(r.iteration());
            lastY = axes.y(v);
            if (run++ == 0) {
                line.moveTo(lastX, lastY);
            } else {
                line.lineTo(lastX, lastY);
            }
        }
        dot(g, run, lastX, lastY);
        g.draw(line);
    }

    /** A lone value has no line to show it: a dot does. */
    private static void dot(Graphics2D g, int run, double x, double y) {
        if (run == 1) {
            g.fill(new Ellipse2D.Double(x - 2.5, y - 2.5, 5, 5));
        }
    }

    private static void legend(Graphics2D g, List<String> shown, Map<String, Color> colours) {
        int x = LEFT + PLOT_WIDTH + 14, y = TOP + 8;
        g.setFont(LABEL);
        for (String name : shown) {
            g.setColor(colours.get(name));
            g.setStroke(new BasicStroke(name.equals(TOTAL) ? 2.2f : 1.4f));
            g.drawLine(x, y, x + 22, y);
            g.setColor(Color.BLACK);
            g.drawString(name, x + 28, y + 4);
            y += 18;
        }
    }

    private static void centred(Graphics2D g, String text, int x, int baseline) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }
}
