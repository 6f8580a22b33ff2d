package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.TestHooks;
import dev.painterly.engine.device.Convolution;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.Map;

/**
 * 3x3 convolution on an OpenCL device. Two fast paths, both also used for the gradient to the
 * input (a convolution with transposed, flipped weights): Winograd F(4x4, 3x3)
 * ({@link ClWinograd}) and the direct register-tiled {@code conv3x3_tiled} of
 * {@code convolution.cl}, which copies the input into a zero-bordered scratch map. Either uses
 * weights rearranged once per weight tensor and kept by the device ({@link PackedWeights}).
 * {@link #choose} picks the path per convolution; {@link Variant#PLAIN} runs the
 * one-output-per-work-item kernels instead, for tests that check every path against the
 * reference, and benchmarks that check and then time each (public for them). Every path also
 * runs the ReLU after a convolution, and its backward before the gradient to the input, as the
 * kernels write and read the maps ({@link #conv3x3Relu}, {@link #conv3x3ReluBackwardInput}).
 */
public final class ClConvolution implements Convolution {

    static final String FILE = "convolution.cl";

    /**
     * The kernels an op runs: Winograd in one fused kernel or in three, the direct register-tiled
     * ones, or the plain ones that mirror the definition.
     */
    public enum Variant { WINOGRAD_FUSED, WINOGRAD, TILED, PLAIN }

    /**
     * Winograd needs at least this many input channels: each transformed input tile serves all
     * the output channels, and with a few input channels the transforms cost more than the
     * multiplications they save (conv1_1, 3 to 64 channels at 384 x 512: 13 ms of CPU direct,
     * 19 ms by Winograd). Few output channels cost both paths alike (their blocks of 16 are
     * mostly zeros), so they do not count: conv1_1's gradient, 64 to 3 channels, took 88 ms
     * direct and 32 ms by Winograd.
     */
    static final int WINOGRAD_MIN_IN_CHANNELS = 16;

    /**
     * The tile of {@code conv3x3_tiled} (the build options VEC, NV, TY, TO of convolution.cl): each
     * work-item computes {@code outChannels} channels x {@code rows} rows x {@code vectors * vector}
     * pixels, and work-groups span {@code groupX} x {@code groupY} tiles.
     */
    record Tiling(int vector, int vectors, int rows, int outChannels, int groupX, int groupY) {

        /**
         * PoCL on AVX-512: 16 channels x 16 pixels keep 16 float16 accumulators and the three
         * shifted row loads in registers, and each weight feeds a single FMA, so the compiler
         * folds its broadcast into the FMA's memory operand; tiles of several rows or vectors
         * made it spill broadcast weights instead.
         */
        static final Tiling CPU = new Tiling(16, 1, 1, 16, 1, 1);

        /**
         * GPUs: 8 channels x 2 rows of 4 pixels (16 float4 accumulators) leave registers for many
         * work-items in flight, in groups of 64.
         */
        static final Tiling GPU = new Tiling(4, 1, 2, 8, 16, 4);

        int width() {
            return vector * vectors;
        }

        /** x-tiles to launch for a map width: whole work-groups. */
        long tilesX(int mapWidth) {
            return OpenClDevice.roundUp(ceilDiv(mapWidth, width()), groupX);
        }

        /** y-tiles to launch for a map height: whole work-groups. */
        long tilesY(int mapHeight) {
            return OpenClDevice.roundUp(ceilDiv(mapHeight, rows), groupY);
        }

        /** The build options VEC, NV, TY and TO of convolution.cl. */
        Map<String, Integer> defines() {
            return Map.of("VEC", vector, "NV", vectors, "TY", rows, "TO", outChannels);
        }

        static Tiling of(Tuning tuning) {
            return tuning == Tuning.CPU ? CPU : GPU;
        }

        boolean fits(OpenClDevice device) {
            return (long) groupX * groupY <= device.maxWorkGroupSize();
        }
    }

    /** The build options of convolution.cl under a tuning (what its {@code #ifndef} defaults must match). */
    static Map<String, Integer> defines(Tuning tuning) {
        return Tiling.of(tuning).defines();
    }

    /** A map copied into zero-bordered scratch memory, as conv3x3_tiled reads it; width = row length. */
    private record Padded(cl_mem mem, int width) {
    }

