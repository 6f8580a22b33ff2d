package dev.painterly.engine.opencl;

import dev.painterly.engine.Check;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * Gram matrices on an OpenCL device: kernels of {@code gram.cl}. The forward computes the tiles of
 * F F^T on or above the diagonal and mirrors them; when the channel count gives too few tiles to
 * fill the device (C = 64 is a single GPU tile) the N axis is split into slices whose C x C
 * partials a second kernel adds. The backward forms S = scale * (G + G^T) and multiplies S F.
 */
final class ClGram {

    private static final String FILE = "gram.cl";
    /** The slices' partials are at most this many floats (16 MiB). */
    private static final long MAX_PARTIAL_FLOATS = 1L << 22;
    /** A slice spans at least this many TILE_K steps, so that adding partials stays cheap. */
    private static final int MIN_SLICE_STEPS = 8;

    private final OpenClDevice device;
    private final int tile;
    private final int tileK;
    private final int itemsPerEdge;
    private final String options;
    private final long groupSize;
    private final int targetGroups;

    ClGram(OpenClDevice device) {
        this.device = device;
        // Both use 64 x 64 tiles. PoCL runs a group as a loop on one core and vectorises across
        // work-items, so on a CPU fewer work-items with 8 x 8 blocks each did best (measured on
        // PoCL, AVX-512); a GPU wants 256 work-items whose 4 x 4 blocks (doubled by the blocked
        // accumulation) fit its registers.
        int wpt = device.isCpu() ? 8 : 4;
        this.tile = 64;
        this.tileK = 16;
        this.itemsPerEdge = tile / wpt;
        this.options = "-DTILE=" + tile + " -DWPT=" + wpt + " -DTILE_K=" + tileK;
        this.groupSize = device.isCpu() ? 64 : 256;
        // A few groups per compute unit, so that the last wave does not leave most of it idle.
        this.targetGroups = 4 * Math.max(1, device.info().computeUnits());
    }

    void forward(Tensor f, float scale, Tensor out) {
        int c = f.shape().channels(), n = f.shape().plane();
        Check.shape(out, Shape.of(1, c, c), "Gram matrix");
        int edgeTiles = (c + tile - 1) / tile;
        int tiles = edgeTiles * (edgeTiles + 1) / 2;
        int sliceLength = sliceLength(n, (long) c * c, tiles);
        int slices = (n + sliceLength - 1) / sliceLength;
        cl_kernel k = device.kernel(FILE, options, "gram_tiles");
        long[] global = {(long) tiles * itemsPerEdge, itemsPerEdge, slices};
        long[] local = {itemsPerEdge, itemsPerEdge, 1};
        if (slices == 1) {
            device.launch(k, global, local, f, c, n, sliceLength, scale, out);
            return;
        }
        int count = c * c;
        cl_mem partials = device.scratch(slices * count);
        try {
            device.launch(k, global, local, f, c, n, sliceLength, 1.0f, partials);
            device.launch(device.kernel(FILE, options, "gram_sum_slices"),
                    new long[] {OpenClDevice.roundUp(count, groupSize)}, new long[] {groupSize},
                    partials, slices, count, scale, out);
        } finally {
            // OpenCL frees a released buffer only once the queued kernels using it are done.
            device.releaseScratch(partials);
        }
    }

    /** The N-axis slice length: enough slices to reach the target group count, within bounds. */
    private int sliceLength(int n, long count, int tiles) {
        long wanted = (targetGroups + tiles - 1) / tiles;
        long byLength = Math.max(1, n / ((long) MIN_SLICE_STEPS * tileK));
        long byMemory = Math.max(1, MAX_PARTIAL_FLOATS / count);
        long slices = Math.max(1, Math.min(wanted, Math.min(byLength, byMemory)));
        long perSlice = (n + slices - 1) / slices;
        return (int) OpenClDevice.roundUp(perSlice, tileK);
    }

    void backward(Tensor f, Tensor gradGram, float scale, Tensor gradF) {
        int c = f.shape().channels(), n = f.shape().plane();
        Check.shape(gradGram, Shape.of(1, c, c), "Gram gradient");
        Check.sameShape(f, gradF);
        int count = c * c;
        cl_mem sym = device.scratch(count);
        try {
            device.launch(device.kernel(FILE, options, "gram_symmetrize"),
                    new long[] {OpenClDevice.roundUp(count, groupSize)}, new long[] {groupSize},
                    gradGram, scale, c, sym);
            long columnTiles = (n + tile - 1) / tile, rowTiles = (c + tile - 1) / tile;
            device.launch(device.kernel(FILE, options, "gram_backward"),
                    new long[] {columnTiles * itemsPerEdge, rowTiles * itemsPerEdge},
                    new long[] {itemsPerEdge, itemsPerEdge},
                    sym, f, c, n, gradF);
        } finally {
            device.releaseScratch(sym);
        }
    }
}
