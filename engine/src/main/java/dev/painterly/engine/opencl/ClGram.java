package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Gram;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.Map;

/**
 * Gram matrices on an OpenCL device: kernels of {@code gram.cl}. The forward computes the blocks
 * of F F^T on or above the diagonal and mirrors them, over slices of the N axis whose C x C
 * partials a second kernel adds (so that C = 64 with N in the hundreds of thousands still fills
 * the device, and on a CPU so that a slice of F stays in cache while its blocks run). The backward
 * forms S = scale * (G + G^T) and multiplies S F. {@link Variant#VECTOR} runs the register-blocked
 * kernels with vector loads along N (CPUs), {@link Variant#LOCAL} the local-memory tiled ones
 * (GPUs), {@link Variant#PLAIN} the plain ones that mirror the definition; tests check all three
 * against the reference, and the benchmarks check and then time each (public for them).
 */
public final class ClGram implements Gram {

    static final String FILE = "gram.cl";
    /** The slices' partials are at most this many floats (16 MiB). */
    private static final long MAX_PARTIAL_FLOATS = 1L << 22;

    /** Which kernels run the products. */
    public enum Variant {
        /** gram_plain and gram_backward_plain: one work-item per output entry, no tiling. */
        PLAIN(Map.of()),
        /**
         * gram_vec and gram_backward_vec: on PoCL with AVX-512, 4 x 4 blocks of float16
         * accumulators (16 registers, and 8 for the row loads) and 16 rows x 16 columns of gradF,
         * each S value broadcast from memory into one FMA (as conv3x3_tiled does with weights),
         * 16 such runs per work-item to outweigh the cost per work-group.
         */
        VECTOR(Map.of("VEC", VEC, "R", R, "TO", TO, "RUNS", RUNS)),
        /** gram_tiles and gram_backward: 64 x 64 tiles, 4 x 4 blocks for 256 work-items per group. */
        LOCAL(Map.of("TILE", TILE, "WPT", TILE / RTS, "TILE_K", TILE_K));

        final Map<String, Integer> defines;
        final String options;

        Variant(Map<String, Integer> defines) {
            this.defines = defines;
            this.options = KernelLibrary.options(defines);
        }

        /**
         * Whether a device can run them: LOCAL's groups are RTS x RTS work-items holding two
         * TILE_K x (TILE + 1) float tiles in local memory; PLAIN's are 8 x 8 work-items without
         * local memory; VECTOR's groups are single work-items.
         */
        public boolean fits(OpenClDevice device) {
            return switch (this) {
                case VECTOR -> true;
                case PLAIN -> PLAIN_GROUP[0] * PLAIN_GROUP[1] <= device.maxWorkGroupSize();
                case LOCAL -> (long) RTS * RTS <= device.maxWorkGroupSize()
                        && 2L * TILE_K * (TILE + 1) * Float.BYTES <= device.localMemoryBytes();
            };
        }
    }

    /** The build options of gram.cl under a tuning (what its {@code #ifndef} defaults must match). */
    static Map<String, Integer> defines(Tuning tuning) {
        return (tuning == Tuning.CPU ? Variant.VECTOR : Variant.LOCAL).defines;
    }

    /** The build options VEC, R, TO and RUNS of {@link Variant#VECTOR}. */
    private static final int VEC = 16, R = 4, TO = 16, RUNS = 16;
    /** The build options TILE, TILE / WPT and TILE_K of {@link Variant#LOCAL}. */
    private static final int TILE = 64, RTS = 16, TILE_K = 16;
    /**
     * gram_vec's slice of F, in floats: 1 MiB, a Zen 4 core's L2, so that the slice stays near
     * while its blocks run...
     */
    private static final int SLICE_FLOATS = 1 << 18;
    /**
     * ...but at least this many columns, so that a work-item's work (R x R x MIN_SLICE / VEC FMAs)
     * dwarfs PoCL's cost per work-group: on PoCL (2 cores, AVX-512), slices of 4096 ran C = 64
     * to 512 at 1.2 to 2 times the speed of slices of 16 KiB of F.
     */
    private static final int MIN_SLICE = 4096;
    /** gram_tiles' slices span at least this many TILE_K steps, so that adding partials stays cheap. */
    private static final int MIN_SLICE_STEPS = 8;
    /** Work-groups of the plain kernels: 8 x 8 output entries. */
    private static final long[] PLAIN_GROUP = {8, 8};

    private final OpenClDevice device;
    private final Variant variant;
    private final long groupSize;
    private final int targetGroups;

    ClGram(OpenClDevice device) {
        this(device, device.tuning());
    }

    /** The tuning's kernels (LOCAL for GPUs), or VECTOR where the device cannot run LOCAL. */
    ClGram(OpenClDevice device, Tuning tuning) {
        this(device, tuning, tuning == Tuning.GPU && Variant.LOCAL.fits(device) ? Variant.LOCAL : Variant.VECTOR);
    }

    /**
     * Given kernels, for tests and benchmarks that run each.
     *
     * @throws IllegalArgumentException when the device cannot run them ({@link Variant#fits})
     */
    public ClGram(OpenClDevice device, Variant variant) {
        this(device, device.tuning(), variant);
    }

    private ClGram(OpenClDevice device, Tuning tuning, Variant variant) {
        if (!variant.fits(device)) {
            throw new IllegalArgumentException("gram " + variant + " needs work-groups of " + RTS * RTS
                    + " and " + 2 * TILE_K * (TILE + 1) * Float.BYTES + " bytes of local memory; " + device.name()
                    + " allows " + device.maxWorkGroupSize() + " and " + device.localMemoryBytes());
        }
        this.device = device;
        this.variant = variant;
        this.groupSize = device.groupSize(tuning == Tuning.CPU ? 64 : 256);
        // A few groups per compute unit, so that the last wave does not leave most of it idle.
        this.targetGroups = 4 * Math.max(1, device.info().computeUnits());
    }

