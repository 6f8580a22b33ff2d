package dev.painterly.engine.optim;

/**
 * A test hook: with the system property {@value #PROPERTY}{@code =N}, the N-th and every later
 * evaluation of each L-BFGS run yields NaN (loss and every element of the gradient), as a
 * numerically broken objective would. Tests use it to reach the NaN guards of the harmonizer and
 * the command line through the real optimiser; without the property nothing changes.
 */
final class NanInjection {

    static final String PROPERTY = "painterly.test.nanAtEvaluation";

    private NanInjection() {
    }

    static Objective wrap(Objective objective) {
        String at = System.getProperty(PROPERTY);
        if (at == null || at.isBlank()) {
            return objective;
        }
        int first = Integer.parseInt(at.trim());
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
