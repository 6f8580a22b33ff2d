package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.Gram;
import dev.painterly.engine.ops.MaskMultiply;
import dev.painterly.engine.ops.MeanSquaredError;
import dev.painterly.engine.reference.HistogramReference;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.GradientCheck;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;
import java.util.function.BiFunction;

/**
 * Every loss module the harmonizer runs: (a) its loss, as built from tape ops, has the gradient of
 * its value, checked by the engine's {@link GradientCheck} (central differences in double, on the
 * exact reference); (b) a module that reads only its mask's columns has the value and own gradient
 * (put back at the columns, 0 elsewhere) of its loss written on the whole map, in double; (c) on
 * OpenCL, its weighted value and own gradient are the reference's within float tolerance (1e-4
 * relative on the value; 1e-3 relative or 1e-4 of the largest element on the gradient).
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

    /** The module's loss checked by GradientCheck at random values of its input: the map, or its columns. */
    private static void checkGradient(Inputs in, long seed, BiFunction<Device, Tensor, LayerLoss> make) {
        JavaDevice d = JavaDevice.exact();
        try (Tensor mask = d.upload(in.shape().withChannels(1), in.mask()); LayerLoss loss = make.apply(d, mask)) {
            GradientCheck.check(d, seed, v -> loss.loss(v[0]), inputShape(in.shape(), loss));
        }
    }

    private static Shape inputShape(Shape map, LayerLoss loss) {
        return loss.columns() == null ? map : Shape.of(map.channels(), 1, loss.columns().count());
    }

    /** The own gradient as a whole map: put back at the module's columns, if it has them. */
    private static float[] wholeGradient(LayerLoss.Evaluation e) {
        if (e.columns() == null) {
            return e.gradient().toArray();
        }
        try (Tensor whole = e.columns().scatter(e.gradient())) {
            return whole.toArray();
        }
    }

    /**
     * The module's weighted value and own gradient against its loss on the whole map, on the
     * exact reference (both read back as floats): weight * MSE(Gram(F * m) / (C sum(m)), T), with respect to F (pass 2) or
     * F * m (pass 1), and weight * MSE(F * m, F_composite * m) with respect to F (pass 2's content).
     */
    @Property(tries = 30)
    void modulesOnColumnsHaveTheirWholeMapLoss(@ForAll @IntRange(min = 1, max = 6) int c,
                                               @ForAll @IntRange(min = 1, max = 7) int h,
                                               @ForAll @IntRange(min = 1, max = 7) int w,
                                               @ForAll boolean restricted, @ForAll boolean content,
                                               @ForAll long seed) {
        // Pass 1's content loss reads the whole map: its tries would repeat pass 2's.
        Assume.that(restricted || !content);
        Inputs in = Inputs.random(c, h, w, seed);
        JavaDevice d = JavaDevice.exact();
        double sum = 0;
        for (float m : in.mask()) {
            sum += m;
        }
        double scale = 1.0 / (c * Math.max(sum, 1e-8));
        try (Tensor m = d.upload(in.shape().withChannels(1), in.mask()); Tensor f = d.upload(in.shape(), in.features());
             Tensor t = d.upload(in.shape(), in.target()); Tensor gram = d.upload(Shape.of(1, c, c), in.gram());
             LayerLoss module = content ? content(d, in, true, m) : style(d, in, restricted, m);
             LayerLoss.Evaluation e = module.evaluate(f); Tape tape = new Tape(d)) {
            Var x;
            Var loss;
            if (content) {
                x = tape.leaf(f);
                Var fm = MaskMultiply.apply(x, tape.constant(m));
                Var tm = MaskMultiply.apply(tape.constant(t), tape.constant(m));
                loss = MeanSquaredError.apply(fm, tm, in.shape().size());
            } else if (restricted) {
                x = tape.leaf(f);
                loss = MeanSquaredError.apply(Gram.apply(MaskMultiply.apply(x, tape.constant(m)), scale), tape.constant(gram));
            } else {
                x = tape.leaf(MaskMultiply.apply(tape.constant(f), tape.constant(m)).value());
                loss = MeanSquaredError.apply(Gram.apply(x, scale), tape.constant(gram));
            }
            tape.backward(loss);
            double weight = module.weight();
            // Both read back as floats: equal to float rounding.
            Compare.close(weight * loss.scalar(), e.loss(), 1e-6, 1e-15, "value");
            float[] want = x.grad().toArray();
            Compare.close(want, wholeGradient(e), 1e-6, 1e-9 * Compare.maxAbs(want), "own gradient");
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
        JavaDevice d = JavaDevice.exact();
        try (HistogramLoss loss = histogram(d, in)) {
            Shape columns = inputShape(in.shape(), loss);
            double[] features = distinctFeatures(columns.size(), seed);
            GradientCheck.check(d, seed, new double[][] {features}, new boolean[] {true},
                    v -> loss.loss(v[0]), columns);
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
            float[] own = wholeGradient(sent);
            for (int i = 0; i < n; i++) {
                double want = in.mask()[i % plane] > 0.1f ? (double) values[i] - remapped[i] : 0;
                Compare.close(want, own[i], 1e-6, 1e-9, "gradient at " + i);
            }
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
                gradCl = wholeGradient(e);
                lossCl = e.loss();
            }
        }
        try (Tensor m = ref.upload(in.shape().withChannels(1), in.mask()); LayerLoss loss = make.apply(ref, m);
             Tensor f = ref.upload(in.shape(), in.features())) {
            try (LayerLoss.Evaluation e = loss.evaluate(f)) {
                gradRef = wholeGradient(e);
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
