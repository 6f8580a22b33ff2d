package dev.painterly.engine.ops;

import dev.painterly.engine.Shape;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;

/**
 * Every differentiable op's gradient against central finite differences in double precision
 * (see {@link GradientCheck} for the tolerance), on random shapes: odd sizes, 1-pixel edges,
 * channel counts that are no multiple of any tile size.
 */
class OpGradientProperties {

    private static final int TRIES = 30;

    @Property(tries = TRIES)
    void conv2dWithBias(@ForAll @IntRange(min = 1, max = 5) int cin, @ForAll @IntRange(min = 1, max = 5) int cout,
                        @ForAll @IntRange(min = 1, max = 7) int h, @ForAll @IntRange(min = 1, max = 7) int w,
                        @ForAll long seed) {
        GradientCheck.check(seed, v -> Conv3x3.apply(v[0], v[1], v[2]),
                Shape.of(cin, h, w), Shape.vector(cout * cin * 9), Shape.vector(cout));
    }

    @Property(tries = TRIES)
    void conv2dWithoutBias(@ForAll @IntRange(min = 1, max = 5) int cin, @ForAll @IntRange(min = 1, max = 5) int cout,
                           @ForAll @IntRange(min = 1, max = 7) int h, @ForAll @IntRange(min = 1, max = 7) int w,
                           @ForAll long seed) {
        GradientCheck.check(seed, v -> Conv3x3.apply(v[0], v[1], null),
                Shape.of(cin, h, w), Shape.vector(cout * cin * 9));
    }

    @Property(tries = TRIES)
    void conv2dInputOnlyWithFrozenWeights(@ForAll @IntRange(min = 1, max = 5) int cin,
                                          @ForAll @IntRange(min = 1, max = 5) int cout,
                                          @ForAll @IntRange(min = 1, max = 7) int h,
                                          @ForAll @IntRange(min = 1, max = 7) int w, @ForAll long seed) {
        Shape[] shapes = {Shape.of(cin, h, w), Shape.vector(cout * cin * 9), Shape.vector(cout)};
        double[][] values = new double[3][];
        for (int i = 0; i < 3; i++) {
            values[i] = dev.painterly.engine.testing.RandomTensors.uniformDoubles(seed + i, shapes[i].size());
        }
        GradientCheck.check(seed, values, new boolean[] {true, false, false},
                v -> Conv3x3.apply(v[0], v[1], v[2]), shapes);
    }

    @Property(tries = TRIES)
    void relu(@ForAll @IntRange(min = 1, max = 6) int c, @ForAll @IntRange(min = 1, max = 9) int h,
              @ForAll @IntRange(min = 1, max = 9) int w, @ForAll long seed) {
        GradientCheck.check(seed, v -> Relu.apply(v[0]), Shape.of(c, h, w));
    }

    @Property(tries = TRIES)
    void maxPool(@ForAll @IntRange(min = 1, max = 4) int c, @ForAll @IntRange(min = 1, max = 9) int h,
                 @ForAll @IntRange(min = 1, max = 9) int w, @ForAll long seed) {
        GradientCheck.check(seed, v -> MaxPool2x2.apply(v[0]), Shape.of(c, h, w));
    }

    @Property(tries = TRIES)
    void avgPool(@ForAll @IntRange(min = 1, max = 4) int c, @ForAll @IntRange(min = 1, max = 9) int h,
                 @ForAll @IntRange(min = 1, max = 9) int w, @ForAll long seed) {
        GradientCheck.check(seed, v -> AvgPool3x3.apply(v[0]), Shape.of(c, h, w));
    }

    @Property(tries = TRIES)
    void add(@ForAll @IntRange(min = 1, max = 4) int c, @ForAll @IntRange(min = 1, max = 9) int h,
             @ForAll @IntRange(min = 1, max = 9) int w, @ForAll long seed) {
        GradientCheck.check(seed, v -> Add.apply(v[0], v[1]), Shape.of(c, h, w), Shape.of(c, h, w));
    }

    @Property(tries = TRIES)
    void multiply(@ForAll @IntRange(min = 1, max = 4) int c, @ForAll @IntRange(min = 1, max = 9) int h,
                  @ForAll @IntRange(min = 1, max = 9) int w, @ForAll long seed) {
        GradientCheck.check(seed, v -> Multiply.apply(v[0], v[1]), Shape.of(c, h, w), Shape.of(c, h, w));
    }