    private static final long[] PLAIN_GROUP = {8, 8, 1};

    private final OpenClDevice device;
    private final Tuning tuning;
    private final Tiling tiling;
    private final String options;
    private final ClWinograd winograd;
    private final Variant forced;

    public ClConvolution(OpenClDevice device) {
        this(device, device.tuning());
    }

    /** The tuning's tiling, or the CPU one (groups of one) where the device allows no groups that large. */
    ClConvolution(OpenClDevice device, Tuning tuning) {
        this(device, tuning, Tiling.of(tuning).fits(device) ? Tiling.of(tuning) : Tiling.CPU);
    }

    /** The device's tuning with another tiling, for tests that check both tilings on one device. */
    ClConvolution(OpenClDevice device, Tiling tiling) {
        this(device, device.tuning(), tiling);
    }

    private ClConvolution(OpenClDevice device, Tuning tuning, Tiling tiling) {
        if (!tiling.fits(device)) {
            throw new IllegalArgumentException("conv3x3_tiled's work-groups of " + tiling.groupX() * tiling.groupY()
                    + " exceed the " + device.maxWorkGroupSize() + " of " + device.name());
        }
        this.device = device;
        this.tuning = tuning;
        this.tiling = tiling;
        this.options = KernelLibrary.options(tiling.defines());
        this.winograd = new ClWinograd(device, tuning);
        // The test hook that forces one path instead of choose()'s pick, for benchmarks that compare them.
        this.forced = switch (TestHooks.convolution()) {
            case "" -> null;
            case "fused" -> Variant.WINOGRAD_FUSED;
            case "winograd" -> Variant.WINOGRAD;
            case "direct" -> Variant.TILED;
            default -> throw new IllegalArgumentException(TestHooks.CONVOLUTION + " must be fused, winograd or direct");
        };
    }

    /**
     * The path for a convolution from inC channels: Winograd under the CPU tuning (its work-items
     * hold 16 tiles in float16 lanes, a CPU's shape of work) from {@link #WINOGRAD_MIN_IN_CHANNELS}
     * input channels, fused where that pays ({@link ClWinograd#fusedPays}), else the direct kernel.
     */
    Variant choose(int inC) {
        boolean wide = inC >= WINOGRAD_MIN_IN_CHANNELS;
        Variant v = forced != null ? forced : tuning == Tuning.CPU && wide ? Variant.WINOGRAD_FUSED : Variant.TILED;
        return v == Variant.WINOGRAD_FUSED && !winograd.fusedPays(inC) ? Variant.WINOGRAD : v;
    }

    /** Whether {@link Variant#WINOGRAD_FUSED} can run from inC input channels on this device (local memory). */
    boolean fusedFits(int inC) {
        return winograd.fusedFits(inC);
    }

    private cl_kernel kernel(String name) {
        return device.kernel(FILE, options, name);
    }

    @Override
    public void conv3x3(Tensor input, Tensor weight, Tensor bias, Tensor output) {
        conv3x3(input, weight, bias, output, choose(input.shape().channels()));
    }

    @Override
    public void conv3x3Relu(Tensor input, Tensor weight, Tensor bias, Tensor output) {
        conv3x3Relu(input, weight, bias, output, choose(input.shape().channels()));
    }

