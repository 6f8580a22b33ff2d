package dev.painterly.engine.optim;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.optim.LbfgsResult.StopReason;

import java.util.Objects;

/**
 * L-BFGS without line search, as in docs/algorithm.md section 4: the semantics of Torch7's
 * optim.lbfgs and of PyTorch's torch.optim.LBFGS with line_search_fn=None.
 *
 * <p>One run: evaluate f and g at x; stop at once if sum |g| &lt;= tolFun. Then each iteration
 * computes the direction d (-g at first, later -H g with H the L-BFGS inverse Hessian of the
 * stored (s, y) pairs, see {@link CurvatureHistory}), stops if g . d &gt; -tolX, steps x += t d with t = min(1, 1 / sum |g|) * lr on the first
 * iteration and lr after, and re-evaluates f and g unless this was the last iteration allowed.
 * After each step the listener is told, then the run stops on the first of: maxIterations
 * reached, maxEvaluations reached, sum |g| &lt;= tolFun, sum |t d| &lt;= tolX,
 * |f - f_prev| &lt; tolX, the listener's request.
 *
 * <p>Unlike PyTorch, the gradient and step tests use sum |.| (Torch7's and our spec's L1 norm)
 * where PyTorch uses max |.|; with tolerances of -1 the two never differ.
 *
 * <p>Restarts ({@link LbfgsOptions#maxRestarts()} &gt; 0; the reference has none): without a line
 * search some inputs blow up. The run keeps its best evaluated iterate (lowest finite loss). When
 * an evaluation's loss or gradient is non-finite, or its loss exceeds 10x the best, x is restored
 * to the best iterate, the history is cleared, the step length is halved and the run goes on as if
 * it started there (the next step is a first step); after the last allowed restart, or at the last
 * iteration, it ends at the best iterate ({@link StopReason#DIVERGED}). The last step is then
 * evaluated too. Where nothing diverges the iterates are exactly those without restarts.
 *
 * <p>Every vector (x, g, d, the history) stays on x's device and is touched only by device ops;
 * the scalars (dot products, norms, step lengths) are doubles on the host. The direction comes
 * from a {@link VectorFreeHistory}: its pairs are rows of one matrix, and each iteration reads
 * them twice, once for the inner products and once to form d. However long it runs, a run
 * allocates g, d, the candidate pair, the history's matrix of 2 * historySize rows and, with
 * restarts, a copy of the best iterate: 2 * historySize + 5 vectors of x's size, freed at the end.
 */
public final class Lbfgs {

    private final LbfgsOptions options;
    private final CurvatureHistory.Factory histories;

    public Lbfgs(LbfgsOptions options) {
        this(options, VectorFreeHistory::new);
    }

    /** With another form of the history: for tests that compare the forms. */
    Lbfgs(LbfgsOptions options, CurvatureHistory.Factory histories) {
        this.options = Objects.requireNonNull(options, "options");
        this.histories = Objects.requireNonNull(histories, "histories");
    }

    public LbfgsOptions options() {
        return options;
    }

    /** Minimises the objective from x, updating x in place. */
    public LbfgsResult minimize(Tensor x, Objective objective) {
        return minimize(x, objective, null);
    }

