package dev.painterly.engine.ops;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.RandomTensors;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Columns} keep exactly the positions a mask does not zero, and the identities the loss
 * modules rely on when they read only those: with F_s and m_s a map's and its mask's columns, the
 * Gram matrix of F_s * m_s is that of F * m, and the gradient with respect to F_s (or to
 * F_s * m_s), put back at its columns with 0 elsewhere, is the gradient with respect to F (or to
 * F * m). In double, to 1e-12.
 */
class ColumnsProperties {

    /** A mask with about percent % of its positions 0 (possibly all) and the rest in (0, 1]. */
    private static double[] mask(int plane, int percent, long seed) {
        Random random = new Random(seed);
        double[] m = new double[plane];
        for (int p = 0; p < plane; p++) {
            m[p] = random.nextInt(100) < percent ? 0 : (float) (1 - random.nextDouble());
        }
        return m;
    }

    @Property(tries = 40)
    void scatteringTheGatheredColumnsKeepsTheMasksSupport(@ForAll @IntRange(min = 1, max = 5) int c,
                                                          @ForAll @IntRange(min = 1, max = 9) int h,
                                                          @ForAll @IntRange(min = 1, max = 9) int w,
                                                          @ForAll @IntRange(min = 0, max = 100) int zeros,
                                                          @ForAll long seed) {
        JavaDevice d = JavaDevice.exact();
        Shape s = Shape.of(c, h, w);
        double[] m = mask(h * w, zeros, seed), f = RandomTensors.uniformDoubles(seed + 1, s.size());
        try (Tensor mt = d.uploadDoubles(s.withChannels(1), m); Columns columns = Columns.of(mt);
             Tensor ft = d.uploadDoubles(s, f); Tensor compact = columns.gather(ft); Tensor back = columns.scatter(compact)) {
            int taken = 0;
            for (double v : m) {
                taken += v != 0 ? 1 : 0;
            }
            if (columns.count() != Math.max(taken, 1)) {
                throw new AssertionError(columns.count() + " columns for " + taken + " positions");
            }
            double[] got = d.downloadDoubles(back);
            for (int i = 0; i < f.length; i++) {
                // An all-zero mask keeps position 0 as its one column.
                boolean kept = m[i % (h * w)] != 0 || (taken == 0 && i % (h * w) == 0);
                Compare.close(kept ? f[i] : 0, got[i], 0, 0, "entry " + i);
            }
        }
    }

    @Property(tries = 40)
    void theGramOfTheMaskedColumnsIsTheGramOfTheMaskedMap(@ForAll @IntRange(min = 1, max = 6) int c,
                                                          @ForAll @IntRange(min = 1, max = 9) int h,
                                                          @ForAll @IntRange(min = 1, max = 9) int w,
                                                          @ForAll @IntRange(min = 0, max = 100) int zeros,
                                                          @ForAll long seed) {
        JavaDevice d = JavaDevice.exact();
        Shape s = Shape.of(c, h, w);
        double[] f = RandomTensors.uniformDoubles(seed, s.size());
        double[] seedGrad = RandomTensors.uniformDoubles(seed + 1, c * c);
        try (Tensor m = d.uploadDoubles(s.withChannels(1), mask(h * w, zeros, seed)); Columns columns = Columns.of(m);
             Tensor ms = columns.gather(m); Tensor ft = d.uploadDoubles(s, f); Tensor fs = columns.gather(ft);
             Tensor fm = d.allocate(s); Tensor fms = columns.gather(ft)) {
            d.elementwise().maskMultiply(ft, m, fm);
            d.elementwise().maskMultiply(fms, ms, fms);
            // Pass 2: with respect to F, through the product with the mask.
            double[][] whole = gramAndGradient(d, ft, seedGrad, x -> Gram.apply(MaskMultiply.apply(x, x.tape().constant(m)), 0.3));
            double[][] some = gramAndGradient(d, fs, seedGrad, x -> Gram.apply(MaskMultiply.apply(x, x.tape().constant(ms)), 0.3));
            Compare.close(whole[0], some[0], 1e-12, 1e-15, "Gram of F_s * m_s");
            Compare.close(whole[1], scattered(d, columns, some[1], c), 1e-12, 1e-15, "gradient with respect to F_s");
            // Pass 1: with respect to F * m, which is 0 off the columns, so the whole Gram's gradient is too.
            double[][] wholeMasked = gramAndGradient(d, fm, seedGrad, x -> Gram.apply(x, 0.3));
            double[][] someMasked = gramAndGradient(d, fms, seedGrad, x -> Gram.apply(x, 0.3));
            Compare.close(wholeMasked[0], someMasked[0], 1e-12, 1e-15, "Gram of the masked columns");
            Compare.close(wholeMasked[1], scattered(d, columns, someMasked[1], c), 1e-12, 1e-15,
                    "gradient with respect to F_s * m_s");
        }
    }

    /** The kernels trust the segments to fit the map, so the columns check the plane they were made for. */
    @Example
    void aMapOfAnotherPlaneIsRejected() {
        JavaDevice d = JavaDevice.exact();
        try (Tensor m = d.upload(Shape.of(1, 3, 4), new float[12]); Columns columns = Columns.of(m);
             Tensor f = d.upload(Shape.of(2, 4, 3), new float[24])) {
            assertThrows(IllegalArgumentException.class, () -> columns.gather(f));
        }
    }

    /** A compact gradient put back at its columns. */
    private static double[] scattered(JavaDevice d, Columns columns, double[] compact, int c) {
        try (Tensor t = d.uploadDoubles(Shape.of(c, 1, columns.count()), compact); Tensor whole = columns.scatter(t)) {
            return d.downloadDoubles(whole);
        }
    }

    /** The op's output and the input's gradient for an arriving gradient seedGrad. */
    private static double[][] gramAndGradient(JavaDevice d, Tensor x, double[] seedGrad, UnaryOperator<Var> op) {
        try (Tape tape = new Tape(d)) {
            Var in = tape.leaf(x);
            Var out = op.apply(in);
            try (Tensor g = d.uploadDoubles(out.shape(), seedGrad)) {
                tape.backward(out, g);
            }
            return new double[][] {d.downloadDoubles(out.value()), d.downloadDoubles(in.grad())};
        }
    }
}
