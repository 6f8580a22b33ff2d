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
    record Progress(int iteration, int evaluations, double loss, double gradientL1, double gradientL2,
                    boolean current) {
    }
}
