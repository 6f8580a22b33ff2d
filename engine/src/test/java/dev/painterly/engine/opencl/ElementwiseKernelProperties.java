package dev.painterly.engine.opencl;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.testing.AgainstReference;
import dev.painterly.engine.testing.AgainstReference.SingleOp;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.Poison;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Each kernel of elementwise.cl against ElementwiseReference on random shapes. Pure maps are
 * exact in float (tolerance 0); fma-based ops (axpy), channel sums (mask gradient, TV
 * gradient) and the scaling by a norm (a float sqrt and division) may differ from the
 * double-accumulated reference by a few float ulps.
 */
class ElementwiseKernelProperties {

    private static final int TRIES = 25;

    private final Device cl = TestDevices.openCl();

    /** Runs op on both devices with inputs made from the seed, compares the (poisoned) outputs. */
    private void check(Shape in, Shape out, int inputs, long seed, double rtol, double atol, SingleOp op, String what) {
        check(in, out, inputs, -1, seed, rtol, atol, op, what);
    }

    /** As above; input number maskInput (if any) is a 1 x H x W mask. */
    private void check(Shape in, Shape out, int inputs, int maskInput, long seed, double rtol, double atol,
                       SingleOp op, String what) {
        try (AgainstReference run = new AgainstReference(cl)) {
            for (int i = 0; i < inputs; i++) {
                Shape s = i == maskInput ? in.withChannels(1) : in;
                run.input(s, RandomTensors.uniform(seed + i, s.size()));
            }
            run.check(op, out, rtol, atol, what + " " + in);
        }
    }

    @Property(tries = TRIES)
    void relu(@ForAll @IntRange(min = 1, max = 17) int c, @ForAll @IntRange(min = 1, max = 23) int h,
              @ForAll @IntRange(min = 1, max = 29) int w, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        check(s, s, 1, seed, 0, 0, (d, in, out) -> d.elementwise().relu(in[0], out), "relu");
    }

    @Property(tries = TRIES)
    void reluBackward(@ForAll @IntRange(min = 1, max = 17) int c, @ForAll @IntRange(min = 1, max = 23) int h,
                      @ForAll @IntRange(min = 1, max = 29) int w, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        check(s, s, 2, seed, 0, 0, (d, in, out) -> d.elementwise().reluBackward(in[0], in[1], out), "reluBackward");
    }

    @Property(tries = TRIES)
    void add(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll long seed) {
        Shape s = Shape.vector(n);
        check(s, s, 2, seed, 0, 0, (d, in, out) -> d.elementwise().add(in[0], in[1], out), "add");
    }

    @Property(tries = TRIES)
    void multiply(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll long seed) {
        Shape s = Shape.vector(n);
        check(s, s, 2, seed, 0, 0, (d, in, out) -> d.elementwise().multiply(in[0], in[1], out), "multiply");
    }

    @Property(tries = TRIES)
    void scale(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll float s, @ForAll long seed) {
        Shape sh = Shape.vector(n);
        check(sh, sh, 1, seed, 0, 0, (d, in, out) -> d.elementwise().scale(in[0], s, out), "scale");
    }

    @Property(tries = TRIES)
    void fillAndCopy(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll float v, @ForAll long seed) {
        Shape sh = Shape.vector(n);
        check(sh, sh, 1, seed, 0, 0, (d, in, out) -> d.copy(in[0], out), "copy");
        try (Tensor t = Poison.output(cl, sh)) {
            cl.fill(t, v);
            float[] expected = new float[n];
            java.util.Arrays.fill(expected, v);
            Compare.close(expected, t.toArray(), 0, 0, "fill");
        }
    }

    @Property(tries = TRIES)
    void axpy(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll @IntRange(min = -100, max = 100) int alpha10,
              @ForAll long seed) {
        Shape s = Shape.vector(n);
        float alpha = alpha10 / 10f;
        check(s, s, 2, seed, 1e-6, 1e-6, (d, in, out) -> {
            d.copy(in[1], out);
            d.elementwise().axpy(alpha, in[0], out);
        }, "axpy");
    }

