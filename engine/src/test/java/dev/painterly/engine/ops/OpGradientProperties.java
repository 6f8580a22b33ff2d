package dev.painterly.engine.ops;

import dev.painterly.engine.Check;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.GradientCheck;
import dev.painterly.engine.testing.RandomTensors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assertions;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One derivative check driven over a list of op cases: every differentiable op, alone and in a
 * chain, has its gradient compared with central finite differences in double precision by
 * {@link GradientCheck}, on random shapes (odd sizes, 1-pixel edges, channel counts that are no
 * multiple of any tile size). Each try draws one set of sizes and a seed and checks every case on
 * them, so each case is checked as many times as the property is tried; a failure names its case.
 */
class OpGradientProperties {

    /** The drawn sizes; each case takes what it needs, folded into its own range. */
    record Sizes(int a, int b, int h, int w, int k, long seed) {

        /** a folded into 1..max. */
        int a(int max) {
            return 1 + (a - 1) % max;
        }

        int b(int max) {
            return 1 + (b - 1) % max;
        }

        int h(int max) {
            return 1 + (h - 1) % max;
        }

        int w(int max) {
            return 1 + (w - 1) % max;
        }

        /** k / 10, in 0.1 .. 4.0: a scale or weight. */
        double factor() {
            return k / 10.0;
        }
    }

    /** An op case: its name, and the inputs and function it checks for given sizes. */
    record OpCase(String name, Function<Sizes, Checked> make) {
    }

    /**
     * What one case checks: the function and its inputs' shapes; {@code frozen} inputs are
     * constants; inputs drawn where {@code smooth} does not hold are drawn again.
     */
    record Checked(Function<Var[], Var> op, List<Integer> frozen, Predicate<double[][]> smooth, Shape... shapes) {

        Checked(Function<Var[], Var> op, List<Integer> frozen, Shape... shapes) {
            this(op, frozen, v -> true, shapes);
        }

        Checked(Function<Var[], Var> op, Shape... shapes) {
            this(op, List.of(), shapes);
        }
    }

    /**
     * The least distance from ReLU's kink at which {@link #awayFromKink} keeps every
     * pre-activation: a finite-difference step of 1e-6 moves one by at most 1e-6 times an input of
     * magnitude below 1, so no step crosses the kink, where the difference quotient is meaningless.
     */
    static final double KINK_MARGIN = 1e-4;

    /**
     * Whether conv3x3 of the inputs (map, weights, and bias unless {@code withBias} is false) has
     * every output at least {@link #KINK_MARGIN} from zero, in double on the exact reference.
     */
    static boolean awayFromKink(double[][] v, Shape map, int outChannels, boolean withBias) {
        JavaDevice d = JavaDevice.exact();
        try (Tensor x = d.uploadDoubles(map, v[0]); Tensor w = d.uploadDoubles(Shape.vector(v[1].length), v[1]);
             Tensor b = withBias ? d.uploadDoubles(Shape.vector(outChannels), v[2]) : null;
             Tensor z = d.allocate(map.withChannels(outChannels))) {
            d.convolution().conv3x3(x, w, b, z);
            for (double e : d.downloadDoubles(z)) {
                if (Math.abs(e) < KINK_MARGIN) {
                    return false;
                }
            }
            return true;
        }
    }