    Variant variant() {
        return variant;
    }

    private cl_kernel kernel(String name) {
        return device.kernel(FILE, variant.options, name);
    }

    @Override
    public void gram(Tensor f, double scale, Tensor out) {
        int c = f.shape().channels(), n = f.shape().plane();
        Check.shape(out, Shape.of(1, c, c), "Gram matrix");
        if (variant == Variant.PLAIN) {
            device.launch(kernel("gram_plain"), new long[] {OpenClDevice.roundUp(c, PLAIN_GROUP[0]),
                    OpenClDevice.roundUp(c, PLAIN_GROUP[1])}, PLAIN_GROUP, f, c, n, (float) scale, out);
            return;
        }
        long count = (long) c * c;
        int sliceLength;
        cl_kernel k;
        long[] global, local;
        if (variant == Variant.VECTOR) {
            int edge = (c + R - 1) / R;
            sliceLength = sliceLength(c, n);
            k = kernel("gram_vec");
            global = new long[] {(long) edge * (edge + 1) / 2, ceilDiv(n, sliceLength)};
            local = new long[] {1, 1};
        } else {
            int edge = (c + TILE - 1) / TILE;
            int tiles = edge * (edge + 1) / 2;
            sliceLength = sliceLength(c, n);
            k = kernel("gram_tiles");
            global = new long[] {(long) tiles * RTS, RTS, ceilDiv(n, sliceLength)};
            local = new long[] {RTS, RTS, 1};
        }
        int slices = ceilDiv(n, sliceLength);
        if (slices == 1) {
            device.launch(k, global, local, f, c, n, sliceLength, (float) scale, out);
            return;
        }
        cl_mem partials = device.scratch(Math.toIntExact(slices * count));
        try {
            device.launch(k, global, local, f, c, n, sliceLength, 1.0f, partials);
            device.launch(kernel("gram_sum_slices"), new long[] {OpenClDevice.roundUp(count, groupSize)},
                    new long[] {groupSize}, partials, slices, (int) count, (float) scale, out);
        } finally {
            // OpenCL frees a released buffer only once the queued kernels using it are done.
            device.releaseScratch(partials);
        }
    }

    /** The length of the slices of N that the forward of C x N features sums apart. */
    int sliceLength(int c, int n) {
        long count = (long) c * c;
        if (variant == Variant.VECTOR) {
            return vectorSliceLength(n, c, count);
        }
        int edge = (c + TILE - 1) / TILE;
        return tiledSliceLength(n, count, edge * (edge + 1) / 2);
    }

    /** gram_vec's slice length: about SLICE_FLOATS of F, MIN_SLICE at least, within the partials' bound. */
    private static int vectorSliceLength(int n, int c, long count) {
        long byCache = Math.max(MIN_SLICE, SLICE_FLOATS / c / VEC * VEC);
        long byMemory = ceilDiv(n, Math.max(1, MAX_PARTIAL_FLOATS / count));
        return (int) Math.min(n, Math.max(byCache, OpenClDevice.roundUp(byMemory, VEC)));
    }

    /** gram_tiles' slice length: enough slices to reach the target group count, within bounds. */
    private int tiledSliceLength(int n, long count, int tiles) {
        long wanted = (targetGroups + tiles - 1) / tiles;
        long byLength = Math.max(1, n / ((long) MIN_SLICE_STEPS * TILE_K));
        long byMemory = Math.max(1, MAX_PARTIAL_FLOATS / count);
        long slices = Math.max(1, Math.min(wanted, Math.min(byLength, byMemory)));
        long perSlice = (n + slices - 1) / slices;
        return (int) OpenClDevice.roundUp(perSlice, TILE_K);
    }

    @Override
    public void gramBackward(Tensor f, Tensor gradGram, double scale, Tensor gradF) {
        int c = f.shape().channels(), n = f.shape().plane();
        Check.shape(gradGram, Shape.of(1, c, c), "Gram gradient");
        Check.sameShape(f, gradF);
        if (variant == Variant.PLAIN) {
            device.launch(kernel("gram_backward_plain"), new long[] {OpenClDevice.roundUp(n, PLAIN_GROUP[0]),
                    OpenClDevice.roundUp(c, PLAIN_GROUP[1])}, PLAIN_GROUP, gradGram, f, c, n, (float) scale, gradF);
            return;
        }
        // gram_backward_vec reads whole blocks of TO columns of S: zeros past C.
        int pitch = variant == Variant.VECTOR ? (int) OpenClDevice.roundUp(c, TO) : c;
        long count = (long) c * pitch;
        cl_mem sym = device.scratch(Math.toIntExact(count));
        try {
            device.launch(kernel("gram_symmetrize"), new long[] {OpenClDevice.roundUp(count, groupSize)},
                    new long[] {groupSize}, gradGram, (float) scale, c, pitch, sym);
            if (variant == Variant.VECTOR) {
                device.launch(kernel("gram_backward_vec"),
                        new long[] {pitch / TO, ceilDiv(n, RUNS * VEC)}, new long[] {1, 1},
                        sym, pitch, f, c, n, gradF);
            } else {
                long columnTiles = ceilDiv(n, TILE), rowTiles = ceilDiv(c, TILE);
                device.launch(kernel("gram_backward"), new long[] {columnTiles * RTS, rowTiles * RTS},
                        new long[] {RTS, RTS}, sym, f, c, n, gradF);
            }
        } finally {
            device.releaseScratch(sym);
        }
    }

    private static int ceilDiv(long a, long b) {
        return Math.toIntExact((a + b - 1) / b);
    }
}
