package dev.painterly.engine.opencl;

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

import java.util.function.Consumer;

/**
 * The kernels of conv3x3.cl against the Java reference on random shapes: odd sizes, 1-pixel
 * edges, channel counts that are no multiple of any tile. Each op runs as the register-tiled
 * kernel with this device's tiling, as the tiled kernel with the other device kind's tiling (so
 * that the GPU constants are checked on a CPU, and the other way round), and as the plain kernel.
 *
 * <p>Tolerance: each output element is a float sum of K products (K = 9 x input channels for the
 * forward, 9 x output channels for the gradient to the input, H x W for the gradients to the
 * weights and bias), while the reference sums in double and rounds once. The probabilistic
 * rounding-error bound of recursive summation (Higham and Mary, 2019) is
 * |error| &lt;= lambda sqrt(K) u sum|terms| with u = 2^-24, and it holds with overwhelming
 * probability for lambda of a few; we take lambda = 4 and, for sum|terms|, the largest element
 * of the same op run by the reference on the absolute values of its operands. On these inputs
 * (uniform in [-1, 1)) that is ~1e-4 to 1e-3, while a wrong tap, channel or edge is off by ~0.1
 * or more.
 */
class ConvolutionKernelProperties {

    private static final double LAMBDA = 4;
    private static final double UNIT_ROUNDOFF = 0x1p-24;

    private final OpenClDevice cl = TestDevices.openCl();
    private final JavaDevice ref = JavaDevice.float32();
    private final ClConvolution conv = new ClConvolution(cl);
    private final ClConvolution otherTiling =
            new ClConvolution(cl, cl.tuning() == Tuning.CPU ? ClConvolution.Tiling.GPU : ClConvolution.Tiling.CPU);

    @Property(tries = 60)
    void forward(@ForAll @IntRange(min = 1, max = 40) int inC, @ForAll @IntRange(min = 1, max = 40) int outC,
                 @ForAll @IntRange(min = 1, max = 33) int h, @ForAll @IntRange(min = 1, max = 33) int w,
                 @ForAll boolean withBias, @ForAll long seed) {
        checkForward(inC, outC, h, w, withBias, seed);
    }

    @Property(tries = 8)
    void forwardManyChannels(@ForAll @IntRange(min = 41, max = 160) int inC,
                             @ForAll @IntRange(min = 41, max = 160) int outC,
                             @ForAll @IntRange(min = 1, max = 19) int h, @ForAll @IntRange(min = 1, max = 37) int w,
                             @ForAll long seed) {
        checkForward(inC, outC, h, w, true, seed);
    }

    @Property(tries = 60)
    void backwardInput(@ForAll @IntRange(min = 1, max = 40) int inC, @ForAll @IntRange(min = 1, max = 40) int outC,
                       @ForAll @IntRange(min = 1, max = 33) int h, @ForAll @IntRange(min = 1, max = 33) int w,
                       @ForAll long seed) {
        checkBackwardInput(inC, outC, h, w, seed);
    }

    @Property(tries = 8)
    void backwardInputManyChannels(@ForAll @IntRange(min = 41, max = 160) int inC,
                                   @ForAll @IntRange(min = 41, max = 160) int outC,
                                   @ForAll @IntRange(min = 1, max = 19) int h,
                                   @ForAll @IntRange(min = 1, max = 37) int w, @ForAll long seed) {
        checkBackwardInput(inC, outC, h, w, seed);
    }

    @Property(tries = 40)
    void backwardWeight(@ForAll @IntRange(min = 1, max = 40) int inC, @ForAll @IntRange(min = 1, max = 40) int outC,
                        @ForAll @IntRange(min = 1, max = 33) int h, @ForAll @IntRange(min = 1, max = 33) int w,
                        @ForAll boolean withBias, @ForAll long seed) {
        Shape inShape = Shape.of(inC, h, w);
        Shape outShape = Shape.of(outC, h, w);
        Shape wShape = Shape.vector(outC * inC * 9);
        Shape bShape = Shape.vector(outC);
        float[] x = RandomTensors.uniform(seed, inShape.size());
        float[] g = RandomTensors.uniform(seed + 1, outShape.size());
        float[] expectedW;
        float[] expectedB;
        float[] scaleW;
        float[] scaleB;
        try (Tensor rx = ref.upload(inShape, x); Tensor rg = ref.upload(outShape, g);
             Tensor gw = ref.allocate(wShape); Tensor gb = ref.allocate(bShape)) {
            ref.conv3x3BackwardWeight(rx, rg, gw, gb);
            expectedW = gw.toArray();
            expectedB = gb.toArray();
            ref.write(rx, abs(x));
            ref.write(rg, abs(g));
            ref.conv3x3BackwardWeight(rx, rg, gw, gb);
            scaleW = gw.toArray();
            scaleB = gb.toArray();
        }
        double atolW = tolerance(h * w, scaleW);
        double atolB = tolerance(h * w, scaleB);
        String what = "conv3x3BackwardWeight " + inShape + " -> " + outShape + (withBias ? " with bias" : "");
        try (Tensor cx = cl.upload(inShape, x); Tensor cg = cl.upload(outShape, g);
             Tensor gw = Poison.output(cl, wShape); Tensor gb = Poison.output(cl, bShape)) {
            conv.backwardWeight(cx, cg, gw, withBias ? gb : null);
            Compare.close(expectedW, gw.toArray(), 0, atolW, what + ": weights");
            if (withBias) {
                Compare.close(expectedB, gb.toArray(), 0, atolB, what + ": bias");
            }
        }
    }