    @Override
    public void conv3x3BackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput) {
        conv3x3BackwardInput(gradOutput, weight, gradInput, choose(gradOutput.shape().channels()));
    }

    @Override
    public void conv3x3ReluBackwardInput(Tensor gradOutput, Tensor reluOutput, Tensor weight, Tensor gradInput) {
        conv3x3ReluBackwardInput(gradOutput, reluOutput, weight, gradInput, choose(gradOutput.shape().channels()));
    }

    public void conv3x3(Tensor input, Tensor weight, Tensor bias, Tensor output, Variant variant) {
        forward(input, weight, bias, output, false, variant);
    }

    public void conv3x3Relu(Tensor input, Tensor weight, Tensor bias, Tensor output, Variant variant) {
        forward(input, weight, bias, output, true, variant);
    }

    public void conv3x3BackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput, Variant variant) {
        backwardInput(gradOutput, null, weight, gradInput, variant);
    }

    public void conv3x3ReluBackwardInput(Tensor gradOutput, Tensor reluOutput, Tensor weight, Tensor gradInput,
                                         Variant variant) {
        Check.sameShape(gradOutput, reluOutput);
        backwardInput(gradOutput, reluOutput, weight, gradInput, variant);
    }

    /** The convolution, through a ReLU when {@code relu}. */
    private void forward(Tensor input, Tensor weight, Tensor bias, Tensor output, boolean relu, Variant variant) {
        Shape in = input.shape();
        int outC = output.shape().channels();
        checkShapes(in, output.shape(), weight, bias);
        Check.sameDevice(input, weight, bias, output);
        checkFits(variant, in.channels());
        switch (variant) {
            case PLAIN -> device.launch(kernel("conv3x3_plain"), plainGrid(in.width(), in.height(), outC), PLAIN_GROUP,
                    input, weight, bias == null ? weight : bias, output, in.channels(), outC, in.height(), in.width(),
                    bias == null ? 0 : 1, relu ? 1 : 0);
            case TILED -> tiled(input, null, packed(weight, outC, in.channels(), false), bias, output, relu);
            case WINOGRAD, WINOGRAD_FUSED -> winograd.convolve(input, null, transformed(weight, outC, in.channels(), false),
                    bias, output, relu, variant == Variant.WINOGRAD_FUSED);
        }
    }

    /**
     * The gradient to the input; of the convolution and the ReLU after it where {@code reluOutput}
     * (the ReLU's output) is not null: gradOutput is read as 0 where reluOutput is not positive.
     */
    private void backwardInput(Tensor gradOutput, Tensor reluOutput, Tensor weight, Tensor gradInput,
                               Variant variant) {
        Shape g = gradOutput.shape();
        int inC = gradInput.shape().channels();
        checkShapes(gradInput.shape(), g, weight, null);
        Check.sameDevice(gradOutput, reluOutput, weight, gradInput);
        checkFits(variant, g.channels());
        // Past PLAIN, the adjoint is a convolution from the gradOut channels to the input channels.
        switch (variant) {
            case PLAIN -> device.launch(kernel("conv3x3_backward_input_plain"), plainGrid(g.width(), g.height(), inC),
                    PLAIN_GROUP, gradOutput, reluOutput == null ? gradOutput : reluOutput, weight, gradInput, inC,
                    g.channels(), g.height(), g.width(), reluOutput == null ? 0 : 1);
            case TILED -> tiled(gradOutput, reluOutput, packed(weight, inC, g.channels(), true), null, gradInput, false);
            case WINOGRAD, WINOGRAD_FUSED -> winograd.convolve(gradOutput, reluOutput,
                    transformed(weight, inC, g.channels(), true), null, gradInput, false,
                    variant == Variant.WINOGRAD_FUSED);
        }
    }

    @Override
    public void conv3x3BackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        Shape in = input.shape();
        Shape g = gradOutput.shape();
        checkShapes(in, g, gradWeight, gradBias);
        Check.sameDevice(input, gradOutput, gradWeight, gradBias);
        Padded p = pad(input, null);
        try {
            device.launch(kernel("conv3x3_backward_weight"),
                    new long[] {OpenClDevice.roundUp(in.channels(), 8), OpenClDevice.roundUp(g.channels(), 8)},
                    new long[] {8, 8}, p.mem(), gradOutput, gradWeight, in.channels(), g.channels(), in.height(),
                    in.width(), p.width());
        } finally {
            device.releaseScratch(p.mem());
        }
        if (gradBias != null) {
            device.launch(kernel("conv3x3_backward_bias"), new long[] {OpenClDevice.roundUp(g.channels(), 8)},
                    new long[] {8}, gradOutput, gradBias, g.channels(), g.height(), g.width());
        }
    }

    /**
     * Runs conv3x3_tiled from {@code input} (masked by {@code reluOutput} unless null, see
     * {@link #pad}) into {@code output}, through a ReLU when {@code relu}, with weights from
     * {@link #packed}.
     */
    private void tiled(Tensor input, Tensor reluOutput, cl_mem packed, Tensor bias, Tensor output, boolean relu) {
        Shape in = input.shape();
        int outC = output.shape().channels();
        Padded p = pad(input, reluOutput);
        try {
            long blocks = ceilDiv(outC, tiling.outChannels());
            // Surplus tiles of the last groups compute from the slack of the padded map and store nothing.
            long[] global = {blocks, tiling.tilesX(in.width()), tiling.tilesY(in.height())};
            long[] group = {1, tiling.groupX(), tiling.groupY()};
            device.launch(kernel("conv3x3_tiled"), global, group, p.mem(), packed, bias == null ? input : bias, output,
                    in.channels(), outC, in.height(), in.width(), p.width(), bias == null ? 0 : 1, relu ? 1 : 0);
        } finally {
            device.releaseScratch(p.mem());
        }
    }

    /**
     * Copies a map into scratch memory with a zero border, wide and tall enough for whole tiles
     * (including the surplus tiles of the last work-groups) to read without bounds checks; zeros
     * too where {@code reluOutput}, unless null, is not positive (the map is the gradient to it).
     */
    private Padded pad(Tensor t, Tensor reluOutput) {
        Shape s = t.shape();
        int height = (int) (tiling.tilesY(s.height()) * tiling.rows()) + 2;
        int width = (int) (tiling.tilesX(s.width()) * tiling.width()) + 2;
        int rows = s.channels() * height;
        cl_mem mem = device.scratch(Math.multiplyExact(rows, width));
        try {
            device.launch(kernel("pad_input"), new long[] {OpenClDevice.roundUp(rows, 8)}, new long[] {8},
                    t, reluOutput == null ? t : reluOutput, mem, s.channels(), s.height(), s.width(), width, rows,
                    reluOutput == null ? 0 : 1);
        } catch (RuntimeException e) {
            device.releaseScratch(mem);
            throw e;
        }
        return new Padded(mem, width);
    }

    /**
     * The weights packed for conv3x3_tiled (see pack_weights in convolution.cl), of the adjoint with
     * {@code transpose}: made once per weight tensor, kept by the device.
     */
    private cl_mem packed(Tensor weight, int outC, int inC, boolean transpose) {
        String layout = "direct/" + tiling.outChannels() + "/" + outC + "x" + inC + (transpose ? "/adjoint" : "");
        return device.packedWeights(weight, layout, () -> {
            int blocks = ceilDiv(outC, tiling.outChannels());
            cl_mem packed = device.scratch(Math.multiplyExact(blocks * tiling.outChannels() * 9, inC));
            try {
                device.launch(kernel("pack_weights"), new long[] {OpenClDevice.roundUp(inC, 8), blocks},
                        new long[] {8, 1}, weight, packed, outC, inC, transpose ? 1 : 0);
            } catch (RuntimeException e) {
                device.releaseScratch(packed);
                throw e;
            }
            return packed;
        });
    }

    /** The weights transformed for Winograd (of the adjoint with {@code transpose}), kept by the device. */
    private cl_mem transformed(Tensor weight, int outC, int inC, boolean transpose) {
        return device.packedWeights(weight, ClWinograd.layout(outC, inC, transpose),
                () -> winograd.transformWeights(weight, outC, inC, transpose));
    }

    /** Refuses the fused Winograd kernel where its local memory would not fit, before any launch. */
    private void checkFits(Variant variant, int inC) {
        if (variant == Variant.WINOGRAD_FUSED && !fusedFits(inC)) {
            throw new IllegalArgumentException("winograd_fused: " + inC + " input channels overflow the "
                    + device.localMemoryBytes() + " bytes of local memory of " + device.name());
        }
    }

    /** The shapes of a convolution from {@code in} to {@code out}: same plane, weights out x in x 3 x 3. */
    private static void checkShapes(Shape in, Shape out, Tensor weight, Tensor bias) {
        if (in.height() != out.height() || in.width() != out.width()) {
            throw new IllegalArgumentException("conv3x3 keeps the plane: " + in + " vs " + out);
        }
        Check.size(weight, out.channels() * in.channels() * 9, "conv3x3 weight");
        if (bias != null) {
            Check.size(bias, out.channels(), "conv3x3 bias");
        }
    }

    private static long[] plainGrid(int width, int height, int channels) {
        return new long[] {OpenClDevice.roundUp(width, PLAIN_GROUP[0]), OpenClDevice.roundUp(height, PLAIN_GROUP[1]),
            channels};
    }

    private static int ceilDiv(int n, int d) {
        return (n + d - 1) / d;
    }
}
