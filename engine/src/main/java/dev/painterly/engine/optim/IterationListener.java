package dev.painterly.engine.optim;

/** Told about each step {@link Lbfgs} takes; may end the run. */
@FunctionalInterface
public interface IterationListener {

    /**
     * Called after each step, before the stop conditions are checked.
     *
     * @return true to stop the run after this iteration ({@link LbfgsResult.StopReason#LISTENER}
     *         unless a built-in condition stops it at the same time)
     */
    boolean onIteration(Progress progress);

    /**
     * Called after each evaluation of the objective, before anything else hears of it.
     *
     * @param iteration  the steps taken before this evaluation (0 for the initial one)
     * @param evaluation the evaluation's number in the run, from 1
     * @param loss       the value the objective returned
     */
    default void onEvaluation(int iteration, int evaluation, double loss) {
    }

    /** Called when a diverging run resumes from its best iterate, or ends there (see {@link Lbfgs}). */
    default void onDivergence(Divergence divergence) {
    }

    /**
     * The state after a step.
     *
     * @param iteration  the number of steps taken so far, from 1
     * @param evaluations the number of objective evaluations so far, the initial one included
     * @param loss       f(x) at the current x when {@code current}, else at x before this step
     * @param gradientL1 sum |g| of the gradient that goes with {@code loss}
     * @param gradientL2 sqrt(sum g^2) of that gradient
     * @param current    false only on the last iteration that maxIterations allows, after which
     *                   x is not re-evaluated (as in Torch7 and PyTorch)
     */
    /**
     * A divergence and what the run did about it.
     *
     * @param iteration    the step after which the loss was non-finite or above 10x the best
     * @param loss         that loss
     * @param resumedFrom  the iteration whose iterate (the best so far) x was restored to
     * @param learningRate the step length the run goes on with, or 0 when it ended
     *                     ({@link LbfgsResult.StopReason#DIVERGED})
     */
    record Divergence(int iteration, double loss, int resumedFrom, double learningRate) {

        public boolean ended() {
            return learningRate == 0;
        }
    }

    record Progress(int iteration, int evaluations, double loss, double gradientL1, double gradientL2,
                    boolean current) {
    }
}
