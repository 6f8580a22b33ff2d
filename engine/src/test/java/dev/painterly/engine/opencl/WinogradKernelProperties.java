package dev.painterly.engine.opencl;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.testing.AgainstReference;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assertions;

import java.util.Random;

/**
 * The Winograd F(4x4, 3x3) path of {@link ClConvolution} (convolution_winograd.cl) against
 * ConvolutionReference on random shapes: odd sizes, 1-pixel edges, tile rows that are no
 * multiple of 16 tiles, channel counts that are no multiple of the output block; on uniform data,
 * and on VGG-like data (ReLU outputs of a few hundred, He-initialised weights). Each property also
 * draws whether the ReLU is fused in: conv3x3Relu forward, or conv3x3ReluBackwardInput with a
 * ReLU output for mask that is 0 about half the time.
 *
 * <p>Tolerance: Winograd's transforms add and subtract multiples of the data before the products
 * are summed, so its rounding error scales with the same algorithm run on absolute values rather
 * than with the direct sum of |terms|: per output,
 * S = |A^T| [sum_i (|G| |g_i| |G^T|) . (|B^T| |d_i| |B|)] |A| + |bias| (the first-order bound for
 * bilinear algorithms, as in Barabasz et al., "Error analysis and improving the accuracy of
 * Winograd convolution for deep neural networks", 2020). The computed output then lies within
 * (D + lambda sqrt(K)) u S of the exact one, with u = 2^-24; D = 22 bounds the roundings along
 * the deepest chain of the transforms (6 in the input transform, 6 in the weight transform, the
 * product, 8 in the output transform, the bias), counted worst-case, and lambda sqrt(K), with
 * lambda = 4 as in ConvolutionKernelProperties, the probabilistic bound of the sum over the
 * K input channels. A wrong tile, lane, channel or edge is off by a sizeable fraction of S.
 */
class WinogradKernelProperties {

    private static final double LAMBDA = 4;
    private static final double DEPTH = 22;
    private static final double UNIT_ROUNDOFF = 0x1p-24;

