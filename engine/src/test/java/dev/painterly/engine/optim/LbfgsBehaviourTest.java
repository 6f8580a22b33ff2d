package dev.painterly.engine.optim;

import dev.painterly.engine.Device;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The listener, each stop condition, the history bound and device-memory hygiene. The small cases
 * use f(x) = 0.5 |x|^2 on {@link JavaDevice#exact()}, where every step can be worked out by hand:
 * from x0 the first step is x0 - min(1, 1 / sum |x0|) x0.
 */
class LbfgsBehaviourTest {

    private static final HostObjective.Function HALF_SQUARED_NORM = (x, gradient) -> {
        double f = 0;
        for (int i = 0; i < x.length; i++) {
            gradient[i] = x[i];
            f += 0.5 * x[i] * x[i];
        }
        return f;
    };

    private final JavaDevice exact = JavaDevice.exact();

    private Tensor vector(double... values) {
        return exact.uploadDoubles(Shape.vector(values.length), values);
    }

    private LbfgsResult minimize(Tensor x, LbfgsOptions options, HostObjective.Function f,
                                 IterationListener listener) {
        long live = x.device().stats().liveAllocations();
        LbfgsResult result = new Lbfgs(options).minimize(x, HostObjective.exact(f), listener);
        assertEquals(live, x.device().stats().liveAllocations(), "device tensors leaked");
        return result;
    }

    @Test
    void listenerSeesEachIterationAndStopsTheRun() {
        TestFunctions.Quadratic quadratic = TestFunctions.Quadratic.random(7, 6, 0.05);
        List<IterationListener.Progress> seen = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        try (Tensor x = vector(RandomTensors.uniformDoubles(8, 6))) {
            LbfgsResult result = minimize(x, LbfgsOptions.defaults(100), quadratic, progress -> {
                seen.add(progress);
                points.add(HostObjective.read(x));
                return progress.iteration() == 3;
            });
            assertEquals(new LbfgsResult(seen.get(2).loss(), 3, 4, StopReason.LISTENER), result);
        }
        for (int k = 0; k < seen.size(); k++) {
            IterationListener.Progress p = seen.get(k);
            double[] g = new double[6];
            double f = quadratic.value(points.get(k), g);
            assertEquals(k + 1, p.iteration(), "iteration");
            assertEquals(k + 2, p.evaluations(), "evaluations");
            assertTrue(p.current(), "re-evaluated after the step");
            assertEquals(f, p.loss(), 1e-12 * Math.abs(f), "loss at x");
            double l1 = 0;
            double l2 = 0;
            for (double v : g) {
                l1 += Math.abs(v);
                l2 += v * v;
            }
            assertEquals(l1, p.gradientL1(), 1e-12 * l1, "sum |g|");
            assertEquals(Math.sqrt(l2), p.gradientL2(), 1e-12 * Math.sqrt(l2), "|g|_2");
        }
    }

    @Test
    void lastIterationIsNotReEvaluated() {
        List<IterationListener.Progress> seen = new ArrayList<>();
        try (Tensor x = vector(3, 4)) {
            LbfgsOptions options = LbfgsOptions.defaults(3).withTolerances(-1, -1);
            LbfgsResult result = minimize(x, options, HALF_SQUARED_NORM, progress -> {
                seen.add(progress);
                return false;
            });
            assertEquals(new LbfgsResult(seen.get(1).loss(), 3, 3, StopReason.MAX_ITERATIONS), result);
        }
        assertEquals(3, seen.size());
        assertTrue(seen.get(1).current());
        assertFalse(seen.get(2).current(), "no evaluation after the last step");
        assertEquals(3, seen.get(2).evaluations());
        assertEquals(seen.get(1).loss(), seen.get(2).loss());
    }

    @Test
    void zeroGradientStopsAtOnce() {
        HostObjective.Function shifted = (x, gradient) -> {
            gradient[0] = x[0] - 0.5;
            gradient[1] = x[1] + 2;
            return 0.5 * (gradient[0] * gradient[0] + gradient[1] * gradient[1]);
        };
        try (Tensor x = vector(0.5, -2)) {
            LbfgsResult result = minimize(x, LbfgsOptions.defaults(100), shifted, progress -> {
                throw new AssertionError("no iteration expected");
            });
            assertEquals(new LbfgsResult(0, 0, 1, StopReason.GRADIENT_TOLERANCE), result);
            assertArrayEquals(new double[] {0.5, -2}, HostObjective.read(x));
        }
    }

    @Test
    void gradientToleranceAfterAStep() {
        // sum |x0| = 0.7 < 1, so the first step is the full -g, which lands on the minimiser 0.
        try (Tensor x = vector(0.3, 0.4)) {
            LbfgsResult result = minimize(x, LbfgsOptions.defaults(10), HALF_SQUARED_NORM, null);
            assertEquals(new LbfgsResult(0, 1, 2, StopReason.GRADIENT_TOLERANCE), result);
        }
    }

    @Test
    void maxEvaluationsStops() {
        TestFunctions.Quadratic quadratic = TestFunctions.Quadratic.random(3, 5, 0.05);
        HostObjective objective = HostObjective.exact(quadratic);
        try (Tensor x = vector(RandomTensors.uniformDoubles(4, 5))) {
            LbfgsOptions options = LbfgsOptions.defaults(10).withMaxEvaluations(4).withTolerances(-1, -1);
            LbfgsResult result = new Lbfgs(options).minimize(x, objective);
            assertEquals(StopReason.MAX_EVALUATIONS, result.stopReason());
            assertEquals(3, result.iterations());
            assertEquals(4, result.evaluations());
            assertEquals(4, objective.evaluations());
        }
    }

    @Test
    void defaultMaxEvaluationsIsOneAndAQuarterTimesIterationsRoundedUp() {
        assertEquals(1250, LbfgsOptions.defaults(1000).maxEvaluations());
        assertEquals(4, LbfgsOptions.defaults(3).maxEvaluations());
        assertEquals(3, LbfgsOptions.defaults(2).maxEvaluations());
        assertEquals(2, LbfgsOptions.defaults(1).maxEvaluations());
        try (Tensor x = vector(3, 4)) {
            LbfgsResult result = minimize(x, LbfgsOptions.defaults(2).withTolerances(-1, -1), HALF_SQUARED_NORM, null);
            assertEquals(StopReason.MAX_ITERATIONS, result.stopReason());
            assertEquals(2, result.iterations());
        }
    }

    @Test
    void directionalDerivativeStopsBeforeAStep() {
        // g . d = -|x0|^2 = -0.25 > -tolX.
        try (Tensor x = vector(0.3, 0.4)) {
            LbfgsResult result = minimize(x, LbfgsOptions.defaults(10).withTolerances(-1, 1), HALF_SQUARED_NORM, null);
            assertEquals(new LbfgsResult(0.125, 0, 1, StopReason.DIRECTIONAL_DERIVATIVE), result);
            assertArrayEquals(new double[] {0.3, 0.4}, HostObjective.read(x));
        }
    }

    @Test
    void stepToleranceStops() {
        // t = 1 / sum |x0| = 1/7, so sum |t d| = 1 <= 2, while g . d = -25 and the loss drops by 3.3.
        try (Tensor x = vector(3, 4)) {
            LbfgsResult result = minimize(x, LbfgsOptions.defaults(10).withTolerances(-1, 2), HALF_SQUARED_NORM, null);
            assertEquals(StopReason.STEP_TOLERANCE, result.stopReason());
            assertEquals(1, result.iterations());
            double[] at = HostObjective.read(x);
            assertEquals(3 * 6 / 7.0, at[0], 1e-15);
            assertEquals(4 * 6 / 7.0, at[1], 1e-15);
        }
    }

    @Test
    void lossChangeToleranceStops() {
        // The full step lands on 0: g . d = -0.25, sum |t d| = 0.7, |f - f_prev| = 0.125 < 0.2.
        try (Tensor x = vector(0.3, 0.4)) {
            LbfgsResult result = minimize(x, LbfgsOptions.defaults(10).withTolerances(-1, 0.2), HALF_SQUARED_NORM, null);
            assertEquals(new LbfgsResult(0, 1, 2, StopReason.LOSS_CHANGE_TOLERANCE), result);
        }
    }

    @Test
    void smallHistoryConvergesWithoutAllocatingPerIteration() {
        int n = 20;
        int history = 3;
        TestFunctions.Quadratic quadratic = TestFunctions.Quadratic.random(11, n, 0.05);
        double[] expected = quadratic.minimiser();
        // g, the direction, the candidate s and y, and the history's matrix of 2 * history rows.
        long tensorsPerRun = 5;
        long bytesPerRun = 4L * n * (2 * history + 4);
        for (int iterations : new int[] {50, 200}) {
            Device device = JavaDevice.float32();
            try (Tensor x = device.upload(Shape.vector(n), RandomTensors.uniform(12, n))) {
                long before = device.stats().totalAllocations();
                long liveBefore = device.stats().liveBytes();
                LbfgsOptions options = LbfgsOptions.defaults(iterations).withHistorySize(history).withTolerances(-1, -1);
                new Lbfgs(options).minimize(x, HostObjective.float32(quadratic));
                assertEquals(tensorsPerRun, device.stats().totalAllocations() - before, "tensors allocated by the run");
                assertEquals(liveBefore + bytesPerRun, device.stats().peakBytes(), "peak bytes of the run");
                double error = TestFunctions.distance(HostObjective.read(x), expected);
                assertTrue(error <= 1e-4 * TestFunctions.norm(expected), "|x - x*| = " + error);
            }
            assertEquals(0, device.stats().liveAllocations(), "device tensors leaked");
        }
    }

    @Test
    void tensorsAreClosedWhenTheObjectiveThrows() {
        IllegalStateException failure = new IllegalStateException("objective failed");
        HostObjective.Function failing = (x, gradient) -> {
            if (x[0] != 3) {
                throw failure;
            }
            return HALF_SQUARED_NORM.value(x, gradient);
        };
        try (Tensor x = vector(3, 4)) {
            long live = exact.stats().liveAllocations();
            Lbfgs lbfgs = new Lbfgs(LbfgsOptions.defaults(10));
            assertSame(failure, assertThrows(IllegalStateException.class,
                    () -> lbfgs.minimize(x, HostObjective.exact(failing))));
            assertEquals(live, exact.stats().liveAllocations(), "device tensors leaked");
        }
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> LbfgsOptions.defaults(0));
        assertThrows(IllegalArgumentException.class, () -> LbfgsOptions.defaults(10).withHistorySize(0));
        assertThrows(IllegalArgumentException.class, () -> LbfgsOptions.defaults(10).withLearningRate(0));
        assertThrows(IllegalArgumentException.class, () -> LbfgsOptions.defaults(10).withMaxEvaluations(0));
        assertThrows(IllegalArgumentException.class, () -> LbfgsOptions.defaults(10).withTolerances(Double.NaN, 0));
    }
}
