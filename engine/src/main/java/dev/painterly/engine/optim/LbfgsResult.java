package dev.painterly.engine.optim;

/**
 * How an {@link Lbfgs} run ended.
 *
 * @param loss        the last value of f computed: f at the final x, except after the last
 *                    iteration that maxIterations allows, which is not re-evaluated, where it is f
 *                    before that step
 * @param iterations  steps taken (an iteration stopped by {@link StopReason#DIRECTIONAL_DERIVATIVE}
 *                    takes none and is not counted)
 * @param evaluations objective evaluations, the initial one included
 * @param stopReason  which condition ended the run
 */
public record LbfgsResult(double loss, int iterations, int evaluations, StopReason stopReason) {

    /** The stop conditions; {@link Lbfgs} says when and in which order each is checked. */
    public enum StopReason {
        /** sum |g| &lt;= tolFun, at the start or after a step. */
        GRADIENT_TOLERANCE,
        /** g . d &gt; -tolX: d is not a descent direction (or too flat); no step was taken. */
        DIRECTIONAL_DERIVATIVE,
        /** maxIterations steps taken. */
        MAX_ITERATIONS,
        /** evaluations reached maxEvaluations. */
        MAX_EVALUATIONS,
        /** sum |t d| &lt;= tolX. */
        STEP_TOLERANCE,
        /** |f - f_prev| &lt; tolX. */
        LOSS_CHANGE_TOLERANCE,
        /** the {@link IterationListener} asked to stop. */
        LISTENER,
        /** the run kept diverging after its last allowed restart and ended at its best iterate. */
        DIVERGED
    }
}
