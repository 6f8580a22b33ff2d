package dev.painterly.harmonizer;

import dev.painterly.engine.Tensor;
import dev.painterly.engine.optim.IterationListener;

/**
 * What one pass's optimiser reports, turned into the job's events: each evaluation becomes a
 * {@link LossRecord} with the objective's terms, each step passes the {@link NumericalGuard} and
 * then reaches the listener, each divergence is passed on.
 */
final class PassMonitor implements IterationListener {

    private final int pass;
    private final HarmonizationObjective objective;
    private final NumericalGuard guard;
    private final HarmonizeListener listener;
    private final Harmonizer.Composer composer;
    private final Tensor x;
    private final long startNanos;

    PassMonitor(int pass, HarmonizationObjective objective, NumericalGuard guard, HarmonizeListener listener,
                Harmonizer.Composer composer, Tensor x, long startNanos) {
        this.pass = pass;
        this.objective = objective;
        this.guard = guard;
        this.listener = listener;
        this.composer = composer;
        this.x = x;
        this.startNanos = startNanos;
    }

    @Override
    public void onEvaluation(int iteration, int evaluation, double loss) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        listener.evaluation(new LossRecord(pass, evaluation, iteration, seconds, objective.lastTerms(), loss));
    }

    @Override
    public void onDivergence(Divergence divergence) {
        listener.diverged(pass, divergence);
    }

    @Override
    public boolean onIteration(Progress p) {
        guard.check(p);
        return listener.iteration(pass, p.iteration(), p.loss(), () -> composer.compose(x));
    }
}
