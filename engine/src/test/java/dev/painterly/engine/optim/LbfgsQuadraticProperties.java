package dev.painterly.engine.optim;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.opencl.OpenClDevice;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On random strictly convex quadratics f(x) = 0.5 x^T A x - b^T x (condition number at most
 * about 28, n from 2 to 30), 100 iterations of L-BFGS from a random start reach the exact
 * minimiser A^-1 b.
 *
 * <p>Tolerance: |x - A^-1 b| &lt;= 1e-4 |A^-1 b| (L2). The vectors are float32 on the device, so
 * x can only get as close as float rounding times the condition number allows: on the Java
 * float32 device the worst of 400 random cases was 2e-7, so 1e-4 leaves a wide margin for
 * another device's rounding, while an error in the update (a wrong H scale, a pair out of order)
 * leaves x far from the minimiser. Tolerances are -1 so every run takes all its iterations: the
 * check is on where it ends, not on when it stops.
 */
class LbfgsQuadraticProperties {

    private static final int TRIES = 50;
    private static final int ITERATIONS = 100;
    private static final double LAMBDA = 0.05;
    private static final double RELATIVE_TOLERANCE = 1e-4;

    private static OpenClDevice openCl;

    private static Device openCl() {
        if (openCl == null) {
            openCl = TestDevices.openCl();
        }
        return openCl;
    }

    @AfterContainer
    static void closeOpenCl() {
        if (openCl != null) {
            openCl.close();
            openCl = null;
        }
    }

    @Property(tries = TRIES)
    void reachesMinimiserOnJavaFloat32(@ForAll @IntRange(min = 2, max = 30) int n, @ForAll long seed) {
        checkReachesMinimiser(JavaDevice.float32(), n, seed);
    }

    @Property(tries = TRIES)
    void reachesMinimiserOnOpenCl(@ForAll @IntRange(min = 2, max = 30) int n, @ForAll long seed) {
        checkReachesMinimiser(openCl(), n, seed);
    }

    private static void checkReachesMinimiser(Device device, int n, long seed) {
        TestFunctions.Quadratic quadratic = TestFunctions.Quadratic.random(seed, n, LAMBDA);
        double[] expected = quadratic.minimiser();
        long live = device.stats().liveAllocations();
        LbfgsOptions options = LbfgsOptions.defaults(ITERATIONS).withTolerances(-1, -1);
        try (Tensor x = device.upload(Shape.vector(n), RandomTensors.uniform(seed + 1, n))) {
            LbfgsResult result = new Lbfgs(options).minimize(x, HostObjective.float32(quadratic));
            double error = TestFunctions.distance(HostObjective.read(x), expected);
            double bound = RELATIVE_TOLERANCE * TestFunctions.norm(expected);
            assertTrue(error <= bound, "n=" + n + ": |x - x*| = " + error + " > " + bound + " after " + result);
            assertEquals(LbfgsResult.StopReason.MAX_ITERATIONS, result.stopReason(), "stop reason");
        }
        assertEquals(live, device.stats().liveAllocations(), "device tensors leaked");
    }
}
