package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.reference.HistogramReference;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.GradientCheck;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;
import java.util.function.BiFunction;

/**
 * Every loss module the harmonizer runs: (a) its loss, as built from tape ops, has the gradient of
 * its value, checked by the engine's {@link GradientCheck} (central differences in double, on the
 * exact reference); (b) on OpenCL, its weighted value and own gradient are the reference's within
 * float tolerance (1e-4 relative on the value; 1e-3 relative or 1e-4 of the largest element on the
 * gradient).
 */
class LossModuleProperties {

    private record Inputs(Shape shape, float[] features, float[] target, float[] mask, float[] gram) {
        /** The mask is 0 at about a third of its positions, as a window's mask is off its object. */
        static Inputs random(int c, int h, int w, long seed) {
            Shape s = Shape.of(c, h, w);
            float[] mask = RandomTensors.unit(seed + 2, h * w);
            Random zeros = new Random(seed + 4);
            for (int p = 0; p < mask.length; p++) {
                if (zeros.nextInt(3) == 0) {
                    mask[p] = 0;
                }
            }
            return new Inputs(s, RandomTensors.uniform(seed, s.size()), RandomTensors.uniform(seed + 1, s.size()),
                    mask, RandomTensors.uniform(seed + 3, c * c));
        }
    }

    private static LayerLoss content(Device d, Inputs in, boolean restricted, Tensor mask) {
        return new ContentLoss("relu4_1", d.upload(in.shape(), in.target()), mask, 3.0, restricted, in.shape().size());
    }

    private static LayerLoss style(Device d, Inputs in, boolean restricted, Tensor mask) {
        int c = in.shape().channels();
        double sum = 0;
        for (float m : in.mask()) {
            sum += m;
        }
        return new StyleLoss("relu3_1", d.upload(Shape.of(1, c, c), in.gram()), mask, sum, 7.0, restricted);
    }

    /** A histogram module on the mask's positions above 0.1, its target the histogram of all of {@code in.target()}. */
    private static HistogramLoss histogram(Device d, Inputs in) {
        Shape s = in.shape();
        Mask m = new Mask(s.height(), s.width(), in.mask());
        return new HistogramLoss("relu1_1", histogramTarget(in), m, 5.0, s.size(), d);
    }

    private static HistogramTarget histogramTarget(Inputs in) {
        Shape s = in.shape();
        float[] region = new float[s.plane()];
        java.util.Arrays.fill(region, 1f);
        return HistogramTarget.of(in.target(), s.channels(), region, new Mask(s.height(), s.width(), in.mask()).count(0.1f));
    }

    /** The module's loss checked by GradientCheck at random features. */
    private static void checkGradient(Inputs in, long seed, BiFunction<Device, Tensor, LayerLoss> make) {
        JavaDevice d = JavaDevice.exact();
        try (Tensor mask = d.upload(in.shape().withChannels(1), in.mask()); LayerLoss loss = make.apply(d, mask)) {
            GradientCheck.check(d, seed, v -> loss.loss(v[0]), in.shape());
        }
    }

    @Property(tries = 20)
    void contentLossHasTheGradientOfItsValue(@ForAll @IntRange(min = 1, max = 6) int c,
                                             @ForAll @IntRange(min = 1, max = 7) int h,
                                             @ForAll @IntRange(min = 1, max = 7) int w, @ForAll boolean restricted,
                                             @ForAll long seed) {
        Inputs in = Inputs.random(c, h, w, seed);
        checkGradient(in, seed, (d, m) -> content(d, in, restricted, m));
    }

    /** Pass 2's of F; pass 1's of F * m, which is its input ({@link StyleLoss#input}). */
    @Property(tries = 20)
    void styleLossHasTheGradientOfItsValue(@ForAll @IntRange(min = 1, max = 6) int c,
                                           @ForAll @IntRange(min = 1, max = 7) int h,
                                           @ForAll @IntRange(min = 1, max = 7) int w, @ForAll boolean restricted,
                                           @ForAll long seed) {
        Inputs in = Inputs.random(c, h, w, seed);
        checkGradient(in, seed, (d, m) -> style(d, in, restricted, m));
    }

    /** Its MSE, with the remapped values held fixed (see {@link #distinctFeatures}). */
    @Property(tries = 20)
    void histogramLossHasTheGradientOfItsValue(@ForAll @IntRange(min = 1, max = 6) int c,
                                               @ForAll @IntRange(min = 1, max = 7) int h,
                                               @ForAll @IntRange(min = 1, max = 7) int w, @ForAll long seed) {
        Inputs in = Inputs.random(c, h, w, seed);
        double[] features = distinctFeatures(in.shape().size(), seed);
        JavaDevice d = JavaDevice.exact();
        try (HistogramLoss loss = histogram(d, in)) {
            GradientCheck.check(d, seed, new double[][] {features}, new boolean[] {true},
                    v -> loss.loss(v[0]), in.shape());
        }
    }

