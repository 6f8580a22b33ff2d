package dev.painterly.engine.opencl;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * 3x3 convolution by Winograd's F(4x4, 3x3): the kernels of {@code winograd.cl}. A call
 * transforms the input tiles into scratch memory, multiplies them by weights that
 * {@link #transformWeights} made beforehand (the caller keeps those, see {@link PackedWeights}),
 * and turns the products into the output, adding the bias. Each work-item covers 16 tiles in
 * float16 lanes, so this path suits CPUs.
 */
final class ClWinograd {

    private static final String FILE = "winograd.cl";

    /** Output pixels per tile side: F(4x4, 3x3). */
    static final int TILE = 4;
    /** Positions of a transformed tile: (TILE + 2)^2. */
    static final int POSITIONS = 36;
    /** Tiles per vector (the float16 lanes of winograd.cl). */
    static final int LANES = 16;
    /**
     * Output channels per winograd_multiply work-item (TO of winograd.cl): 16 float16
     * accumulators, as in conv3x3_tiled's CPU tiling.
     */
    static final int OUT_BLOCK = 16;

    private static final long[] ONE = {1, 1, 1};

    private final OpenClDevice device;
    private final String options = "-DTO=" + OUT_BLOCK;

    ClWinograd(OpenClDevice device) {
        this.device = device;
    }

    private cl_kernel kernel(String name) {
        return device.kernel(FILE, options, name);
    }

    /** The layout name of transformed weights, for {@link PackedWeights}. */
    static String layout(int outC, int inC, boolean transpose) {
        return "winograd4x4/" + OUT_BLOCK + "/" + outC + "x" + inC + (transpose ? "/adjoint" : "");
    }

    /**
     * U = G g G^T for every filter of a convolution with outC outputs and inC inputs; with
     * {@code transpose}, of the adjoint of the convolution whose weight is given (see
     * winograd_weights). The caller releases the result with {@link OpenClDevice#releaseScratch}.
     */
    cl_mem transformWeights(Tensor weight, int outC, int inC, boolean transpose) {
        int blocks = ceilDiv(outC, OUT_BLOCK);
        cl_mem u = device.scratch(Math.multiplyExact(POSITIONS * blocks * OUT_BLOCK, inC));
        try {
            device.launch(kernel("winograd_weights"), new long[] {OpenClDevice.roundUp(inC, 8), blocks},
                    new long[] {8, 1}, weight, u, outC, inC, transpose ? 1 : 0);
        } catch (RuntimeException e) {
            device.releaseScratch(u);
            throw e;
        }
        return u;
    }

    /** output = conv3x3(input) with weights from {@link #transformWeights} plus bias (may be null). */
    void convolve(Tensor input, cl_mem u, Tensor bias, Tensor output) {
        Shape in = input.shape();
        int inC = in.channels();
        int outC = output.shape().channels();
        int h = in.height();
        int w = in.width();
        int tilesX = ceilDiv(w, TILE);
        int tilesY = ceilDiv(h, TILE);
        int tileBlocks = ceilDiv(tilesX * tilesY, LANES);
        long runs = ceilDiv(tilesX, LANES);
        cl_mem v = device.scratch(Math.multiplyExact(POSITIONS * tileBlocks * LANES, inC));
        cl_mem m = null;
        try {
            m = device.scratch(Math.multiplyExact(POSITIONS * tileBlocks * LANES, outC));
            device.launch(kernel("winograd_input"), new long[] {runs, tilesY, inC}, ONE, input, v, inC, h, w, tilesX,
                    tilesY);
            device.launch(kernel("winograd_multiply"),
                    new long[] {ceilDiv(outC, OUT_BLOCK), tileBlocks, POSITIONS}, ONE, v, u, m, inC, outC,
                    tileBlocks);
            device.launch(kernel("winograd_output"), new long[] {runs, tilesY, outC}, ONE, m,
                    bias == null ? input : bias, output, outC, h, w, tilesX, tilesY, bias == null ? 0 : 1);
        } finally {
            device.releaseScratch(v);
            if (m != null) {
                device.releaseScratch(m);
            }
        }
    }

    private static int ceilDiv(int n, int d) {
        return (n + d - 1) / d;
    }
}
