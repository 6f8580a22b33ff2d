package dev.painterly.harmonizer;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.optim.IterationListener;
import dev.painterly.engine.optim.Lbfgs;
import dev.painterly.engine.optim.LbfgsOptions;
import dev.painterly.engine.optim.Objective;
import dev.painterly.engine.reference.JavaDevice;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assertions;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * L-BFGS on the loose mask's support takes the same steps as on the whole window. On the exact
 * reference device the sums run in order in double, where adding the zeros of the entries outside
 * the support changes nothing: so the iterates are equal bit for bit, the window a listener reads
 * at each evaluated iteration is the same, and the entries outside the support keep their
 * starting values exactly. With restarts, one evaluation returns NaN, so that the run restores
 * its best iterate and goes on.
 */
class LooseSupportProperties {

    @Property(tries = 30)
    void sameIteratesAsOnTheWholeWindow(@ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                                        @ForAll @IntRange(min = 1, max = 40) int iterations, @ForAll boolean pass1,
                                        @ForAll boolean restarts, @ForAll long seed) {
        Random random = new Random(seed);
        float[] m = new float[h * w];
        for (int i = 0; i < m.length; i++) {
            int r = random.nextInt(3);
            m[i] = r == 0 ? 0 : r == 1 ? 1 : random.nextFloat();
        }
        Mask mask = new Mask(h, w, m);
        float[] start = new float[3 * h * w];
        for (int i = 0; i < start.length; i++) {
            start[i] = 2 * random.nextFloat() - 1;
        }
        // Evaluation 0 is the start, which a run cannot go back before; any later one may fail.
        int failing = restarts && iterations > 1 ? 1 + random.nextInt(iterations) : -1;
        Objective objective = maskedObjective(mask, seed);
        // Without restarts the last step is not evaluated: only the end of the run puts it into x.
        LbfgsOptions options = (pass1
                ? LbfgsOptions.defaults(iterations).withLearningRate(1).withTolerances(1e-5, 1e-9)
                : LbfgsOptions.defaults(iterations).withLearningRate(0.1).withTolerances(-1, -1))
                .withMaxRestarts(restarts ? 5 : 0);
        JavaDevice d = JavaDevice.exact();
        Shape shape = Shape.of(3, h, w);
        try (Tensor whole = d.upload(shape, start); Tensor onSupport = d.upload(shape, start);
             LooseSupport support = LooseSupport.of(d, mask)) {
            List<double[]> seenWhole = new ArrayList<>(), seenOnSupport = new ArrayList<>();
            new Lbfgs(options).minimize(whole, failingAt(objective, failing), recorder(whole, seenWhole));
            support.minimize(new Lbfgs(options), onSupport, failingAt(objective, failing), recorder(onSupport, seenOnSupport));
            Assertions.assertEquals(seenWhole.size(), seenOnSupport.size(), "evaluated iterations");
            for (int k = 0; k < seenWhole.size(); k++) {
                Assertions.assertArrayEquals(seenWhole.get(k), seenOnSupport.get(k), "the window at evaluated iteration " + k);
            }
            double[] expected = JavaDevice.data(whole), actual = JavaDevice.data(onSupport);
            Assertions.assertArrayEquals(expected, actual, "iterate after " + iterations + " iterations");
            for (int i = 0; i < actual.length; i++) {
                if (m[i % (h * w)] == 0) {
                    Assertions.assertEquals(start[i], actual[i], "entry " + i + " outside the support");
                }
            }
        }
    }

    /** Copies x at each evaluated iteration, as the passes' listeners read it. */
    private static IterationListener recorder(Tensor x, List<double[]> seen) {
        return p -> {
            if (p.current()) {
                seen.add(JavaDevice.data(x).clone());
            }
            return false;
        };
    }

    /** The objective, but a loss of NaN at the given evaluation (counted from 0; none if negative). */
    private static Objective failingAt(Objective objective, int evaluation) {
        int[] count = {0};
        return (x, gradient) -> {
            double loss = objective.evaluate(x, gradient);
            return count[0]++ == evaluation ? Double.NaN : loss;
        };
    }

    /**
     * sum_i a_i (x_i - t_i)^2 / 2 + x_i^4 / 10 over every entry, its gradient multiplied by the
     * mask as a pass's objective multiplies it.
     */
    private static Objective maskedObjective(Mask mask, long seed) {
        Random random = new Random(seed + 1);
        int plane = mask.height() * mask.width();
        double[] a = new double[3 * plane], t = new double[3 * plane];
        for (int i = 0; i < a.length; i++) {
            a[i] = 0.5 + random.nextDouble();
            t[i] = 2 * random.nextDouble() - 1;
        }
        return (x, gradient) -> {
            double[] v = JavaDevice.data(x), g = JavaDevice.data(gradient);
            double f = 0;
            for (int i = 0; i < v.length; i++) {
                double e = v[i] - t[i];
                f += a[i] * e * e / 2 + Math.pow(v[i], 4) / 10;
                g[i] = (a[i] * e + 0.4 * Math.pow(v[i], 3)) * mask.values()[i % plane];
            }
            return f;
        };
    }
}