    private static final double[][] BT = {
        {4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
        {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
    private static final double[][] G = {
        {1 / 4.0, 0, 0}, {-1 / 6.0, -1 / 6.0, -1 / 6.0}, {-1 / 6.0, 1 / 6.0, -1 / 6.0},
        {1 / 24.0, 1 / 12.0, 1 / 6.0}, {1 / 24.0, -1 / 12.0, 1 / 6.0}, {0, 0, 1}};
    private static final double[][] AT = {
        {1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};

    private static final ClConvolution.Variant[] VARIANTS = {
        ClConvolution.Variant.WINOGRAD, ClConvolution.Variant.WINOGRAD_FUSED};

    private final OpenClDevice cl = TestDevices.openCl();
    private final ClConvolution conv = new ClConvolution(cl);

    @Property(tries = 60)
    void forward(@ForAll @IntRange(min = 1, max = 40) int inC, @ForAll @IntRange(min = 1, max = 40) int outC,
                 @ForAll @IntRange(min = 1, max = 70) int h, @ForAll @IntRange(min = 1, max = 70) int w,
                 @ForAll boolean withBias, @ForAll boolean relu, @ForAll long seed) {
        Data d = Data.uniform(inC, outC, h, w, seed);
        checkForward(d, withBias, relu);
    }

    @Property(tries = 8)
    void forwardManyChannels(@ForAll @IntRange(min = 41, max = 160) int inC,
                             @ForAll @IntRange(min = 41, max = 160) int outC,
                             @ForAll @IntRange(min = 1, max = 19) int h, @ForAll @IntRange(min = 1, max = 37) int w,
                             @ForAll boolean relu, @ForAll long seed) {
        checkForward(Data.uniform(inC, outC, h, w, seed), true, relu);
    }

    @Property(tries = 10)
    void forwardVggLike(@ForAll @IntRange(min = 16, max = 128) int inC, @ForAll @IntRange(min = 16, max = 64) int outC,
                        @ForAll @IntRange(min = 4, max = 40) int h, @ForAll @IntRange(min = 4, max = 72) int w,
                        @ForAll boolean relu, @ForAll long seed) {
        checkForward(Data.vggLike(inC, outC, h, w, seed), true, relu);
    }

    @Property(tries = 60)
    void backwardInput(@ForAll @IntRange(min = 1, max = 40) int inC, @ForAll @IntRange(min = 1, max = 40) int outC,
                       @ForAll @IntRange(min = 1, max = 70) int h, @ForAll @IntRange(min = 1, max = 70) int w,
                       @ForAll boolean relu, @ForAll long seed) {
        checkBackwardInput(Data.uniform(inC, outC, h, w, seed), relu);
    }

    @Property(tries = 8)
    void backwardInputManyChannels(@ForAll @IntRange(min = 41, max = 160) int inC,
                                   @ForAll @IntRange(min = 41, max = 160) int outC,
                                   @ForAll @IntRange(min = 1, max = 19) int h,
                                   @ForAll @IntRange(min = 1, max = 37) int w, @ForAll boolean relu,
                                   @ForAll long seed) {
        checkBackwardInput(Data.uniform(inC, outC, h, w, seed), relu);
    }

    /**
     * Transformed inputs below 2^-100 in magnitude count as 0 (TINY in convolution_winograd.cl):
     * an input small enough that its transforms stay below that, convolved without bias, gives
     * exactly 0 in both variants. Unflushed, its products with the weights would be of order
     * 2^-107, and nonzero.
     */
    @Property(tries = 10)
    void tinyTransformsCountAsZero(@ForAll @IntRange(min = 1, max = 24) int inC,
                                   @ForAll @IntRange(min = 1, max = 24) int outC,
                                   @ForAll @IntRange(min = 1, max = 40) int h, @ForAll @IntRange(min = 1, max = 70) int w,
                                   @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = new float[inC * h * w];
        for (int i = 0; i < x.length; i++) {
            // The transforms multiply by at most 10 per direction: 100 x 2^-107 stays below 2^-100.
            x[i] = (float) ((r.nextDouble() - 0.5) * 2 * 0x1p-107);
        }
        float[] weight = RandomTensors.uniform(seed + 1, outC * inC * 9);
        Shape outShape = Shape.of(outC, h, w);
        try (AgainstReference run = new AgainstReference(cl).input(Shape.of(inC, h, w), x)
                .input(Shape.vector(weight.length), weight).noInput()) {
            for (ClConvolution.Variant v : VARIANTS) {
                if (!runs(v, inC)) {
                    continue;
                }
                float[] y = run.actual((c, in, out) -> conv.conv3x3(in[0], in[1], in[2], out, v), outShape);
                for (int i = 0; i < y.length; i++) {
                    Assertions.assertEquals(0f, y[i], v + " at " + i + " of " + outShape);
                }
            }
        }
    }

    /**
     * Whether a variant can run from inC input channels on this device. The fused kernel holds a
     * work-group's transformed input in local memory, 36 KiB + 2.3 KiB per input channel: PoCL's
     * 2 MiB take it to 128 channels and more, a GPU's 48 KiB not even to 2, so there the case is
     * sized down to the three-kernel path, after checking that the fused kernel is refused and
     * never chosen rather than failing at launch.
     */
    private boolean runs(ClConvolution.Variant v, int inC) {
        if (v != ClConvolution.Variant.WINOGRAD_FUSED || conv.fusedFits(inC)) {
            return true;
        }
        Assertions.assertNotEquals(ClConvolution.Variant.WINOGRAD_FUSED, conv.choose(inC), "choice at " + inC);
        Shape s = Shape.of(inC, 4, 4);
        try (Tensor x = cl.allocate(s); Tensor k = cl.allocate(Shape.vector(inC * 9)); Tensor y = cl.allocate(Shape.of(1, 4, 4))) {
            Assertions.assertThrows(IllegalArgumentException.class, () -> conv.conv3x3(x, k, null, y, v),
                    "winograd_fused from " + inC + " channels in " + cl.localMemoryBytes() + " bytes of local memory");
        }
        return false;
    }

    @Property(tries = 40)
    void theChoiceFitsTheDevice(@ForAll @IntRange(min = 1, max = 600) int inC) {
        ClConvolution.Variant v = conv.choose(inC);
        Assertions.assertTrue(v != ClConvolution.Variant.WINOGRAD_FUSED || conv.fusedFits(inC), v + " at " + inC);
    }

    /**
     * Operands of one convolution: x is the input (forward), gradOut the output gradient and
     * reluOut a ReLU's output, its mask (backward).
     */
    private record Data(int inC, int outC, int h, int w, float[] x, float[] weight, float[] bias, float[] gradOut,
                        float[] reluOut) {

        static Data uniform(int inC, int outC, int h, int w, long seed) {
            return new Data(inC, outC, h, w, RandomTensors.uniform(seed, inC * h * w),
                    RandomTensors.uniform(seed + 1, outC * inC * 9), RandomTensors.uniform(seed + 2, outC),
                    RandomTensors.uniform(seed + 3, outC * h * w),
                    ConvolutionKernelProperties.reluOutput(seed + 4, outC * h * w));
        }

        /**
         * Inputs as after a ReLU of a trained VGG layer (non-negative, mostly below a few hundred,
         * many zeros), weights N(0, 2 / (9 inC)) (He), biases of order 1.
         */
        static Data vggLike(int inC, int outC, int h, int w, long seed) {
            Random r = new Random(seed);
            float[] x = new float[inC * h * w];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.max(0, 100 * r.nextGaussian());
            }
            float[] k = new float[outC * inC * 9];
            double sd = Math.sqrt(2.0 / (9 * inC));
            for (int i = 0; i < k.length; i++) {
                k[i] = (float) (sd * r.nextGaussian());
            }
            float[] b = new float[outC];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) r.nextGaussian();
            }
            float[] g = new float[outC * h * w];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) r.nextGaussian();
            }
            float[] y = new float[outC * h * w];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) Math.max(0, 100 * r.nextGaussian());
            }
            return new Data(inC, outC, h, w, x, k, b, g, y);
        }
    }

    private void checkForward(Data d, boolean withBias, boolean relu) {
        Shape inShape = Shape.of(d.inC(), d.h(), d.w());
        Shape outShape = Shape.of(d.outC(), d.h(), d.w());
        double[] scale = scale(d.x(), d.weight(), withBias ? d.bias() : null, d.inC(), d.outC(), d.h(), d.w());
        // The ReLU only clamps: the bound holds as it is.
        String what = (relu ? "winograd conv3x3Relu " : "winograd conv3x3 ") + inShape + " -> " + outShape + (withBias ? " with bias" : "");
        try (AgainstReference run = new AgainstReference(cl).input(inShape, d.x())
                .input(Shape.vector(d.weight().length), d.weight())) {
            if (withBias) {
                run.input(Shape.vector(d.outC()), d.bias());
            } else {
                run.noInput();
            }
            float[] expected = run.expected(relu
                    ? (c, in, out) -> c.convolution().conv3x3Relu(in[0], in[1], in[2], out)
                    : (c, in, out) -> c.convolution().conv3x3(in[0], in[1], in[2], out), outShape);
            for (ClConvolution.Variant v : VARIANTS) {
                if (!runs(v, d.inC())) {
                    continue;
                }
                float[] actual = run.actual(relu
                        ? (c, in, out) -> conv.conv3x3Relu(in[0], in[1], in[2], out, v)
                        : (c, in, out) -> conv.conv3x3(in[0], in[1], in[2], out, v), outShape);
                Compare.within(expected, actual, tolerance(scale, d.inC()), what + ", " + v);
            }
        }
    }

    private void checkBackwardInput(Data d, boolean relu) {
        Shape inShape = Shape.of(d.inC(), d.h(), d.w());
        Shape outShape = Shape.of(d.outC(), d.h(), d.w());
        // The adjoint: a convolution from outC to inC channels with transposed, flipped weights.
        float[] adjoint = new float[d.weight().length];
        for (int o = 0; o < d.outC(); o++) {
            for (int i = 0; i < d.inC(); i++) {
                for (int tap = 0; tap < 9; tap++) {
                    adjoint[(i * d.outC() + o) * 9 + tap] = d.weight()[(o * d.inC() + i) * 9 + 8 - tap];
                }
            }
        }
        // Fused, the convolution reads the masked gradient: the bound is that of its data.
        float[] read = d.gradOut().clone();
        if (relu) {
            for (int j = 0; j < read.length; j++) {
                read[j] = d.reluOut()[j] > 0 ? read[j] : 0;
            }
        }
        double[] scale = scale(read, adjoint, null, d.outC(), d.inC(), d.h(), d.w());
        String what = (relu ? "winograd conv3x3ReluBackwardInput " : "winograd conv3x3BackwardInput ") + outShape
                + " -> " + inShape;
        // Inputs: gradOut, weights, the ReLU's output (unused by the plain form).
        try (AgainstReference run = new AgainstReference(cl).input(outShape, d.gradOut())
                .input(Shape.vector(d.weight().length), d.weight()).input(outShape, d.reluOut())) {
            float[] expected = run.expected(relu
                    ? (c, in, out) -> c.convolution().conv3x3ReluBackwardInput(in[0], in[2], in[1], out)
                    : (c, in, out) -> c.convolution().conv3x3BackwardInput(in[0], in[1], out), inShape);
            for (ClConvolution.Variant v : VARIANTS) {
                if (!runs(v, d.outC())) {
                    continue;
                }
                float[] actual = run.actual(relu
                        ? (c, in, out) -> conv.conv3x3ReluBackwardInput(in[0], in[2], in[1], out, v)
                        : (c, in, out) -> conv.conv3x3BackwardInput(in[0], in[1], out, v), inShape);
                Compare.within(expected, actual, tolerance(scale, d.outC()), what + ", " + v);
            }
        }
    }

    /** (DEPTH + lambda sqrt(K)) u S for every element. */
    private static double[] tolerance(double[] scale, int k) {
        double factor = (DEPTH + LAMBDA * Math.sqrt(k)) * UNIT_ROUNDOFF;
        double[] tol = new double[scale.length];
        for (int j = 0; j < scale.length; j++) {
            tol[j] = factor * scale[j];
        }
        return tol;
    }

    /**
     * S of the class comment for every output of a convolution from inC to outC channels with
     * weights [outC][inC][3][3]: Winograd F(4x4, 3x3) in double on |data| with |A|, |B|, |G|.
     */
    static double[] scale(float[] x, float[] weight, float[] bias, int inC, int outC, int h, int w) {
        int tilesY = (h + 3) / 4;
        int tilesX = (w + 3) / 4;
        double[][] u = new double[outC * inC][];
        for (int oi = 0; oi < u.length; oi++) {
            double[][] g = new double[3][3];
            for (int tap = 0; tap < 9; tap++) {
                g[tap / 3][tap % 3] = Math.abs(weight[oi * 9 + tap]);
            }
            u[oi] = flatten(sandwich(G, g));
        }
        double[] s = new double[outC * h * w];
        for (int ty = 0; ty < tilesY; ty++) {
            for (int tx = 0; tx < tilesX; tx++) {
                double[][] v = new double[inC][];
                for (int i = 0; i < inC; i++) {
                    double[][] patch = new double[6][6];
                    for (int r = 0; r < 6; r++) {
                        for (int c = 0; c < 6; c++) {
                            int y = 4 * ty - 1 + r;
                            int xx = 4 * tx - 1 + c;
                            if (y >= 0 && y < h && xx >= 0 && xx < w) {
                                patch[r][c] = Math.abs(x[(i * h + y) * w + xx]);
                            }
                        }
                    }
                    v[i] = flatten(sandwich(BT, patch));
                }
                for (int o = 0; o < outC; o++) {
                    double[][] m = new double[6][6];
                    for (int i = 0; i < inC; i++) {
                        double[] uo = u[o * inC + i];
                        for (int xi = 0; xi < 36; xi++) {
                            m[xi / 6][xi % 6] += uo[xi] * v[i][xi];
                        }
                    }
                    double[][] y4 = sandwich(AT, m);
                    for (int r = 0; r < 4; r++) {
                        for (int c = 0; c < 4; c++) {
                            int y = 4 * ty + r;
                            int xx = 4 * tx + c;
                            if (y < h && xx < w) {
                                s[(o * h + y) * w + xx] = y4[r][c] + (bias == null ? 0 : Math.abs(bias[o]));
                            }
                        }
                    }
                }
            }
        }
        return s;
    }

    /** |L| X |L|^T for a matrix L of n rows and X of L's column count square. */
    private static double[][] sandwich(double[][] l, double[][] x) {
        int n = l.length;
        int k = x.length;
        double[][] lx = new double[n][k];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < k; b++) {
                for (int j = 0; j < k; j++) {
                    lx[a][b] += Math.abs(l[a][j]) * x[j][b];
                }
            }
        }
        double[][] out = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < k; j++) {
                    out[a][b] += lx[a][j] * Math.abs(l[b][j]);
                }
            }
        }
        return out;
    }

    private static double[] flatten(double[][] m) {
        double[] f = new double[m.length * m.length];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(m[r], 0, f, r * m.length, m.length);
        }
        return f;
    }
}