    /**
     * Minimises the objective from x, updating x in place, telling the listener (may be null)
     * after each step.
     */
    public LbfgsResult minimize(Tensor x, Objective objective, IterationListener listener) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(objective, "objective");
        Device device = x.device();
        Shape shape = x.shape();
        try (Tensor g = device.allocate(shape);
             Tensor d = device.allocate(shape);
             CurvatureHistory history = histories.create(device, shape, options.historySize());
             BestIterate best = new BestIterate(device, shape, options.maxRestarts() > 0)) {
            return new Run(device, x, g, d, history, best, NanInjection.wrap(objective), listener).run();
        }
    }

    /** The state of one run; the tensors belong to {@link #minimize}, which closes them. */
    private final class Run {

        private final Device device;
        private final Tensor x;
        private final Tensor g;
        private final Tensor d;
        private final CurvatureHistory history;
        private final Objective objective;
        private final IterationListener listener;
        private final BestIterate best;
        private int evaluations;
        private double gradientL1;

        Run(Device device, Tensor x, Tensor g, Tensor d, CurvatureHistory history, BestIterate best,
            Objective objective, IterationListener listener) {
            this.device = device;
            this.x = x;
            this.g = g;
            this.d = d;
            this.history = history;
            this.best = best;
            this.objective = objective;
            this.listener = listener;
        }

        LbfgsResult run() {
            double loss = evaluate(0);
            if (gradientL1 <= options.tolFun()) {
                return new LbfgsResult(loss, 0, evaluations, StopReason.GRADIENT_TOLERANCE);
            }
            best.offer(0, loss, gradientL1, x);
            double t = 0;
            double rate = options.learningRate();
            boolean fresh = true;
            int restarts = 0;
            for (int iteration = 1; ; iteration++) {
                if (fresh) {
                    device.elementwise().scale(g, -1f, d);
                } else {
                    // The candidate y holds -g_prev (written below), so one axpy makes y = g - g_prev.
                    device.elementwise().axpy(1f, g, history.candidateY());
                    device.elementwise().scale(d, t, history.candidateS());
                    history.direction(g, d);
                }
                device.elementwise().scale(g, -1f, history.candidateY());
                double previousLoss = loss;
                t = fresh ? Math.min(1, 1 / gradientL1) * rate : rate;
                fresh = false;
                double gtd = device.reductions().dot(g, d);
                if (gtd > -options.tolX()) {
                    return new LbfgsResult(loss, iteration - 1, evaluations, StopReason.DIRECTIONAL_DERIVATIVE);
                }
                device.elementwise().axpy(t, d, x);
                // With restarts allowed the last step is evaluated too, so that a blow-up there is caught.
                boolean current = iteration != options.maxIterations() || options.maxRestarts() > 0;
                boolean restarted = false;
                if (current) {
                    loss = evaluate(iteration);
                    if (best.diverged(loss, gradientL1)) {
                        double divergedLoss = loss;
                        best.restore(x);
                        if (restarts == options.maxRestarts() || iteration == options.maxIterations()) {
                            notifyDivergence(new IterationListener.Divergence(iteration, divergedLoss, best.iteration, 0));
                            return new LbfgsResult(best.loss, iteration, evaluations, StopReason.DIVERGED);
                        }
                        loss = evaluate(iteration);
                        if (!Double.isFinite(loss) || !Double.isFinite(gradientL1)) {
                            // It fails where it succeeded before: no smaller step cures that, so the
                            // listener hears of it as of any non-finite evaluation.
                            if (listener != null) {
                                listener.onIteration(progress(iteration, loss, true));
                            }
                            return new LbfgsResult(loss, iteration, evaluations, StopReason.DIVERGED);
                        }
                        restarts++;
                        rate /= 2;
                        history.clear();
                        fresh = true;
                        restarted = true;
                        notifyDivergence(new IterationListener.Divergence(iteration, divergedLoss, best.iteration, rate));
                    } else {
                        best.offer(iteration, loss, gradientL1, x);
                    }
                }
                boolean listenerStops = listener != null && listener.onIteration(progress(iteration, loss, current));
                StopReason reason = stopReason(iteration, evaluations, gradientL1, t, loss, previousLoss,
                        listenerStops, restarted);
                if (reason != null) {
                    return new LbfgsResult(loss, iteration, evaluations, reason);
                }
            }
        }

        /** f and g at x; counts the evaluation, updates sum |g| and tells the listener. */
        private double evaluate(int iteration) {
            double loss = objective.evaluate(x, g);
            evaluations++;
            gradientL1 = device.reductions().sumAbs(g);
            if (listener != null) {
                listener.onEvaluation(iteration, evaluations, loss);
            }
            return loss;
        }

        private IterationListener.Progress progress(int iteration, double loss, boolean current) {
            return new IterationListener.Progress(iteration, evaluations, loss, gradientL1, Math.sqrt(device.reductions().dot(g, g)), current);
        }

        private void notifyDivergence(IterationListener.Divergence divergence) {
            if (listener != null) {
                listener.onDivergence(divergence);
            }
        }

        /**
         * The checks after a step, in Torch7's and PyTorch's order; null to go on. Right after a
         * restart only the counts and the listener can stop the run: the tolerances would compare
         * the restored iterate with the diverged one.
         */
        private StopReason stopReason(int iteration, int evaluations, double gradientL1, double t, double loss,
                                      double previousLoss, boolean listenerStops, boolean restarted) {
            if (iteration == options.maxIterations()) {
                return StopReason.MAX_ITERATIONS;
            }
            if (evaluations >= options.maxEvaluations()) {
                return StopReason.MAX_EVALUATIONS;
            }
            if (!restarted) {
                if (gradientL1 <= options.tolFun()) {
                    return StopReason.GRADIENT_TOLERANCE;
                }
                // sum |t d| = t sum |d| as t > 0; a negative tolX can never be reached, so skip the reduction.
                if (options.tolX() >= 0 && t * device.reductions().sumAbs(d) <= options.tolX()) {
                    return StopReason.STEP_TOLERANCE;
                }
                if (Math.abs(loss - previousLoss) < options.tolX()) {
                    return StopReason.LOSS_CHANGE_TOLERANCE;
                }
            }
            return listenerStops ? StopReason.LISTENER : null;
        }
    }

    /**
     * The evaluated iterate with the lowest finite loss, for resuming a diverging run; inactive
     * (no copy, never diverged) when restarts are off. Copying x on each improvement costs one
     * device copy, next to an evaluation's network pass.
     */
    private static final class BestIterate implements AutoCloseable {

        private final Device device;
        private final Shape shape;
        private final boolean active;
        private Tensor x;
        private double loss = Double.POSITIVE_INFINITY;
        private int iteration = -1;

        BestIterate(Device device, Shape shape, boolean active) {
            this.device = device;
            this.shape = shape;
            this.active = active;
        }

        void offer(int atIteration, double value, double gradientL1, Tensor current) {
            if (!active || !Double.isFinite(value) || !Double.isFinite(gradientL1) || !(value < loss)) {
                return;
            }
            if (x == null) {
                x = device.allocate(shape);
            }
            device.copy(current, x);
            loss = value;
            iteration = atIteration;
        }

        /** Non-finite, or above 10x the best loss (for a positive best), once a best exists. */
        boolean diverged(double value, double gradientL1) {
            return x != null && (!Double.isFinite(value) || !Double.isFinite(gradientL1) || value > loss + 9 * Math.abs(loss));
        }

        void restore(Tensor into) {
            device.copy(x, into);
        }

        @Override
        public void close() {
            if (x != null) {
                x.close();
            }
        }
    }
}
