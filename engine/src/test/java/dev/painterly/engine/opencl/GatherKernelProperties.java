package dev.painterly.engine.opencl;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.testing.AgainstReference;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Random;

/**
 * The kernels of gather.cl against the Java reference, exactly (they move floats unchanged), on
 * random subsets of up to 40,000 entries in ascending or shuffled order: scatter leaves every
 * other entry of its output as it was.
 */
class GatherKernelProperties {

    private static final int TRIES = 30;

    private final Device cl = TestDevices.openCl();

    @Property(tries = TRIES)
    void gather(@ForAll @IntRange(min = 1, max = 40_000) int n, @ForAll @IntRange(min = 0, max = 100) int percent,
                @ForAll boolean shuffled, @ForAll long seed) {
        float[] positions = positions(n, percent, shuffled, seed);
        Shape m = Shape.vector(positions.length);
        try (AgainstReference run = new AgainstReference(cl).input(Shape.vector(n), RandomTensors.uniform(seed, n))
                .input(m, positions)) {
            float[] expected = run.expected((d, in, out) -> d.gather().gather(in[0], in[1], out), m);
            float[] actual = run.actual((d, in, out) -> d.gather().gather(in[0], in[1], out), m);
            Compare.close(expected, actual, 0, 0, "gather of " + positions.length + " of " + n);
        }
    }

    @Property(tries = TRIES)
    void scatter(@ForAll @IntRange(min = 1, max = 40_000) int n, @ForAll @IntRange(min = 0, max = 100) int percent,
                 @ForAll boolean shuffled, @ForAll long seed) {
        float[] positions = positions(n, percent, shuffled, seed);
        Shape m = Shape.vector(positions.length);
        Shape whole = Shape.vector(n);
        try (AgainstReference run = new AgainstReference(cl).input(m, RandomTensors.uniform(seed, positions.length))
                .input(m, positions).input(whole, RandomTensors.uniform(seed + 1, n))) {
            AgainstReference.SingleOp scatter = (d, in, out) -> {
                d.copy(in[2], out);
                d.gather().scatter(in[0], in[1], out);
            };
            float[] expected = run.expected(scatter, whole);
            Compare.close(expected, run.actual(scatter, whole), 0, 0, "scatter of " + positions.length + " into " + n);
        }
    }

    /** About percent % of the indices below n (at least one), each at most once, ascending unless shuffled. */
    private static float[] positions(int n, int percent, boolean shuffled, long seed) {
        Random random = new Random(seed);
        float[] all = new float[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (random.nextInt(100) < percent) {
                all[m++] = i;
            }
        }
        if (m == 0) {
            all[m++] = random.nextInt(n);
        }
        float[] out = Arrays.copyOf(all, m);
        if (shuffled) {
            for (int i = m - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                float t = out[i];
                out[i] = out[j];
                out[j] = t;
            }
        }
        return out;
    }
}
