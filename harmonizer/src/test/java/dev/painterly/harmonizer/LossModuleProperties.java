package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.function.Function;

/**
 * The loss modules' values and own gradients: (a) on the exact reference, a restricted module's
 * raw own gradient times its weight is the derivative of its (weighted) value (central differences in double, step 1e-6,
 * tolerance 1e-5 relative), and an unrestricted style module's own gradient times m is; (b) the
 * OpenCL device gives the reference's value and gradient within float tolerance (1e-4 relative
 * to the largest gradient element, 1e-4 relative on the value).
 */
class LossModuleProperties {

    private static final double STEP = 1e-6;

    private record Inputs(Shape shape, float[] features, float[] target, float[] mask, float[] gram) {
        static Inputs random(int c, int h, int w, long seed) {
            Shape s = Shape.of(c, h, w);
            return new Inputs(s, RandomTensors.uniform(seed, s.size()), RandomTensors.uniform(seed + 1, s.size()),
                    RandomTensors.unit(seed + 2, h * w), RandomTensors.uniform(seed + 3, c * c));
        }
    }

    private static LayerLoss content(Device d, Inputs in, boolean restricted, Tensor mask) {
        return new ContentLoss("relu4_1", d.upload(in.shape(), in.target()), mask, 3.0, restricted);
    }

    private static LayerLoss style(Device d, Inputs in, boolean restricted, Tensor mask) {
        int c = in.shape().channels();
        double sum = 0;
        for (float m : in.mask()) {
            sum += m;
        }
        return new StyleLoss("relu3_1", d.upload(Shape.of(1, c, c), in.gram()), mask, sum, 7.0, restricted);
    }

    /** Own gradient (times m when asked) vs the finite-difference gradient of the value. */
    private static void checkDerivative(Inputs in, boolean timesMask,
                                        java.util.function.BiFunction<Device, Tensor, LayerLoss> make) {
        JavaDevice d = JavaDevice.exact();
        int plane = in.shape().plane();
        double[] f = new double[in.features().length];
        for (int i = 0; i < f.length; i++) {
            f[i] = in.features()[i];
        }
        try (Tensor mask = d.upload(in.shape().withChannels(1), in.mask()); LayerLoss loss = make.apply(d, mask)) {
            Function<double[], Double> value = x -> {
                try (Tensor t = d.uploadDoubles(in.shape(), x)) {
                    LayerLoss.Evaluation e = loss.evaluate(t);
                    e.gradient().close();
                    return e.loss();
                }
            };
            double[] own;
            try (Tensor t = d.uploadDoubles(in.shape(), f)) {
                LayerLoss.Evaluation e = loss.evaluate(t);
                own = d.downloadDoubles(e.gradient());
                e.gradient().close();
            }
            double scale = 1e-12;
            for (double v : own) {
                scale = Math.max(scale, Math.abs(v * loss.weight()));
            }
            for (int i = 0; i < f.length; i++) {
                double saved = f[i];
                f[i] = saved + STEP;
                double plus = value.apply(f);
                f[i] = saved - STEP;
                double minus = value.apply(f);
                f[i] = saved;
                double numeric = (plus - minus) / (2 * STEP);
                double analytic = own[i] * loss.weight() * (timesMask ? in.mask()[i % plane] : 1);
                Compare.close(numeric, analytic, 1e-5, 1e-7 * scale, "element " + i);
            }
        }
    }

    @Property(tries = 20)
    void restrictedContentGradientIsTheDerivative(@ForAll @IntRange(min = 1, max = 6) int c,
                                                  @ForAll @IntRange(min = 1, max = 7) int h,
                                                  @ForAll @IntRange(min = 1, max = 7) int w, @ForAll long seed) {
        Inputs in = Inputs.random(c, h, w, seed);
        checkDerivative(in, false, (d, m) -> content(d, in, true, m));
    }

    @Property(tries = 20)
    void unrestrictedContentGradientIsTheDerivative(@ForAll @IntRange(min = 1, max = 6) int c,
                                                    @ForAll @IntRange(min = 1, max = 7) int h,
                                                    @ForAll @IntRange(min = 1, max = 7) int w, @ForAll long seed) {
        Inputs in = Inputs.random(c, h, w, seed);
        checkDerivative(in, false, (d, m) -> content(d, in, false, m));
    }

    @Property(tries = 20)
    void restrictedStyleGradientIsTheDerivative(@ForAll @IntRange(min = 1, max = 6) int c,
                                                @ForAll @IntRange(min = 1, max = 7) int h,
                                                @ForAll @IntRange(min = 1, max = 7) int w, @ForAll long seed) {
        Inputs in = Inputs.random(c, h, w, seed);
        checkDerivative(in, false, (d, m) -> style(d, in, true, m));
    }

    /** Pass 1's style module returns the Gram backward at F * m; the chain rule adds the m. */
    @Property(tries = 20)
    void unrestrictedStyleGradientTimesMaskIsTheDerivative(@ForAll @IntRange(min = 1, max = 6) int c,
                                                           @ForAll @IntRange(min = 1, max = 7) int h,
                                                           @ForAll @IntRange(min = 1, max = 7) int w, @ForAll long seed) {
        Inputs in = Inputs.random(c, h, w, seed);
        checkDerivative(in, true, (d, m) -> style(d, in, false, m));
    }

    private static void compareDevices(Inputs in, java.util.function.BiFunction<Device, Tensor, LayerLoss> make) {
        Device cl = TestDevices.openCl();
        Device ref = JavaDevice.float32();
        float[] gradCl, gradRef;
        double lossCl, lossRef;
        try (Tensor m = cl.upload(in.shape().withChannels(1), in.mask()); LayerLoss loss = make.apply(cl, m);
             Tensor f = cl.upload(in.shape(), in.features())) {
            LayerLoss.Evaluation e = loss.evaluate(f);
            gradCl = e.gradient().toArray();
            lossCl = e.loss();
            e.gradient().close();
        }
        try (Tensor m = ref.upload(in.shape().withChannels(1), in.mask()); LayerLoss loss = make.apply(ref, m);
             Tensor f = ref.upload(in.shape(), in.features())) {
            LayerLoss.Evaluation e = loss.evaluate(f);
            gradRef = e.gradient().toArray();
            lossRef = e.loss();
            e.gradient().close();
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
}