    @Property(tries = TRIES)
    void maskMultiply(@ForAll @IntRange(min = 1, max = 17) int c, @ForAll @IntRange(min = 1, max = 23) int h,
                      @ForAll @IntRange(min = 1, max = 29) int w, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        check(s, s, 2, 1, seed, 0, 0, (d, in, out) -> d.elementwise().maskMultiply(in[0], in[1], out), "maskMultiply");
    }

    /** Exact at weight 1; otherwise the kernel rounds the product, the sum and the masked sum (or fuses the first two). */
    @Property(tries = TRIES)
    void addMasked(@ForAll @IntRange(min = 1, max = 17) int c, @ForAll @IntRange(min = 1, max = 23) int h,
                   @ForAll @IntRange(min = 1, max = 29) int w, @ForAll @IntRange(min = -100, max = 100) int weight10,
                   @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        check(s, s, 3, 2, seed, 0, 0, (d, in, out) -> d.elementwise().addMasked(in[0], in[1], 1, in[2], out), "addMasked");
        float weight = weight10 / 10f;
        check(s, s, 3, 2, seed, 1e-6, 1e-6, (d, in, out) -> d.elementwise().addMasked(in[0], in[1], weight, in[2], out),
                "addMasked, weight " + weight);
    }

    /** As scaleByNorm: a float sqrt and division, then the product and sum, a few ulps from the reference. */
    @Property(tries = TRIES)
    void addNormalizedMasked(@ForAll @IntRange(min = 1, max = 17) int c, @ForAll @IntRange(min = 1, max = 23) int h,
                             @ForAll @IntRange(min = 1, max = 29) int w, @ForAll @IntRange(min = 0, max = 1000) int norm,
                             @ForAll @IntRange(min = -100, max = 100) int weight, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        try (AgainstReference run = new AgainstReference(cl)) {
            run.input(s, RandomTensors.uniform(seed, s.size()));
            run.input(s, RandomTensors.uniform(seed + 1, s.size()));
            run.input(Shape.vector(1), new float[] {norm * 0.37f});
            run.input(s.withChannels(1), RandomTensors.uniform(seed + 2, h * w));
            run.check((d, in, out) -> d.elementwise().addNormalizedMasked(in[0], in[1], in[2], weight, in[3], out), s,
                    1e-5, 1e-6, "addNormalizedMasked " + s);
        }
    }

    /** The kernel rounds a - b, then the product; the reference only the product. */
    @Property(tries = TRIES)
    void scaledDifference(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll @IntRange(min = -100, max = 100) int s10,
                          @ForAll long seed) {
        Shape sh = Shape.vector(n);
        float s = s10 / 10f;
        check(sh, sh, 2, seed, 1e-6, 1e-7, (d, in, out) -> d.elementwise().scaledDifference(in[0], in[1], s, out),
                "scaledDifference");
    }

    /** The squared norm is a one-element tensor on the device; the float division and sqrt may differ by an ulp or two. */
    @Property(tries = TRIES)
    void scaleByNorm(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll @IntRange(min = 0, max = 1000) int norm,
                     @ForAll @IntRange(min = -100, max = 100) int weight, @ForAll long seed) {
        Shape sh = Shape.vector(n);
        try (AgainstReference run = new AgainstReference(cl)) {
            run.input(sh, RandomTensors.uniform(seed, n));
            run.input(Shape.vector(1), new float[] {norm * 0.37f});
            run.check((d, in, out) -> d.elementwise().scaleByNorm(in[0], in[1], weight, out), sh, 1e-6, 0, "scaleByNorm");
        }
    }

    @Property(tries = TRIES)
    void maskMultiplyBackward(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 23) int h,
                      @ForAll @IntRange(min = 1, max = 29) int w, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        check(s, s.withChannels(1), 2, seed, 1e-5, 1e-5 * c,
                (d, in, out) -> d.elementwise().maskMultiplyBackward(in[0], in[1], out), "maskMultiplyBackward");
    }

    @Property(tries = TRIES)
    void totalVariationGradient(@ForAll @IntRange(min = 1, max = 5) int c, @ForAll @IntRange(min = 1, max = 23) int h,
                                @ForAll @IntRange(min = 1, max = 29) int w, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        check(s, s, 1, seed, 1e-6, 1e-6,
                (d, in, out) -> d.elementwise().totalVariationGradient(in[0], 0.37f, out), "tv gradient");
    }
}
