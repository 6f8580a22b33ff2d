package dev.painterly.engine.optim;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.optim.LbfgsResult.StopReason;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.RandomTensors;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Restarts: a run that blows up resumes from its best iterate with half the step, one that never
 * blows up is bit for bit the run without restarts, and one that cannot recover ends at its best.
 */
class LbfgsRestartTest {

    /** f(x) = 0.5 sum a_i x_i^2 with a_i from 1 to 4: positive, minimum 0 at 0. */
    private static final HostObjective.Function STIFF_BOWL = (x, gradient) -> {
        double f = 0;
        for (int i = 0; i < x.length; i++) {
            double a = 1 + 3.0 * i / Math.max(1, x.length - 1);
            gradient[i] = a * x[i];
            f += 0.5 * a * x[i] * x[i];
        }
        return f;
    };

    private final JavaDevice exact = JavaDevice.exact();

    private Tensor start(int n) {
        return exact.uploadDoubles(Shape.vector(n), RandomTensors.uniformDoubles(3, n));
    }

    /** Records every divergence and the x after every step. */
    private static final class Recorder implements IterationListener {

        final List<Divergence> divergences = new ArrayList<>();
        final List<double[]> points = new ArrayList<>();
        final List<Double> losses = new ArrayList<>();
        final List<Double> bestAtDivergence = new ArrayList<>();
        final Tensor x;
        double best = Double.POSITIVE_INFINITY;

        Recorder(Tensor x) {
            this.x = x;
        }

        @Override
        public boolean onIteration(Progress progress) {
            points.add(HostObjective.read(x));
            losses.add(progress.loss());
            return false;
        }

        @Override
        public void onEvaluation(int iteration, int evaluation, double loss) {
            if (loss < best) {
                best = loss;
            }
        }

        @Override
        public void onDivergence(Divergence divergence) {
            divergences.add(divergence);
            bestAtDivergence.add(best);
        }
    }

    @Test
    void aRunThatBlowsUpResumesFromItsBestIterateWithHalfTheStep() {
        // A step of 3 along the (well-estimated) Newton direction overshoots to about -2x: the loss
        // grows about 4x per step until it passes 10x the best; half the step, 1.5, then converges.
        try (Tensor x = start(6)) {
            double initial = STIFF_BOWL.value(HostObjective.read(x), new double[6]);
            Recorder recorder = new Recorder(x);
            LbfgsOptions options = LbfgsOptions.defaults(60).withLearningRate(3).withTolerances(-1, -1).withMaxRestarts(4);
            LbfgsResult result = new Lbfgs(options).minimize(x, HostObjective.exact(STIFF_BOWL), recorder);

            assertEquals(StopReason.MAX_ITERATIONS, result.stopReason());
            assertTrue(!recorder.divergences.isEmpty(), "the run diverged and said so");
            IterationListener.Divergence first = recorder.divergences.get(0);
            assertEquals(1.5, first.learningRate(), 0, "step halved");
            assertTrue(first.resumedFrom() < first.iteration(), "resumed from an earlier iterate");
            assertTrue(first.loss() > 10 * recorder.bestAtDivergence.get(0), "the diverged loss was above 10x the best");
            assertTrue(Double.isFinite(result.loss()) && result.loss() < 1e-6 * initial,
                    "converged after resuming: " + result.loss() + " from " + initial);
            assertTrue(recorder.divergences.stream().noneMatch(IterationListener.Divergence::ended));
        }
    }

