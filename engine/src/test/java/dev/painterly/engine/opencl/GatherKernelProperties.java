package dev.painterly.engine.opencl;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.ops.Columns;
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
 * The kernels of gather.cl against the Java reference, exactly where they move floats unchanged,
 * within a few ulps for the join of columns, on random subsets of up to 40,000 entries in
 * ascending or shuffled order: scatter leaves every other entry of its output as it was, and
 * scatter_columns writes 0 there.
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

    @Property(tries = TRIES)
    void gatherColumns(@ForAll @IntRange(min = 1, max = 9) int c, @ForAll @IntRange(min = 1, max = 4000) int plane,
                       @ForAll @IntRange(min = 0, max = 100) int percent, @ForAll @IntRange(min = 1, max = 3000) int run,
                       @ForAll long seed) {
        float[] mask = runs(plane, percent, run, seed);
        float[] segments = Columns.segments(mask);
        int m = Columns.taken(mask);
        Shape source = Shape.of(c, 1, plane), out = Shape.of(c, 1, m);
        try (AgainstReference run2 = new AgainstReference(cl).input(source, RandomTensors.uniform(seed, c * plane))
                .input(Shape.vector(segments.length), segments)) {
            AgainstReference.SingleOp op = (d, in, o) -> d.gather().gatherColumns(in[0], in[1], o);
            Compare.close(run2.expected(op, out), run2.actual(op, out), 0, 0, "gatherColumns of " + m + " of " + plane);
        }
    }

    @Property(tries = TRIES)
    void scatterColumns(@ForAll @IntRange(min = 1, max = 9) int c, @ForAll @IntRange(min = 1, max = 4000) int plane,
                        @ForAll @IntRange(min = 0, max = 100) int percent, @ForAll @IntRange(min = 1, max = 3000) int run,
                        @ForAll long seed) {
        float[] mask = runs(plane, percent, run, seed);
        float[] segments = Columns.segments(mask);
        int m = Columns.taken(mask);
        Shape whole = Shape.of(c, 1, plane);
        try (AgainstReference run2 = new AgainstReference(cl).input(Shape.of(c, 1, m), RandomTensors.uniform(seed, c * m))
                .input(Shape.vector(segments.length), segments)) {
            AgainstReference.SingleOp op = (d, in, o) -> d.gather().scatterColumns(in[0], in[1], o);
            float[] expected = run2.expected(op, whole);
            for (int i = 0; i < expected.length; i++) {
                if (mask[i % plane] == 0 && expected[i] != 0) {
                    throw new AssertionError("the reference wrote " + expected[i] + " off the columns at " + i);
                }
            }
            Compare.close(expected, run2.actual(op, whole), 0, 0, "scatterColumns of " + m + " into " + plane);
        }
    }

    /**
     * The join of a module's gradient on its columns with the network's, weighted as in pass 1 or
     * normalised as in pass 2, in place as the objective runs it: (g + s values) * mask on the
     * columns, g * mask off them. A float sqrt and division, then the product and sum: a few ulps
     * from the reference.
     */
    @Property(tries = TRIES)
    void addColumnsMasked(@ForAll @IntRange(min = 1, max = 9) int c, @ForAll @IntRange(min = 1, max = 4000) int plane,
                          @ForAll @IntRange(min = 0, max = 100) int percent, @ForAll @IntRange(min = 1, max = 3000) int run,
                          @ForAll @IntRange(min = -100, max = 100) int weight10, @ForAll boolean normalized,
                          @ForAll long seed) {
        float[] mask = runs(plane, percent, run, seed);
        float[] segments = Columns.segments(mask);
        int m = Columns.taken(mask);
        Shape whole = Shape.of(c, 1, plane);
        double weight = weight10 / 10.0;
        try (AgainstReference run2 = new AgainstReference(cl).input(whole, RandomTensors.uniform(seed, c * plane))
                .input(Shape.of(c, 1, m), RandomTensors.uniform(seed + 1, c * m))
                .input(Shape.vector(segments.length), segments)
                .input(Shape.of(1, 1, plane), RandomTensors.unit(seed + 2, plane))
                .input(Shape.vector(1), new float[] {(float) (seed & 0xff) * 0.37f})) {
            AgainstReference.SingleOp op = (d, in, o) -> {
                d.copy(in[0], o);
                if (normalized) {
                    d.gather().addNormalizedColumnsMasked(o, in[1], in[2], in[4], weight, in[3], o);
                } else {
                    d.gather().addColumnsMasked(o, in[1], in[2], weight, in[3], o);
                }
            };
            Compare.close(run2.expected(op, whole), run2.actual(op, whole), 1e-5, 1e-6,
                    "addColumnsMasked of " + m + " of " + plane + (normalized ? ", normalized" : ""));
        }
    }

    /**
     * A mask of runs of up to {@code run} positions along the plane, each taken (1) with chance
     * percent %, as a mask's support comes along its rows; at least one position taken.
     */
    private static float[] runs(int plane, int percent, int run, long seed) {
        Random random = new Random(seed);
        float[] mask = new float[plane];
        for (int p = 0; p < plane; ) {
            int length = 1 + random.nextInt(run);
            boolean taken = random.nextInt(100) < percent;
            for (int k = 0; k < length && p < plane; k++, p++) {
                mask[p] = taken ? 1 : 0;
            }
        }
        mask[random.nextInt(plane)] = 1;
        return mask;
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