    static final List<OpCase> CASES = List.of(
            new OpCase("conv3x3 with bias", s -> {
                int cin = s.a(5), cout = s.b(5);
                return new Checked(v -> Conv3x3.apply(v[0], v[1], v[2]),
                        Shape.of(cin, s.h(7), s.w(7)), Shape.vector(cout * cin * 9), Shape.vector(cout));
            }),
            new OpCase("conv3x3 without bias", s -> {
                int cin = s.a(5), cout = s.b(5);
                return new Checked(v -> Conv3x3.apply(v[0], v[1], null),
                        Shape.of(cin, s.h(7), s.w(7)), Shape.vector(cout * cin * 9));
            }),
            new OpCase("conv3x3, input only (frozen weights, as in harmonization)", s -> {
                int cin = s.a(5), cout = s.b(5);
                return new Checked(v -> Conv3x3.apply(v[0], v[1], v[2]), List.of(1, 2),
                        Shape.of(cin, s.h(7), s.w(7)), Shape.vector(cout * cin * 9), Shape.vector(cout));
            }),
            new OpCase("conv3x3 and relu fused, with bias", s -> {
                int cin = s.a(5), cout = s.b(5);
                Shape map = Shape.of(cin, s.h(7), s.w(7));
                return new Checked(v -> Conv3x3Relu.apply(v[0], v[1], v[2]), List.of(),
                        v -> awayFromKink(v, map, cout, true), map, Shape.vector(cout * cin * 9), Shape.vector(cout));
            }),
            new OpCase("conv3x3 and relu fused, without bias", s -> {
                int cin = s.a(5), cout = s.b(5);
                Shape map = Shape.of(cin, s.h(7), s.w(7));
                return new Checked(v -> Conv3x3Relu.apply(v[0], v[1], null), List.of(),
                        v -> awayFromKink(v, map, cout, false), map, Shape.vector(cout * cin * 9));
            }),
            new OpCase("conv3x3 and relu fused, input only (frozen weights, as in harmonization)", s -> {
                int cin = s.a(5), cout = s.b(5);
                Shape map = Shape.of(cin, s.h(7), s.w(7));
                return new Checked(v -> Conv3x3Relu.apply(v[0], v[1], v[2]), List.of(1, 2),
                        v -> awayFromKink(v, map, cout, true), map, Shape.vector(cout * cin * 9), Shape.vector(cout));
            }),
            new OpCase("relu", s -> new Checked(v -> Relu.apply(v[0]), Shape.of(s.a(6), s.h(9), s.w(9)))),
            new OpCase("max pool 2x2", s -> new Checked(v -> MaxPool2x2.apply(v[0]), Shape.of(s.a(4), s.h(9), s.w(9)))),
            new OpCase("average pool 3x3", s -> new Checked(v -> AvgPool3x3.apply(v[0]), Shape.of(s.a(4), s.h(9), s.w(9)))),
            new OpCase("mask multiply", s -> new Checked(v -> MaskMultiply.apply(v[0], v[1]),
                    Shape.of(s.a(5), s.h(9), s.w(9)), Shape.of(1, s.h(9), s.w(9)))),
            new OpCase("mask multiply, frozen mask (as in the loss modules)", s -> new Checked(
                    v -> MaskMultiply.apply(v[0], v[1]), List.of(1),
                    Shape.of(s.a(5), s.h(9), s.w(9)), Shape.of(1, s.h(9), s.w(9)))),
            new OpCase("mean squared error", s -> new Checked(v -> MeanSquaredError.apply(v[0], v[1]),
                    Shape.of(s.a(4), s.h(9), s.w(9)), Shape.of(s.a(4), s.h(9), s.w(9)))),
            new OpCase("mean squared error over a larger tensor (a window of it)", s -> new Checked(
                    v -> MeanSquaredError.apply(v[0], v[1], 3 * v[0].value().size() + s.a(5)),
                    Shape.of(s.a(4), s.h(9), s.w(9)), Shape.of(s.a(4), s.h(9), s.w(9)))),
            new OpCase("gram", s -> new Checked(v -> Gram.apply(v[0], s.factor()), Shape.of(s.a(7), s.h(6), s.w(6)))),
            new OpCase("total variation", s -> new Checked(v -> TotalVariation.apply(v[0], s.factor()),
                    Shape.of(s.a(3), s.h(9), s.w(9)))),
            new OpCase("gradient transform without steps (identity)", s -> new Checked(
                    v -> Relu.apply(GradientTransform.apply(v[0], List.of())), Shape.of(s.a(4), s.h(9), s.w(9)))),
            new OpCase("a style-loss-shaped chain (gradients meet over two paths)", s -> {
                int cin = s.a(4), cout = s.b(5);
                Shape img = Shape.of(cin, 1 + s.h(7), 1 + s.w(7));
                Shape pooled = Check.pooled(img.withChannels(cout));
                return new Checked(v -> {
                    Var features = MaxPool2x2.apply(Relu.apply(Conv3x3.apply(v[0], v[1], v[2])));
                    Var masked = MaskMultiply.apply(AvgPool3x3.apply(features), v[3]);
                    return MeanSquaredError.apply(Gram.apply(masked, 0.5), Gram.apply(features, s.factor()));
                }, img, Shape.vector(cout * cin * 9), Shape.vector(cout), pooled.withChannels(1));
            }));

    @Property(tries = 30)
    void everyOpsGradientIsTheDerivativeOfItsForward(@ForAll @IntRange(min = 1, max = 60) int a,
                                                     @ForAll @IntRange(min = 1, max = 60) int b,
                                                     @ForAll @IntRange(min = 1, max = 60) int h,
                                                     @ForAll @IntRange(min = 1, max = 60) int w,
                                                     @ForAll @IntRange(min = 1, max = 40) int k, @ForAll long seed) {
        Sizes sizes = new Sizes(a, b, h, w, k, seed);
        for (OpCase c : CASES) {
            Checked checked = c.make().apply(sizes);
            Shape[] shapes = checked.shapes();
            double[][] values = new double[shapes.length][];
            boolean[] needsGrad = new boolean[shapes.length];
            long draw = seed;
            for (int tries = 0; ; tries++) {
                for (int i = 0; i < shapes.length; i++) {
                    values[i] = RandomTensors.uniformDoubles(draw + 31L * i, shapes[i].size());
                }
                if (checked.smooth().test(values)) {
                    break;
                }
                Assertions.assertTrue(tries < 100, c.name() + ": no smooth inputs in 100 draws");
                draw += 1_000_003;
            }
            for (int i = 0; i < shapes.length; i++) {
                needsGrad[i] = !checked.frozen().contains(i);
            }
            try {
                GradientCheck.check(JavaDevice.exact(), seed, values, needsGrad, checked.op(), shapes);
            } catch (AssertionError e) {
                throw new AssertionError(c.name() + ": " + e.getMessage(), e);
            }
        }
    }
}
