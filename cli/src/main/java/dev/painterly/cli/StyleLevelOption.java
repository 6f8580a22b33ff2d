package dev.painterly.cli;

import dev.painterly.engine.io.RgbImage;
import dev.painterly.harmonizer.StyleLevelEstimate;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Locale;

/** {@code --style-level S|auto}: the painting's stylization level, given or estimated. */
final class StyleLevelOption {

    static final String AUTO = "auto";

    @Option(names = "--style-level", paramLabel = "S|auto",
            description = "stylization level of the painting, 1 (realistic) to 10 (very stylised), "
                    + "or 'auto' to estimate it from the painting's edges and texture")
    String value;

    boolean given() {
        return value != null;
    }

    boolean auto() {
        return AUTO.equalsIgnoreCase(String.valueOf(value).trim());
    }

    /** Fails on a value that is neither a number nor auto (before anything is read or computed). */
    void check() {
        if (given() && !auto()) {
            number();
        }
    }

    /**
     * The level given (range-checked by HarmonizeSettings); for {@code auto}, the estimate, which is
     * reported on {@code notices}.
     */
    double resolve(RgbImage painting, String paintingName, PrintStream notices) {
        return auto() ? estimate(painting, paintingName, notices) : number();
    }

    private double number() {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--style-level takes a number, 1 (realistic) to 10 (very stylised), or auto; got '"
                    + value + "'");
        }
    }

    static double estimate(RgbImage painting, String paintingName, PrintStream notices) {
        StyleLevelEstimate e = StyleLevelEstimate.of(painting);
        notices.println(String.format(Locale.ROOT,
                "painterly: style level %.1f estimated for %s (edge concentration %.2f, orientation coherence %.2f); "
                        + "give --style-level S to override", e.level(), paintingName, e.concentration(), e.coherence()));
        return e.level();
    }
}
