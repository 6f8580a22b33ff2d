package dev.painterly.engine.opencl;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.Poison;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.function.BiConsumer;

/**
 * Each kernel of elementwise.cl against the Java reference on random shapes. Pure maps are
 * exact in float (tolerance 0); fma-based ops (axpy) and channel sums (mask gradient, TV
 * gradient) may differ from the double-accumulated reference by a few float ulps.
 */
class ElementwiseKernelProperties {

    private static final int TRIES = 25;

    private final Device cl = TestDevices.openCl();
    private final JavaDevice ref = JavaDevice.float32();

    /** Runs op on both devices with inputs made from the seed, compares the (poisoned) outputs. */
    private void check(Shape in, Shape out, int inputs, long seed, double rtol, double atol,
                       BiConsumer<Tensor[], Tensor> op, String what) {
        check(in, out, inputs, -1, seed, rtol, atol, op, what);
    }

    /** As above; input number maskInput (if any) is a 1 x H x W mask. */
    private void check(Shape in, Shape out, int inputs, int maskInput, long seed, double rtol, double atol,
                       BiConsumer<Tensor[], Tensor> op, String what) {
        Tensor[] a = new Tensor[inputs];
        Tensor[] b = new Tensor[inputs];
        for (int i = 0; i < inputs; i++) {
            Shape s = i == maskInput ? in.withChannels(1) : in;
            float[] data = RandomTensors.uniform(seed + i, s.size());
            a[i] = cl.upload(s, data);
            b[i] = ref.upload(s, data);
        }
        try (Tensor outCl = Poison.output(cl, out); Tensor outRef = Poison.output(ref, out)) {
            op.accept(a, outCl);
            op.accept(b, outRef);
            Compare.close(outRef.toArray(), outCl.toArray(), rtol, atol, what + " " + in);
        } finally {
            for (int i = 0; i < inputs; i++) {
                a[i].close();
                b[i].close();
            }
        }
    }

    @Property(tries = TRIES)
    void relu(@ForAll @IntRange(min = 1, max = 17) int c, @ForAll @IntRange(min = 1, max = 23) int h,
              @ForAll @IntRange(min = 1, max = 29) int w, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        check(s, s, 1, seed, 0, 0, (in, out) -> in[0].device().elementwise().relu(in[0], out), "relu");
    }

    @Property(tries = TRIES)
    void reluBackward(@ForAll @IntRange(min = 1, max = 17) int c, @ForAll @IntRange(min = 1, max = 23) int h,
                      @ForAll @IntRange(min = 1, max = 29) int w, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        check(s, s, 2, seed, 0, 0, (in, out) -> in[0].device().elementwise().reluBackward(in[0], in[1], out), "reluBackward");
    }

    @Property(tries = TRIES)
    void add(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll long seed) {
        Shape s = Shape.vector(n);
        check(s, s, 2, seed, 0, 0, (in, out) -> in[0].device().elementwise().add(in[0], in[1], out), "add");
    }

    @Property(tries = TRIES)
    void multiply(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll long seed) {
        Shape s = Shape.vector(n);
        check(s, s, 2, seed, 0, 0, (in, out) -> in[0].device().elementwise().multiply(in[0], in[1], out), "multiply");
    }

    @Property(tries = TRIES)
    void scale(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll float s, @ForAll long seed) {
        Shape sh = Shape.vector(n);
        check(sh, sh, 1, seed, 0, 0, (in, out) -> in[0].device().elementwise().scale(in[0], s, out), "scale");
    }

    @Property(tries = TRIES)
    void fillAndCopy(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll float v, @ForAll long seed) {
        Shape sh = Shape.vector(n);
        check(sh, sh, 1, seed, 0, 0, (in, out) -> in[0].device().copy(in[0], out), "copy");
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
        check(s, s, 2, seed, 1e-6, 1e-6, (in, out) -> {
            in[0].device().copy(in[1], out);
            in[0].device().elementwise().axpy(alpha, in[0], out);
        }, "axpy");
    }

    @Property(tries = TRIES)
    void multiplyMask(@ForAll @IntRange(min = 1, max = 17) int c, @ForAll @IntRange(min = 1, max = 23) int h,
                      @ForAll @IntRange(min = 1, max = 29) int w, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        check(s, s, 2, 1, seed, 0, 0, (in, out) -> in[0].device().elementwise().maskMultiply(in[0], in[1], out), "mask multiply");
    }

    @Property(tries = TRIES)
    void maskGradient(@ForAll @IntRange(min = 1, max = 70) int c, @ForAll @IntRange(min = 1, max = 23) int h,
                      @ForAll @IntRange(min = 1, max = 29) int w, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        check(s, s.withChannels(1), 2, seed, 1e-5, 1e-5 * c,
                (in, out) -> in[0].device().elementwise().maskMultiplyBackward(in[0], in[1], out), "mask gradient");
    }

    @Property(tries = TRIES)
    void totalVariationGradient(@ForAll @IntRange(min = 1, max = 5) int c, @ForAll @IntRange(min = 1, max = 23) int h,
                                @ForAll @IntRange(min = 1, max = 29) int w, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        check(s, s, 1, seed, 1e-6, 1e-6,
                (in, out) -> in[0].device().elementwise().totalVariationGradient(in[0], 0.37f, out), "tv gradient");
    }
}
