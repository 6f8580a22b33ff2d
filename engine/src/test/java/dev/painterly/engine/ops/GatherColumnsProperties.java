package dev.painterly.engine.ops;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.GradientCheck;
import dev.painterly.engine.testing.RandomTensors;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link GatherColumns}' gradient against finite differences (alone and under a Gram matrix, as
 * the style loss uses it), and the identity the style loss relies on: the Gram matrix of the
 * columns where a mask is not 0, weighted by it, is the Gram matrix of the masked map, with the
 * same gradient; unweighted, on a map the mask has zeroed, it is that map's Gram matrix.
 */
class GatherColumnsProperties {

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
    void itsGradientIsTheDerivativeOfItsForward(@ForAll @IntRange(min = 1, max = 5) int c,
                                                @ForAll @IntRange(min = 1, max = 7) int h,
                                                @ForAll @IntRange(min = 1, max = 7) int w,
                                                @ForAll @IntRange(min = 0, max = 100) int zeros,
                                                @ForAll boolean weighted, @ForAll boolean underGram, @ForAll long seed) {
        JavaDevice d = JavaDevice.exact();
        try (Tensor m = d.uploadDoubles(Shape.of(1, h, w), mask(h * w, zeros, seed));
             Columns columns = Columns.of(m, weighted)) {
            GradientCheck.check(d, seed, v -> {
                Var y = GatherColumns.apply(v[0], columns);
                return underGram ? Gram.apply(y, 0.7) : y;
            }, Shape.of(c, h, w));
        }
    }

    @Property(tries = 40)
    void theGramOfTheWeightedColumnsIsTheGramOfTheMaskedMap(@ForAll @IntRange(min = 1, max = 6) int c,
                                                            @ForAll @IntRange(min = 1, max = 9) int h,
                                                            @ForAll @IntRange(min = 1, max = 9) int w,
                                                            @ForAll @IntRange(min = 0, max = 100) int zeros,
                                                            @ForAll long seed) {
        JavaDevice d = JavaDevice.exact();
        Shape s = Shape.of(c, h, w);
        double[] f = RandomTensors.uniformDoubles(seed, s.size());
        double[] seedGrad = RandomTensors.uniformDoubles(seed + 1, c * c);
        try (Tensor m = d.uploadDoubles(Shape.of(1, h, w), mask(h * w, zeros, seed));
             Columns weighted = Columns.of(m, true); Columns unweighted = Columns.of(m, false)) {
            double[][] masked = gramAndGradient(d, s, f, seedGrad, x -> Gram.apply(MaskMultiply.apply(x, x.tape().constant(m)), 0.3));
            double[][] columns = gramAndGradient(d, s, f, seedGrad, x -> Gram.apply(GatherColumns.apply(x, weighted), 0.3));
            Compare.close(masked[0], columns[0], 1e-12, 1e-15, "Gram, weighted columns");
            Compare.close(masked[1], columns[1], 1e-12, 1e-15, "gradient, weighted columns");
            try (Tensor fm = d.uploadDoubles(s, f); Tensor zeroed = d.allocate(s)) {
                d.elementwise().maskMultiply(fm, m, zeroed);
                double[] z = d.downloadDoubles(zeroed);
                double[][] whole = gramAndGradient(d, s, z, seedGrad, x -> Gram.apply(x, 0.3));
                double[][] some = gramAndGradient(d, s, z, seedGrad, x -> Gram.apply(GatherColumns.apply(x, unweighted), 0.3));
                Compare.close(whole[0], some[0], 1e-12, 1e-15, "Gram, unweighted columns of the masked map");
                // Off the columns the map is 0, so the whole Gram's gradient is S * 0 there too.
                Compare.close(whole[1], some[1], 1e-12, 1e-15, "gradient, unweighted columns of the masked map");
            }
        }
    }

    /** The kernels trust the segments to fit the map, so the op checks the plane they were made for. */
    @Example
    void aMapOfAnotherPlaneIsRejected() {
        JavaDevice d = JavaDevice.exact();
        try (Tensor m = d.upload(Shape.of(1, 3, 4), new float[12]); Columns columns = Columns.of(m, true);
             Tensor f = d.upload(Shape.of(2, 4, 3), new float[24]); Tape tape = new Tape(d)) {
            Var x = tape.leaf(f);
            assertThrows(IllegalArgumentException.class, () -> GatherColumns.apply(x, columns));
        }
    }

    /** The op's output and the input's gradient for an arriving gradient seedGrad. */
    private static double[][] gramAndGradient(JavaDevice d, Shape s, double[] f, double[] seedGrad,
                                              java.util.function.UnaryOperator<Var> op) {
        try (Tensor x = d.uploadDoubles(s, f); Tape tape = new Tape(d)) {
            Var in = tape.leaf(x);
            Var out = op.apply(in);
            try (Tensor g = d.uploadDoubles(out.shape(), seedGrad)) {
                tape.backward(out, g);
            }
            return new double[][] {d.downloadDoubles(out.value()), d.downloadDoubles(in.grad())};
        }
    }
}
