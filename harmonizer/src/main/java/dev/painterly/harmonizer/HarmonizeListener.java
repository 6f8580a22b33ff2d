package dev.painterly.harmonizer;

import dev.painterly.engine.io.RgbImage;

import java.util.function.Supplier;

/** Hears how a job goes: passes starting and ending, and each L-BFGS iteration. */
public interface HarmonizeListener {

    default void passStarted(int pass, int iterations) {
    }

    /**
     * After each iteration; {@code current} composes the current image on demand (a download).
     * Returning true stops the pass.
     */
    default boolean iteration(int pass, int iteration, double loss, Supplier<RgbImage> current) {
        return false;
    }

    default void passFinished(int pass, RgbImage result, double seconds) {
    }
}
