package dev.painterly.engine.optim;

import dev.painterly.engine.TestHooks;

import java.util.OptionalInt;

/**
 * The test hook {@link TestHooks#NAN_AT_EVALUATION}: with it set to N, the N-th and every later
 * evaluation of each L-BFGS run yields NaN (loss and every element of the gradient), as a
 * numerically broken objective would. Tests use it to reach the NaN guards of the harmonizer and
 * the command line through the real optimiser; without the property nothing changes.
 */
final class NanInjection {

    private NanInjection() {
    }

    static Objective wrap(Objective objective) {
        OptionalInt at = TestHooks.nanAtEvaluation();
        if (at.isEmpty()) {
            return objective;
        }
        int first = at.getAsInt();
        int[] evaluations = {0};
        return (x, gradient) -> {
            double loss = objective.evaluate(x, gradient);
            if (++evaluations[0] < first) {
                return loss;
            }
            x.device().fill(gradient, Double.NaN);
            return Double.NaN;
        };
    }
}
