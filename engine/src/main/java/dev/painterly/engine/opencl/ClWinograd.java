package dev.painterly.engine.opencl;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.Map;

/**
 * 3x3 convolution by Winograd's F(4x4, 3x3): the kernels of {@code convolution_winograd.cl}. A call
 * transforms the input tiles, multiplies them by weights that {@link #transformWeights} made
 * beforehand (the caller keeps those, see {@link PackedWeights}), and turns the products into
 * the output, adding the bias: either in one fused kernel that keeps the transformed tiles in
 * local memory, or in three kernels through scratch memory. Each work-item covers 16 tiles in
 * float16 lanes, so this path suits CPUs; under the GPU tuning the three kernels run in groups
 * of {@link #GPU_GROUP} work-items, while winograd_fused keeps groups of one, as its local memory
 * holds one work-item's transformed input (a group of n would need n times as much).
 */
final class ClWinograd {

    static final String FILE = "convolution_winograd.cl";

    /** Output pixels per tile side: F(4x4, 3x3). */
    static final int TILE = 4;
    /** Positions of a transformed tile: (TILE + 2)^2. */
    static final int POSITIONS = 36;
    /** Tiles per vector (the float16 lanes of convolution_winograd.cl). */
    static final int LANES = 16;
    /**
     * Output channels per winograd_multiply work-item (TO of convolution_winograd.cl): 16 float16
     * accumulators, as in conv3x3_tiled's CPU tiling.
     */
    static final int OUT_BLOCK = 16;

    /**
     * The most input channels for which {@link #fusedPays}. Each fused work-item streams all the
     * transformed weights (36 x inC x outC floats) past its transformed input (36 x 64 bytes per
     * input channel) for 16 tiles; on PoCL with a 1 MiB L2 per core it beat the three kernels at
     * 64 and 128 channels (17 vs 24, 13 vs 18 ms of CPU at 384x512 sizes) and lost at 256
     * (16 vs 12.5 ms), where the 590 KB input and the 9.4 MB of weights crowd the cache.
     */
    static final int FUSED_MAX_IN_CHANNELS = 128;

    /**
     * The build options of convolution_winograd.cl: its float16 lanes hold LANES tiles (the file accepts no
     * other value), and TO output channels per winograd_multiply work-item.
     */
    static final Map<String, Integer> DEFINES = Map.of("LANES", LANES, "TO", OUT_BLOCK);

    /**
     * Work-items per group of the three separate kernels under the GPU tuning. They use no local
     * memory and no barrier, and work-items past the grid's edge return at once, so any grouping
     * computes the same; under the CPU tuning each is a group of its own, which PoCL runs best.
     */
    static final int GPU_GROUP = 64;

    /**
     * Local memory kept free of winograd_fused's two arrays, for the runtime's alignment of each
     * (PoCL aborts, rather than failing the launch, when they overflow).
     */
    private static final long LOCAL_SLACK = 8192;

    private final OpenClDevice device;
    private final String options = KernelLibrary.options(DEFINES);
    private final long groupSize;

    ClWinograd(OpenClDevice device, Tuning tuning) {
        this.device = device;
        this.groupSize = tuning == Tuning.GPU ? device.groupSize(GPU_GROUP) : 1;
    }

    /** Bytes of winograd_fused's Ml: the products of one block of output channels. */
    private static final long FUSED_PRODUCT_BYTES = (long) Float.BYTES * POSITIONS * LANES * OUT_BLOCK;

    /** Bytes of winograd_fused's Vl: the transformed input of 16 tiles in inC channels. */
    private static long fusedInputBytes(int inC) {
        return (long) Float.BYTES * POSITIONS * LANES * inC;
    }

    /** Whether winograd_fused can run with inC input channels: Vl and Ml must fit in local memory. */
    boolean fusedFits(int inC) {
        return fusedInputBytes(inC) + FUSED_PRODUCT_BYTES + LOCAL_SLACK <= device.localMemoryBytes();
    }

    /**
     * Whether the fused kernel is the faster path: it fits, and it has at most
     * {@link #FUSED_MAX_IN_CHANNELS} input channels.
     */
    boolean fusedPays(int inC) {
        return inC <= FUSED_MAX_IN_CHANNELS && fusedFits(inC);
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
     * winograd_weights): a scratch buffer, for {@link PackedWeights} to keep.
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

    /**
     * output = conv3x3(input) with weights from {@link #transformWeights} plus bias (may be null),
     * through a ReLU when {@code relu}; the input is read as 0 where {@code reluOutput} (shaped as
     * the input, or null for no mask) is not positive.
     */
    void convolve(Tensor input, Tensor reluOutput, cl_mem u, Tensor bias, Tensor output, boolean relu, boolean fused) {
        Shape in = input.shape();
        int inC = in.channels();
        int outC = output.shape().channels();
        int h = in.height();
        int w = in.width();
        int tilesX = ceilDiv(w, TILE);
        int tilesY = ceilDiv(h, TILE);
        int tileBlocks = ceilDiv(tilesX * tilesY, LANES);
        Object biasArg = bias == null ? input : bias;
        int hasBias = bias == null ? 0 : 1;
        Object maskArg = reluOutput == null ? input : reluOutput;
        int masked = reluOutput == null ? 0 : 1;
        int reluArg = relu ? 1 : 0;
        if (fused) {
            if (!fusedFits(inC)) {
                throw new IllegalArgumentException("winograd_fused: " + inC + " input channels overflow local memory");
            }
            device.launch(kernel("winograd_fused"), new long[] {tileBlocks}, new long[] {1}, input, maskArg, u,
                    biasArg, output, inC, outC, h, w, tilesX, tilesY, hasBias, masked, reluArg,
                    new OpenClDevice.Local(fusedInputBytes(inC)), new OpenClDevice.Local(FUSED_PRODUCT_BYTES));
            return;
        }
        cl_mem v = device.scratch(Math.multiplyExact(POSITIONS * tileBlocks * LANES, inC));
        cl_mem m = null;
        try {
            m = device.scratch(Math.multiplyExact(POSITIONS * tileBlocks * LANES, outC));
            launch("winograd_input", new long[] {inC, tileBlocks, 1}, input, maskArg, v, inC, h, w, tilesX, tilesY,
                    masked);
            launch("winograd_multiply", new long[] {ceilDiv(outC, OUT_BLOCK), tileBlocks, POSITIONS}, v, u, m, inC,
                    outC, tileBlocks);
            launch("winograd_output", new long[] {outC, tileBlocks, 1}, m, biasArg, output, outC, h, w, tilesX, tilesY,
                    hasBias, reluArg);
        } finally {
            device.releaseScratch(v);
            if (m != null) {
                device.releaseScratch(m);
            }
        }
    }

    /**
     * Launches one of the three separate kernels over a grid of {@code items}, in groups of
     * {@link #groupSize} spread over the first two dimensions (the grid rounded up to whole groups;
     * the third dimension, winograd_multiply's 36 positions, is never rounded).
     */
    private void launch(String name, long[] items, Object... args) {
        long g0 = Math.min(groupSize, Long.highestOneBit(2 * items[0] - 1));
        long g1 = Math.min(groupSize / g0, Long.highestOneBit(2 * items[1] - 1));
        long[] group = {g0, g1, 1};
        long[] global = {OpenClDevice.roundUp(items[0], g0), OpenClDevice.roundUp(items[1], g1), items[2]};
        device.launch(kernel(name), global, group, args);
    }

    private static int ceilDiv(int n, int d) {
        return (n + d - 1) / d;
    }
}
