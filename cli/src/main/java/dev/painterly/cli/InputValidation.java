package dev.painterly.cli;

import dev.painterly.harmonizer.Mask;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Checks, before anything is computed, that the inputs make a job, with messages that say what to
 * do. Images of one job must show the same scene: the same aspect ratio within
 * {@value #ASPECT_TOLERANCE} (relative), any size (they are resized to the working size, with a
 * one-line notice). A mask marks the object with pixels above half-white: a tight mask with none is
 * empty, and one that leaves less than {@value #MIN_BACKGROUND} of the image outside it covers
 * everything (usually an inverted mask).
 */
final class InputValidation {

    static final double ASPECT_TOLERANCE = 0.01;
    static final double MIN_BACKGROUND = 0.01;
    static final float MARKED = 0.5f;

    private InputValidation() {
    }

    /** An image of a job, named for messages, e.g. "painting p.jpg". */
    record Picture(String name, int height, int width) {

        String size() {
            return width + "x" + height;
        }
    }

    /**
     * Fails when {@code other} has not the aspect ratio of {@code reference}; tells {@code notices}
     * when only the size differs.
     */
    static void sameScene(Picture reference, Picture other, PrintStream notices) {
        double a = (double) reference.width() / reference.height();
        double b = (double) other.width() / other.height();
        if (Math.abs(a - b) > ASPECT_TOLERANCE * a) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s is %s but %s is %s: they must have the same aspect ratio (%.3f vs %.3f); crop one to match the other",
                    other.name(), other.size(), reference.name(), reference.size(), b, a));
        }
        if (other.width() != reference.width() || other.height() != reference.height()) {
            notices.println("painterly: " + other.name() + " is " + other.size() + " and " + reference.name() + " "
                    + reference.size() + " (same aspect ratio): resizing to the working size");
        }
    }

    /** Fails when a tight mask marks nothing or almost everything. */
    static void marksAnObject(Mask mask, String name) {
        int marked = mask.count(MARKED);
        if (marked == 0) {
            throw new IllegalArgumentException(name + " is empty (no pixel brighter than half-white): "
                    + "paint the object white on black, or give it transparency");
        }
        if (mask.size() - marked < MIN_BACKGROUND * mask.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s covers %.0f%% of the image: it must be white only on the pasted object and black elsewhere (is it inverted?)",
                    name, 100.0 * marked / mask.size()));
        }
    }

    /** Fails when a loose mask marks nothing. */
    static void marksSomething(Mask mask, String name) {
        if (mask.count(MARKED) == 0) {
            throw new IllegalArgumentException(name + " is empty (no pixel brighter than half-white): "
                    + "make it white around the object, or leave --loose-mask out to derive it from the tight mask");
        }
    }
}
