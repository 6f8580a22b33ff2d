package dev.painterly.harmonizer;

import dev.painterly.engine.io.RgbImage;

/**
 * A pass stopped because its loss or gradient stopped being finite (NaN or infinity); carries the
 * last image whose loss and gradient were finite, composed like a result.
 */
public final class NumericalFailureException extends RuntimeException {

    private final int pass;
    private final int iteration;
    private final int lastGoodIteration;
    private final transient RgbImage lastGood;

    NumericalFailureException(int pass, int iteration, String what, double value, int lastGoodIteration, RgbImage lastGood) {
        super("the " + what + " of pass " + pass + " became " + value + " at iteration " + iteration);
        this.pass = pass;
        this.iteration = iteration;
        this.lastGoodIteration = lastGoodIteration;
        this.lastGood = lastGood;
    }

    public int pass() {
        return pass;
    }

    public int iteration() {
        return iteration;
    }

    /** The iteration the last good image comes from; 0 is the pass's starting image. */
    public int lastGoodIteration() {
        return lastGoodIteration;
    }

    public RgbImage lastGood() {
        return lastGood;
    }
}