    @Test
    void aRunThatNeverDivergesIsBitForBitTheRunWithoutRestarts() {
        TestFunctions.Quadratic quadratic = TestFunctions.Quadratic.random(11, 8, 0.05);
        LbfgsOptions plain = LbfgsOptions.defaults(40).withTolerances(-1, -1);
        List<double[]> without;
        List<double[]> with;
        try (Tensor x = start(8)) {
            Recorder r = new Recorder(x);
            new Lbfgs(plain).minimize(x, HostObjective.exact(quadratic), r);
            without = r.points;
        }
        try (Tensor x = start(8)) {
            Recorder r = new Recorder(x);
            new Lbfgs(plain.withMaxRestarts(5)).minimize(x, HostObjective.exact(quadratic), r);
            with = r.points;
            assertTrue(r.divergences.isEmpty());
        }
        assertEquals(without.size(), with.size());
        for (int i = 0; i < with.size(); i++) {
            assertArrayEquals(without.get(i), with.get(i), 0, "iterate " + (i + 1));
        }
    }

    @Test
    void aRunThatKeepsDivergingEndsAtItsBestIterate() {
        // Beyond |x_i| > 2 the objective is NaN, and the steps are far too long to stay inside.
        HostObjective.Function cliff = (x, gradient) -> {
            double f = STIFF_BOWL.value(x, gradient);
            for (double v : x) {
                if (Math.abs(v) > 2) {
                    return Double.NaN;
                }
            }
            return f;
        };
        try (Tensor x = start(6)) {
            Recorder recorder = new Recorder(x);
            LbfgsOptions options = LbfgsOptions.defaults(100).withLearningRate(400).withTolerances(-1, -1).withMaxRestarts(2);
            LbfgsResult result = new Lbfgs(options).minimize(x, HostObjective.exact(cliff), recorder);

            assertEquals(StopReason.DIVERGED, result.stopReason());
            assertEquals(3, recorder.divergences.size(), "two restarts, then the end");
            assertTrue(recorder.divergences.get(2).ended());
            assertEquals(List.of(200.0, 100.0), recorder.divergences.subList(0, 2).stream()
                    .map(IterationListener.Divergence::learningRate).toList());
            double[] end = HostObjective.read(x);
            double f = cliff.value(end, new double[6]);
            assertTrue(Double.isFinite(f), "x is a finite iterate");
            assertEquals(result.loss(), f, 0, "x is the best iterate, whose loss the result reports");
        }
    }

    @Test
    void anObjectiveThatIsNonFiniteFromTheStartIsNotRestarted() {
        HostObjective.Function broken = (x, gradient) -> {
            java.util.Arrays.fill(gradient, Double.NaN);
            return Double.NaN;
        };
        try (Tensor x = start(4)) {
            Recorder recorder = new Recorder(x);
            LbfgsOptions options = LbfgsOptions.defaults(3).withTolerances(-1, -1).withMaxRestarts(3);
            new Lbfgs(options).minimize(x, HostObjective.exact(broken), recorder);
            assertTrue(recorder.divergences.isEmpty(), "nothing to resume from");
            assertTrue(recorder.losses.stream().allMatch(l -> Double.isNaN(l)), "the listener sees the NaN");
        }
    }

    @Test
    void anObjectiveThatFailsWhereItSucceededBeforeIsNotRestarted() {
        int[] evaluations = {0};
        HostObjective.Function failing = (x, gradient) -> {
            double f = STIFF_BOWL.value(x, gradient);
            if (++evaluations[0] >= 4) {
                java.util.Arrays.fill(gradient, Double.NaN);
                return Double.NaN;
            }
            return f;
        };
        try (Tensor x = start(4)) {
            Recorder recorder = new Recorder(x);
            LbfgsOptions options = LbfgsOptions.defaults(20).withTolerances(-1, -1).withMaxRestarts(3);
            LbfgsResult result = new Lbfgs(options).minimize(x, HostObjective.exact(failing), recorder);
            assertEquals(StopReason.DIVERGED, result.stopReason());
            assertTrue(recorder.divergences.isEmpty(), "no resumption announced");
            assertTrue(Double.isNaN(recorder.losses.get(recorder.losses.size() - 1)), "the listener sees the NaN");
            assertEquals(5, evaluations[0], "the failure, then one evaluation of the best iterate");
        }
    }
}
