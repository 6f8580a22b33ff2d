package dev.painterly.engine.opencl;

import dev.painterly.engine.Shape;
import dev.painterly.engine.testing.AgainstReference;
import dev.painterly.engine.testing.AgainstReference.Op;
import dev.painterly.engine.testing.AgainstReference.SingleOp;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;

/**
 * The kernels of convolution.cl against ConvolutionReference on random shapes: odd sizes, 1-pixel
 * edges, channel counts that are no multiple of any tile. Each op runs as the register-tiled
 * kernel with this device's tiling, as the tiled kernel with the other device kind's tiling (so
 * that the GPU constants are checked on a CPU, and the other way round), and as the plain kernel;
 * the forward and the gradient to the input each also with the ReLU fused in (conv3x3Relu,
 * conv3x3ReluBackwardInput, whose mask is a random ReLU output with about half its elements 0).
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
    private final ClConvolution conv = new ClConvolution(cl);
    private final ClConvolution otherTiling =
            new ClConvolution(cl, cl.tuning() == Tuning.CPU ? ClConvolution.Tiling.GPU : ClConvolution.Tiling.CPU);

    @Property(tries = 60)
    void forward(@ForAll @IntRange(min = 1, max = 40) int inC, @ForAll @IntRange(min = 1, max = 40) int outC,
                 @ForAll @IntRange(min = 1, max = 33) int h, @ForAll @IntRange(min = 1, max = 33) int w,
                 @ForAll boolean withBias, @ForAll boolean relu, @ForAll long seed) {
        checkForward(inC, outC, h, w, withBias, relu, seed);
    }

    @Property(tries = 8)
    void forwardManyChannels(@ForAll @IntRange(min = 41, max = 160) int inC,
                             @ForAll @IntRange(min = 41, max = 160) int outC,
                             @ForAll @IntRange(min = 1, max = 19) int h, @ForAll @IntRange(min = 1, max = 37) int w,
                             @ForAll boolean relu, @ForAll long seed) {
        checkForward(inC, outC, h, w, true, relu, seed);
    }

    @Property(tries = 60)
    void backwardInput(@ForAll @IntRange(min = 1, max = 40) int inC, @ForAll @IntRange(min = 1, max = 40) int outC,
                       @ForAll @IntRange(min = 1, max = 33) int h, @ForAll @IntRange(min = 1, max = 33) int w,
                       @ForAll boolean relu, @ForAll long seed) {
        checkBackwardInput(inC, outC, h, w, relu, seed);
    }

    @Property(tries = 8)
    void backwardInputManyChannels(@ForAll @IntRange(min = 41, max = 160) int inC,
                                   @ForAll @IntRange(min = 41, max = 160) int outC,
                                   @ForAll @IntRange(min = 1, max = 19) int h,
                                   @ForAll @IntRange(min = 1, max = 37) int w, @ForAll boolean relu,
                                   @ForAll long seed) {
        checkBackwardInput(inC, outC, h, w, relu, seed);
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
        Op op = (d, in, out) -> d.convolution().conv3x3BackwardWeight(in[0], in[1], out[0], out[1]);
        float[][] scale;
        try (AgainstReference absolute = new AgainstReference(cl).input(inShape, abs(x)).input(outShape, abs(g))) {
            scale = absolute.expected(op, wShape, bShape);
        }
        String what = "conv3x3BackwardWeight " + inShape + " -> " + outShape + (withBias ? " with bias" : "");
        try (AgainstReference run = new AgainstReference(cl).input(inShape, x).input(outShape, g)) {
            float[][] expected = run.expected(op, wShape, bShape);
            float[][] actual = run.actual(
                    (d, in, out) -> conv.conv3x3BackwardWeight(in[0], in[1], out[0], withBias ? out[1] : null),
                    wShape, bShape);
            Compare.close(expected[0], actual[0], 0, tolerance(h * w, scale[0]), what + ": weights");
            if (withBias) {
                Compare.close(expected[1], actual[1], 0, tolerance(h * w, scale[1]), what + ": bias");
            }
        }
    }

    /** The tiled kernel with this device's tiling and with the other kind's, and the plain kernel. */
    private List<Path> paths() {
        return List.of(new Path("tiled", conv, ClConvolution.Variant.TILED),
                new Path("tiled (other device kind's tiling)", otherTiling, ClConvolution.Variant.TILED),
                new Path("plain", conv, ClConvolution.Variant.PLAIN));
    }

    private record Path(String name, ClConvolution convolution, ClConvolution.Variant variant) {
    }

    private void checkForward(int inC, int outC, int h, int w, boolean withBias, boolean relu, long seed) {
        Shape inShape = Shape.of(inC, h, w);
        Shape outShape = Shape.of(outC, h, w);
        Shape wShape = Shape.vector(outC * inC * 9);
        Shape bShape = Shape.vector(outC);
        float[] x = RandomTensors.uniform(seed, inShape.size());
        float[] k = RandomTensors.uniform(seed + 1, wShape.size());
        float[] b = RandomTensors.uniform(seed + 2, bShape.size());
        SingleOp plain = (d, in, out) -> d.convolution().conv3x3(in[0], in[1], in[2], out);
        float[] scale;
        try (AgainstReference absolute = new AgainstReference(cl).input(inShape, abs(x)).input(wShape, abs(k))) {
            scale = (withBias ? absolute.input(bShape, abs(b)) : absolute.noInput()).expected(plain, outShape);
        }
        // The ReLU only clamps: the bound of the sum holds as it is.
        double atol = tolerance(inC * 9 + (withBias ? 1 : 0), scale);
        String what = (relu ? "conv3x3Relu " : "conv3x3 ") + inShape + " -> " + outShape
                + (withBias ? " with bias" : "") + ", ";
        SingleOp op = relu ? (d, in, out) -> d.convolution().conv3x3Relu(in[0], in[1], in[2], out) : plain;
        try (AgainstReference run = new AgainstReference(cl).input(inShape, x).input(wShape, k)) {
            float[] expected = (withBias ? run.input(bShape, b) : run.noInput()).expected(op, outShape);
            for (Path p : paths()) {
                ClConvolution c = p.convolution();
                float[] actual = run.actual(relu
                        ? (d, in, out) -> c.conv3x3Relu(in[0], in[1], in[2], out, p.variant())
                        : (d, in, out) -> c.conv3x3(in[0], in[1], in[2], out, p.variant()), outShape);
                Compare.close(expected, actual, 0, atol, what + p.name());
            }
        }
    }

    private void checkBackwardInput(int inC, int outC, int h, int w, boolean relu, long seed) {
        Shape inShape = Shape.of(inC, h, w);
        Shape outShape = Shape.of(outC, h, w);
        Shape wShape = Shape.vector(outC * inC * 9);
        float[] g = RandomTensors.uniform(seed, outShape.size());
        float[] k = RandomTensors.uniform(seed + 1, wShape.size());
        float[] y = reluOutput(seed + 2, outShape.size());
        // Inputs: gradOut, weights, the ReLU's output (unused by the plain form).
        SingleOp op = relu
                ? (d, in, out) -> d.convolution().conv3x3ReluBackwardInput(in[0], in[2], in[1], out)
                : (d, in, out) -> d.convolution().conv3x3BackwardInput(in[0], in[1], out);
        float[] scale;
        try (AgainstReference absolute = new AgainstReference(cl).input(outShape, abs(g)).input(wShape, abs(k))
                .input(outShape, y)) {
            scale = absolute.expected(op, inShape);
        }
        double atol = tolerance(outC * 9, scale);
        String what = (relu ? "conv3x3ReluBackwardInput " : "conv3x3BackwardInput ") + outShape + " -> " + inShape
                + ", ";
        try (AgainstReference run = new AgainstReference(cl).input(outShape, g).input(wShape, k).input(outShape, y)) {
            float[] expected = run.expected(op, inShape);
            for (Path p : paths()) {
                ClConvolution c = p.convolution();
                float[] actual = run.actual(relu
                        ? (d, in, out) -> c.conv3x3ReluBackwardInput(in[0], in[2], in[1], out, p.variant())
                        : (d, in, out) -> c.conv3x3BackwardInput(in[0], in[1], out, p.variant()), inShape);
                Compare.close(expected, actual, 0, atol, what + p.name());
            }
        }
    }

    /** A ReLU's output: max(0, uniform in [-1, 1)), so about half the elements are 0. */
    static float[] reluOutput(long seed, int n) {
        float[] y = RandomTensors.uniform(seed, n);
        for (int i = 0; i < n; i++) {
            y[i] = Math.max(0, y[i]);
        }
        return y;
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