    private void checkForward(int inC, int outC, int h, int w, boolean withBias, long seed) {
        Shape inShape = Shape.of(inC, h, w);
        Shape outShape = Shape.of(outC, h, w);
        Shape wShape = Shape.vector(outC * inC * 9);
        Shape bShape = Shape.vector(outC);
        float[] x = RandomTensors.uniform(seed, inShape.size());
        float[] k = RandomTensors.uniform(seed + 1, wShape.size());
        float[] b = RandomTensors.uniform(seed + 2, bShape.size());
        float[] expected = referenceForward(inShape, outShape, x, k, withBias ? b : null);
        float[] scale = referenceForward(inShape, outShape, abs(x), abs(k), withBias ? abs(b) : null);
        double atol = tolerance(inC * 9 + (withBias ? 1 : 0), scale);
        try (Tensor cx = cl.upload(inShape, x); Tensor ck = cl.upload(wShape, k); Tensor cb = cl.upload(bShape, b)) {
            Tensor bias = withBias ? cb : null;
            String what = "conv3x3 " + inShape + " -> " + outShape + (withBias ? " with bias" : "") + ", ";
            Compare.close(expected, run(outShape, out -> conv.forward(cx, ck, bias, out, ClConvolution.Variant.TILED)), 0, atol,
                    what + "tiled");
            Compare.close(expected, run(outShape, out -> otherTiling.forward(cx, ck, bias, out, ClConvolution.Variant.TILED)), 0, atol,
                    what + "tiled (other device kind's tiling)");
            Compare.close(expected,
                    run(outShape, out -> conv.forward(cx, ck, bias, out, ClConvolution.Variant.PLAIN)), 0, atol,
                    what + "plain");
        }
    }

    private void checkBackwardInput(int inC, int outC, int h, int w, long seed) {
        Shape inShape = Shape.of(inC, h, w);
        Shape outShape = Shape.of(outC, h, w);
        Shape wShape = Shape.vector(outC * inC * 9);
        float[] g = RandomTensors.uniform(seed, outShape.size());
        float[] k = RandomTensors.uniform(seed + 1, wShape.size());
        float[] expected = referenceBackwardInput(inShape, outShape, g, k);
        float[] scale = referenceBackwardInput(inShape, outShape, abs(g), abs(k));
        double atol = tolerance(outC * 9, scale);
        try (Tensor cg = cl.upload(outShape, g); Tensor ck = cl.upload(wShape, k)) {
            String what = "conv3x3BackwardInput " + outShape + " -> " + inShape + ", ";
            Compare.close(expected, run(inShape, out -> conv.backwardInput(cg, ck, out, ClConvolution.Variant.TILED)), 0, atol,
                    what + "tiled");
            Compare.close(expected, run(inShape, out -> otherTiling.backwardInput(cg, ck, out, ClConvolution.Variant.TILED)), 0, atol,
                    what + "tiled (other device kind's tiling)");
            Compare.close(expected,
                    run(inShape, out -> conv.backwardInput(cg, ck, out, ClConvolution.Variant.PLAIN)), 0, atol,
                    what + "plain");
        }
    }

    private float[] referenceForward(Shape inShape, Shape outShape, float[] x, float[] k, float[] b) {
        try (Tensor rx = ref.upload(inShape, x); Tensor rk = ref.upload(Shape.vector(k.length), k);
             Tensor rb = b == null ? null : ref.upload(Shape.vector(b.length), b);
             Tensor out = ref.allocate(outShape)) {
            ref.conv3x3(rx, rk, rb, out);
            return out.toArray();
        }
    }

    private float[] referenceBackwardInput(Shape inShape, Shape outShape, float[] g, float[] k) {
        try (Tensor rg = ref.upload(outShape, g); Tensor rk = ref.upload(Shape.vector(k.length), k);
             Tensor out = ref.allocate(inShape)) {
            ref.conv3x3BackwardInput(rg, rk, out);
            return out.toArray();
        }
    }

    /** Runs a kernel into a poisoned OpenCL output and downloads it. */
    private float[] run(Shape shape, Consumer<Tensor> op) {
        try (Tensor out = Poison.output(cl, shape)) {
            op.accept(out);
            return out.toArray();
        }
    }

    /** lambda sqrt(K) u max(sum|terms|): see the class comment. */
    private static double tolerance(int terms, float[] sumAbsTerms) {
        return LAMBDA * Math.sqrt(terms) * UNIT_ROUNDOFF * Compare.maxAbs(sumAbsTerms);
    }

    private static float[] abs(float[] v) {
        float[] a = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = Math.abs(v[i]);
        }
        return a;
    }
}
