package dev.painterly.harmonizer;

import dev.painterly.engine.Tensor;
import dev.painterly.engine.optim.IterationListener;

/**
 * Stops a pass as soon as its loss or gradient is NaN or infinite, keeping the last image whose
 * loss and gradient were finite: every such iteration copies x on the device (cheap next to an
 * evaluation), and the first bad one throws {@link NumericalFailureException} with that copy
 * composed, before anyone else hears of the iteration.
 */
final class NumericalGuard implements AutoCloseable {

    private final int pass;
    private final Tensor x;
    private final Tensor lastGood;
    private final Harmonizer.Composer composer;
    private int lastGoodIteration;

    NumericalGuard(int pass, Tensor x, Harmonizer.Composer composer) {
        this.pass = pass;
        this.x = x;
        this.composer = composer;
        this.lastGood = x.device().allocate(x.shape());
        x.device().copy(x, lastGood);
    }

    /** Checks an iteration before anyone else hears of it; remembers x when it is good. */
    void check(IterationListener.Progress p) {
        if (!Double.isFinite(p.loss())) {
            throw failure(p.iteration(), "loss", p.loss());
        }
        if (!Double.isFinite(p.gradientL2())) {
            throw failure(p.iteration(), "gradient norm", p.gradientL2());
        }
        // The last iteration a run allows may not be evaluated: its x is not known to be good.
        if (p.current()) {
            x.device().copy(x, lastGood);
            lastGoodIteration = p.iteration();
        }
    }

    private NumericalFailureException failure(int iteration, String what, double value) {
        return new NumericalFailureException(pass, iteration, what, value, lastGoodIteration, composer.compose(lastGood));
    }

    @Override
    public void close() {
        lastGood.close();
    }
}
