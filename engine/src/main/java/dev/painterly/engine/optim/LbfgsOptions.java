package dev.painterly.engine.optim;

/**
 * Settings of an {@link Lbfgs} run (docs/algorithm.md section 4; the names are Torch7's optim.lbfgs
 * config fields). A negative tolerance disables the conditions that use it, except g . d &gt; -tolX,
 * which then still stops an ascent direction steeper than |tolX|.
 *
 * @param maxIterations  the most steps to take
 * @param maxEvaluations stop once this many objective evaluations were made
 * @param learningRate   the fixed step length t (the first step is shortened, see {@link Lbfgs})
 * @param tolFun         stop when sum |g| &lt;= tolFun (first-order optimality)
 * @param tolX           stop when g . d &gt; -tolX, sum |t d| &lt;= tolX or |f - f_prev| &lt; tolX
 * @param historySize    the most (s, y) pairs kept
 * @param maxRestarts    how many times a diverging run may resume from its best iterate (see
 *                       {@link Lbfgs}); 0, the reference's behaviour, never resumes
 */
public record LbfgsOptions(int maxIterations, int maxEvaluations, double learningRate, double tolFun,
                           double tolX, int historySize, int maxRestarts) {

    public static final double DEFAULT_TOL_FUN = 1e-5;
    public static final double DEFAULT_TOL_X = 1e-9;
    public static final int DEFAULT_HISTORY_SIZE = 100;

    public LbfgsOptions {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1: " + maxIterations);
        }
        if (maxEvaluations < 1) {
            throw new IllegalArgumentException("maxEvaluations must be at least 1: " + maxEvaluations);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be positive and finite: " + learningRate);
        }
        if (Double.isNaN(tolFun) || Double.isNaN(tolX)) {
            throw new IllegalArgumentException("tolerances must not be NaN: " + tolFun + ", " + tolX);
        }
        if (historySize < 1) {
            throw new IllegalArgumentException("historySize must be at least 1: " + historySize);
        }
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must not be negative: " + maxRestarts);
        }
    }

    /** Torch7's defaults: learning rate 1, tolFun 1e-5, tolX 1e-9, history 100, no restarts. */
    public static LbfgsOptions defaults(int maxIterations) {
        return new LbfgsOptions(maxIterations, defaultMaxEvaluations(maxIterations), 1,
                DEFAULT_TOL_FUN, DEFAULT_TOL_X, DEFAULT_HISTORY_SIZE, 0);
    }

    /**
     * 1.25 x maxIterations, rounded up: Torch7 compares the evaluation count with the unrounded
     * product, which is the same test. (PyTorch rounds down, which for maxIterations 2 or 3 stops
     * one iteration early.)
     */
    public static int defaultMaxEvaluations(int maxIterations) {
        return (int) Math.min(Integer.MAX_VALUE, (5L * maxIterations + 3) / 4);
    }

    public LbfgsOptions withMaxEvaluations(int evaluations) {
        return new LbfgsOptions(maxIterations, evaluations, learningRate, tolFun, tolX, historySize, maxRestarts);
    }

    public LbfgsOptions withLearningRate(double rate) {
        return new LbfgsOptions(maxIterations, maxEvaluations, rate, tolFun, tolX, historySize, maxRestarts);
    }

    /** Both tolerances; -1 and -1 disable the early stops (reference runs), see above. */
    public LbfgsOptions withTolerances(double newTolFun, double newTolX) {
        return new LbfgsOptions(maxIterations, maxEvaluations, learningRate, newTolFun, newTolX, historySize, maxRestarts);
    }

    public LbfgsOptions withHistorySize(int size) {
        return new LbfgsOptions(maxIterations, maxEvaluations, learningRate, tolFun, tolX, size, maxRestarts);
    }

    /** Lets a diverging run resume from its best iterate up to this many times. */
    public LbfgsOptions withMaxRestarts(int restarts) {
        return new LbfgsOptions(maxIterations, maxEvaluations, learningRate, tolFun, tolX, historySize, restarts);
    }
}
