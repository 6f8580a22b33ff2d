package dev.painterly.cli;

import dev.painterly.harmonizer.HarmonizeSettings;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --style-level S|S1,S2,...|auto}: the painting's stylization level, one to use, several
 * to compare side by side, or {@code auto}. No estimate of ours beats always answering
 * 5 on paintings it was not fitted to (see {@code painterly style-level
 * --leave-one-out}), so {@code auto} uses that and says so.
 */
final class StyleLevelOption {

    static final String AUTO = "auto";

    @Option(names = "--style-level", paramLabel = "S|S1,S2,..|auto",
            description = "stylization level of the painting, 1 (realistic) to 10 (very stylised); several, e.g. 1,5,10, "
                    + "to compare them side by side (pass 1 runs once); 'auto' uses 5 (no estimate of ours beats it)")
    String value;

    boolean given() {
        return value != null;
    }

    boolean auto() {
        return AUTO.equalsIgnoreCase(String.valueOf(value).trim());
    }

    /** Whether several levels were given: one result per level and a sheet of them. */
    boolean sweep() {
        return given() && !auto() && levels().size() > 1;
    }

    /** Fails on a value that is neither numbers nor auto (before anything is read or computed). */
    void check() {
        if (given() && !auto()) {
            levels();
        }
    }

    /** The levels given, in the order given, each once (range-checked by HarmonizeSettings). */
    List<Double> levels() {
        List<Double> out = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            double level;
            try {
                level = Double.parseDouble(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--style-level takes a number, 1 (realistic) to 10 (very stylised), "
                        + "a list of them such as 1,5,10, or auto; got '" + value + "'");
            }
            if (out.contains(level)) {
                throw new IllegalArgumentException("--style-level " + value + " lists " + label(level) + " twice: give each level once");
            }
            out.add(level);
        }
        return out;
    }

    /**
     * The levels to run for a painting: those given, or for {@code auto} the default with one
     * line on {@code notices} saying that no estimate was possible.
     */
    List<Double> resolve(String paintingName, PrintStream notices) {
        return auto() ? List.of(fallback(paintingName, notices)) : levels();
    }

    /** The level {@code auto} stands for, with the line that says why. */
    static double fallback(String paintingName, PrintStream notices) {
        String level = label(HarmonizeSettings.DEFAULT_STYLE_LEVEL);
        notices.println("painterly: no style level can be estimated for " + paintingName + " (no estimate of ours beats always "
                + "answering " + level + "): using " + level + "; compare levels by eye with --style-level 1,5,10");
        return HarmonizeSettings.DEFAULT_STYLE_LEVEL;
    }

    /** A level as file names and labels show it: 5, 2.5. */
    static String label(double level) {
        return BigDecimal.valueOf(level).stripTrailingZeros().toPlainString();
    }
}