    @Property(tries = TRIES)
    void scale(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(min = -50, max = 50) int s4,
               @ForAll long seed) {
        GradientCheck.check(seed, v -> Scale.apply(v[0], s4 / 4f), Shape.vector(n));
    }

    @Property(tries = TRIES)
    void maskMultiply(@ForAll @IntRange(min = 1, max = 5) int c, @ForAll @IntRange(min = 1, max = 9) int h,
                      @ForAll @IntRange(min = 1, max = 9) int w, @ForAll long seed) {
        GradientCheck.check(seed, v -> MaskMultiply.apply(v[0], v[1]), Shape.of(c, h, w), Shape.of(1, h, w));
    }

    @Property(tries = TRIES)
    void sum(@ForAll @IntRange(min = 1, max = 4) int c, @ForAll @IntRange(min = 1, max = 9) int h,
             @ForAll @IntRange(min = 1, max = 9) int w, @ForAll long seed) {
        GradientCheck.check(seed, v -> Sum.apply(v[0]), Shape.of(c, h, w));
    }

    @Property(tries = TRIES)
    void mean(@ForAll @IntRange(min = 1, max = 4) int c, @ForAll @IntRange(min = 1, max = 9) int h,
              @ForAll @IntRange(min = 1, max = 9) int w, @ForAll long seed) {
        GradientCheck.check(seed, v -> Mean.apply(v[0]), Shape.of(c, h, w));
    }

    @Property(tries = TRIES)
    void meanSquaredError(@ForAll @IntRange(min = 1, max = 4) int c, @ForAll @IntRange(min = 1, max = 9) int h,
                          @ForAll @IntRange(min = 1, max = 9) int w, @ForAll long seed) {
        GradientCheck.check(seed, v -> MeanSquaredError.apply(v[0], v[1]), Shape.of(c, h, w), Shape.of(c, h, w));
    }

    @Property(tries = TRIES)
    void gram(@ForAll @IntRange(min = 1, max = 7) int c, @ForAll @IntRange(min = 1, max = 6) int h,
              @ForAll @IntRange(min = 1, max = 6) int w, @ForAll @IntRange(min = 1, max = 40) int scale10,
              @ForAll long seed) {
        GradientCheck.check(seed, v -> Gram.apply(v[0], scale10 / 10f), Shape.of(c, h, w));
    }

    @Property(tries = TRIES)
    void totalVariation(@ForAll @IntRange(min = 1, max = 3) int c, @ForAll @IntRange(min = 1, max = 9) int h,
                        @ForAll @IntRange(min = 1, max = 9) int w, @ForAll @IntRange(min = 1, max = 40) int weight10,
                        @ForAll long seed) {
        GradientCheck.check(seed, v -> TotalVariation.apply(v[0], weight10 / 10f), Shape.of(c, h, w));
    }

    /** A style-loss-shaped chain: the gradient of a shared input accumulates over two paths. */
    @Property(tries = TRIES)
    void styleLossChain(@ForAll @IntRange(min = 1, max = 4) int cin, @ForAll @IntRange(min = 1, max = 5) int cout,
                        @ForAll @IntRange(min = 2, max = 8) int h, @ForAll @IntRange(min = 2, max = 8) int w,
                        @ForAll long seed) {
        Shape img = Shape.of(cin, h, w);
        Shape pooled = dev.painterly.engine.Check.pooled(img.withChannels(cout));
        GradientCheck.check(seed, v -> {
            var features = MaxPool2x2.apply(Relu.apply(Conv3x3.apply(v[0], v[1], v[2])));
            var masked = MaskMultiply.apply(features, v[3]);
            var gram = Gram.apply(masked, 0.5f);
            var style = MeanSquaredError.apply(gram, v[4]);
            var content = MeanSquaredError.apply(features, v[5]);
            return Add.apply(Add.apply(Scale.apply(style, 3f), content), TotalVariation.apply(v[0], 0.2f));
        }, img, Shape.vector(cout * cin * 9), Shape.vector(cout), pooled.withChannels(1),
                Shape.of(1, cout, cout), pooled);
    }

    /** An identity GradientTransform with no steps passes the gradient through unchanged. */
    @Property(tries = TRIES)
    void gradientTransformWithoutStepsIsIdentity(@ForAll @IntRange(min = 1, max = 4) int c,
                                                 @ForAll @IntRange(min = 1, max = 9) int h,
                                                 @ForAll @IntRange(min = 1, max = 9) int w, @ForAll long seed) {
        GradientCheck.check(seed, v -> Relu.apply(GradientTransform.apply(v[0], List.of())), Shape.of(c, h, w));
    }
}
