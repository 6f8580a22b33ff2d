package dev.painterly.harmonizer;

import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.optim.IterationListener;

import java.util.function.Supplier;

/** Hears how a job goes: passes starting and ending, each L-BFGS iteration and evaluation, divergences. */
public interface HarmonizeListener {

    /**
     * Before each pass: the part of the working image its optimisation runs on (the rest cannot
     * change it, docs/algorithm.md section 6).
     */
    default void optimizationWindow(int pass, PixelBox window) {
    }

    default void passStarted(int pass, int iterations) {
    }

    /** Before each pass 2, with the style level it uses (several times in a sweep of levels). */
    default void styleLevel(double level) {
    }

    /**
     * After each iteration; {@code current} composes the current image on demand (a download).
     * Returning true stops the pass.
     */
    default boolean iteration(int pass, int iteration, double loss, Supplier<RgbImage> current) {
        return false;
    }

    /** After each objective evaluation, with the value of every term. */
    default void evaluation(LossRecord record) {
    }

    /** When a pass diverged and resumed from its best iterate, or ended there. */
    default void diverged(int pass, IterationListener.Divergence divergence) {
    }

    default void passFinished(int pass, RgbImage result, double seconds) {
    }
}