    /**
     * The gradient the module sends back is the reference's F - R at the positions, R their
     * features remapped on the whole map ({@link HistogramReference#remap}), and 0 off them.
     */
    @Property(tries = 20)
    void histogramLossSendsBackTheReferenceGradient(@ForAll @IntRange(min = 1, max = 6) int c,
                                                    @ForAll @IntRange(min = 1, max = 7) int h,
                                                    @ForAll @IntRange(min = 1, max = 7) int w, @ForAll long seed) {
        Inputs in = Inputs.random(c, h, w, seed);
        int n = in.shape().size(), plane = in.shape().plane();
        double[] features = distinctFeatures(n, seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) features[i];
        }
        int[] positions = java.util.stream.IntStream.range(0, plane).filter(p -> in.mask()[p] > 0.1f).toArray();
        float[] remapped = HistogramReference.remap(values, c, positions,
                HistogramRemap.table(histogramTarget(in), positions.length));
        JavaDevice d = JavaDevice.exact();
        try (HistogramLoss loss = histogram(d, in); Tensor f = d.upload(in.shape(), values);
             LayerLoss.Evaluation sent = loss.evaluate(f)) {
            float[] own = sent.gradient().toArray();
            for (int i = 0; i < n; i++) {
                double want = in.mask()[i % plane] > 0.1f ? (double) values[i] - remapped[i] : 0;
                Compare.close(want, own[i], 1e-6, 1e-9, "gradient at " + i);
            }
        }
    }

    private static float[] gradient(Device d, Tensor f, java.util.function.UnaryOperator<Var> loss) {
        try (Tape tape = new Tape(d)) {
            Var x = tape.leaf(f);
            tape.backward(loss.apply(x));
            return x.grad().toArray();
        }
    }

    /**
     * Features held fixed in rank, as they are between rank changes: a shuffle of values 1e-3
     * apart, so that no step of the check changes a rank.
     */
    private static double[] distinctFeatures(int n, long seed) {
        double[] features = new double[n];
        for (int i = 0; i < n; i++) {
            features[i] = -1 + 1e-3 * i;
        }
        Random shuffle = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            double t = features[i];
            features[i] = features[j];
            features[j] = t;
        }
        return features;
    }

    private static void compareDevices(Inputs in, BiFunction<Device, Tensor, LayerLoss> make) {
        Device cl = TestDevices.openCl();
        Device ref = JavaDevice.float32();
        float[] gradCl, gradRef;
        double lossCl, lossRef;
        try (Tensor m = cl.upload(in.shape().withChannels(1), in.mask()); LayerLoss loss = make.apply(cl, m);
             Tensor f = cl.upload(in.shape(), in.features())) {
            try (LayerLoss.Evaluation e = loss.evaluate(f)) {
                gradCl = e.gradient().toArray();
                lossCl = e.loss();
            }
        }
        try (Tensor m = ref.upload(in.shape().withChannels(1), in.mask()); LayerLoss loss = make.apply(ref, m);
             Tensor f = ref.upload(in.shape(), in.features())) {
            try (LayerLoss.Evaluation e = loss.evaluate(f)) {
                gradRef = e.gradient().toArray();
                lossRef = e.loss();
            }
        }
        Compare.close(lossRef, lossCl, 1e-4, 1e-9, "loss");
        Compare.close(gradRef, gradCl, 1e-3, 1e-4 * Compare.maxAbs(gradRef), "gradient");
    }

    @Property(tries = 20)
    void contentOnOpenClMatchesReference(@ForAll @IntRange(min = 1, max = 40) int c,
                                         @ForAll @IntRange(min = 1, max = 19) int h,
                                         @ForAll @IntRange(min = 1, max = 19) int w, @ForAll boolean restricted,
                                         @ForAll long seed) {
        Inputs in = Inputs.random(c, h, w, seed);
        compareDevices(in, (d, m) -> content(d, in, restricted, m));
    }

    @Property(tries = 20)
    void styleOnOpenClMatchesReference(@ForAll @IntRange(min = 1, max = 40) int c,
                                       @ForAll @IntRange(min = 1, max = 19) int h,
                                       @ForAll @IntRange(min = 1, max = 19) int w, @ForAll boolean restricted,
                                       @ForAll long seed) {
        Inputs in = Inputs.random(c, h, w, seed);
        compareDevices(in, (d, m) -> style(d, in, restricted, m));
    }

    @Property(tries = 20)
    void histogramOnOpenClMatchesReference(@ForAll @IntRange(min = 1, max = 40) int c,
                                           @ForAll @IntRange(min = 1, max = 19) int h,
                                           @ForAll @IntRange(min = 1, max = 19) int w, @ForAll long seed) {
        Inputs in = Inputs.random(c, h, w, seed);
        compareDevices(in, (d, m) -> histogram(d, in));
    }
}
