package dev.painterly.engine.opencl;

import dev.painterly.engine.MatchingChecks;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Matching;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The matching ops on an OpenCL device. matchNcc and matchDot run the register-tiled similarity
 * product of {@code matching_tiled.cl} over the queried positions, listed on the host and grouped
 * in cells ({@link QueryCells}); {@link Variant#PLAIN} runs the brute-force kernel of
 * {@code matching.cl} (one work-item per query) instead, for tests that check both against the
 * reference, and for benchmarks that check and then time both (public for them). The other ops
 * are kernels of {@code matching.cl}.
 */
public final class ClMatching implements Matching {

    static final String FILE = "matching.cl";
    static final String TILED_FILE = "matching_tiled.cl";

    /** The patch-matching kernels an op runs: the register-tiled ones, or the brute-force one. */
    public enum Variant { TILED, PLAIN }

    /** Candidates scored together by match_ncc and match_dot (CANDIDATES in matching.cl). */
    private static final int CANDIDATES = 8;

    /** The build options of matching.cl. */
    static final Map<String, Integer> PLAIN_DEFINES = Map.of("CANDIDATES", CANDIDATES);

    /** Small groups: a long-running work-item per query, and few queries at coarse layers. */
    private static final long GROUP_SIZE = 64;

    /** Border classes per position (CLASSES in matching_tiled.cl): 4 bits, first/last column/row. */
    private static final int CLASSES = 16;

    /** Partial bests (query entries x tiles) of one search at most: 2 x 64 MiB. */
    private static final long MAX_PARTIALS = 1L << 24;

    /**
     * The tile of {@code match_tiled} (the build options of matching_tiled.cl): queries are
     * grouped in cells of {@code cell} x {@code cell} positions (ENTRIES = cell^2), whose
     * neighbourhoods' pixels (SLOTS, at least (cell + 2)^2, in whole register tiles) each
     * work-item scores {@code slotTile} at a time (TO) against {@code vector} consecutive
     * candidate columns (VEC, of which the inner VEC - 2 are scored) of {@code rows} rows or more;
     * work-groups span {@code groupX} runs of candidates.
     */
    record Tiling(int vector, int slotTile, int cell, int rows, int groupX) {

        /**
         * PoCL on AVX-512: as conv3x3_tiled's CPU tile, 16 slots x 16 candidates keep 16 float16
         * accumulators and the row load in registers, each packed slot value feeding one FMA from
         * memory. Cells of 12 x 12 queries need at most 196 slots (1.36 per query; three rows of
         * their dot products take 45 KiB); cells of 7 to 14 measured within 15% of each other,
         * 11 to 13 best. 16 rows or more per work-item make the two extra rows of D cheap.
         */
        static final Tiling CPU = new Tiling(16, 16, 12, 16, 1);

        /** GPUs: 8 slots x 8 candidates (8 float8 accumulators), cells of 4 x 4, groups of 32. */
        static final Tiling GPU = new Tiling(8, 8, 4, 8, 32);

        int slots() {
            return (int) OpenClDevice.roundUp((long) (cell + 2) * (cell + 2), slotTile);
        }

        int entries() {
            return cell * cell;
        }

        /** Candidate columns a run scores. */
        int scored() {
            return vector - 2;
        }

        /** Runs of candidates to launch for a map width: whole work-groups. */
        long runs(int mapWidth) {
            return OpenClDevice.roundUp((mapWidth + scored() - 1) / scored(), groupX);
        }

        /** Rows per work-item: {@code rows}, or more where the partial bests would pass their bound. */
        int rowsPerItem(int mapHeight, long entries, long runs) {
            long maxGroups = Math.max(1, MAX_PARTIALS / (entries * runs));
            return (int) Math.max(rows, (mapHeight + maxGroups - 1) / maxGroups);
        }

        /** The build options of matching_tiled.cl. */
        Map<String, Integer> defines() {
            return Map.of("VEC", vector, "TO", slotTile, "SLOTS", slots(), "ENTRIES", entries(), "CLASSES", CLASSES);
        }

        static Tiling of(Tuning tuning) {
            return tuning == Tuning.CPU ? CPU : GPU;
        }

        boolean fits(OpenClDevice device) {
            return groupX <= device.maxWorkGroupSize();
        }
    }

    /** The build options of matching_tiled.cl under a tuning (what its {@code #ifndef} defaults must match). */
    static Map<String, Integer> tiledDefines(Tuning tuning) {
        return Tiling.of(tuning).defines();
    }

    private final OpenClDevice device;
    private final Tiling tiling;
    private final String options;
    private final long groupSize;

    public ClMatching(OpenClDevice device) {
        this(device, device.tuning());
    }

    /** The tuning's tiling, or the CPU one (groups of one) where the device allows no groups that large. */
    ClMatching(OpenClDevice device, Tuning tuning) {
        this(device, Tiling.of(tuning).fits(device) ? Tiling.of(tuning) : Tiling.CPU);
    }

    ClMatching(OpenClDevice device, Tiling tiling) {
        if (!tiling.fits(device)) {
            throw new IllegalArgumentException("match_tiled's work-groups of " + tiling.groupX() + " exceed the "
                    + device.maxWorkGroupSize() + " of " + device.name());
        }
        this.device = device;
        this.tiling = tiling;
        this.options = KernelLibrary.options(tiling.defines());
        this.groupSize = device.groupSize(GROUP_SIZE);
    }

    private void run(String name, int n, Object... args) {
        cl_kernel k = device.kernel(FILE, KernelLibrary.options(PLAIN_DEFINES), name);
        device.launch(k, new long[] {OpenClDevice.roundUp(n, groupSize)}, new long[] {groupSize}, args);
    }

    @Override
    public void matchNcc(Tensor f, Tensor s, Tensor queryMask, Tensor out) {
        matchNcc(f, s, queryMask, out, Variant.TILED);
    }

    @Override
    public void matchDot(Tensor a, Tensor p, Tensor queryMask, Tensor out) {
        matchDot(a, p, queryMask, out, Variant.TILED);
    }

    public void matchNcc(Tensor f, Tensor s, Tensor queryMask, Tensor out, Variant variant) {
        MatchingChecks.patchMatch(f, s, queryMask, out);
        if (variant == Variant.PLAIN) {
            matchPatches(f, s, queryMask, out, "match_ncc");
        } else {
            matchTiled(f, s, queryMask, out, true, false);
        }
    }

    public void matchDot(Tensor a, Tensor p, Tensor queryMask, Tensor out, Variant variant) {
        MatchingChecks.patchMatch(a, p, queryMask, out);
        if (variant == Variant.PLAIN) {
            matchPatches(a, p, queryMask, out, "match_dot");
        } else {
            matchTiled(a, p, queryMask, out, false, true);
        }
    }

    // ---- the register-tiled similarity product (matching_tiled.cl) ------------------------------

    /** Scratch buffers of one tiled search, released together. */
    private final class Scratch implements AutoCloseable {
        private final List<cl_mem> buffers = new ArrayList<>();

        cl_mem floats(long n) {
            cl_mem m = device.scratch(Math.toIntExact(Math.max(1, n)));
            buffers.add(m);
            return m;
        }

        @Override
        public void close() {
            buffers.forEach(device::releaseScratch);
        }
    }

    private void matchTiled(Tensor queries, Tensor candidates, Tensor queryMask, Tensor out, boolean normalised,
                            boolean borderRule) {
        Shape q = queries.shape(), c = candidates.shape();
        device.fill(out, -1);
        float[] positions = queryPositions(queryMask, q.plane());
        if (positions.length == 0) {
            return;
        }
        QueryCells plan = QueryCells.of(positions, q.height(), q.width(), tiling.cell(), tiling.slots());
        int channels = q.channels();
        int slots = plan.blocks() * plan.slots(), entries = plan.blocks() * plan.entries();
        long runs = tiling.runs(c.width());
        int rows = tiling.rowsPerItem(c.height(), entries, runs);
        long rowGroups = (c.height() + rows - 1) / rows, tiles = runs * rowGroups;
        // Padded rows span columns -1 .. runs * scored(); the norm planes use the same width.
        int pw = (int) (runs * tiling.scored()) + 2, tw = pw;
        int paddedRows = channels * (c.height() + 2);
        try (Tensor slotPixels = device.upload(Shape.vector(slots), plan.slotPixels());
             Tensor slotCounts = device.upload(Shape.vector(plan.blocks()), plan.slotCounts());
             Tensor entryPositions = device.upload(Shape.vector(entries), plan.entryPositions());
             Tensor entrySlots = device.upload(Shape.vector(9 * entries), plan.entrySlots());
             Scratch scratch = new Scratch()) {
            cl_mem packed = scratch.floats((long) slots * channels);
            device.launch(tiledKernel("pack_slots"), new long[] {slots}, new long[] {tiling.slotTile()},
                    queries, slotPixels, channels, q.plane(), packed);
            cl_mem padded = scratch.floats((long) paddedRows * pw);
            device.launch(tiledKernel("pad_candidates"), new long[] {OpenClDevice.roundUp(paddedRows, 8)},
                    new long[] {8}, candidates, padded, channels, c.height(), c.width(), pw, paddedRows);
            cl_mem queryNorms = scratch.floats((long) entries * CLASSES);
            cl_mem queryClasses = scratch.floats(entries);
            launch1d("query_norms", entries, squares(scratch, queries), entryPositions, entries, q.height(),
                    q.width(), queryNorms, queryClasses);
            // matchDot reads the queries' border classes but no norms: any buffer stands in for the candidates'.
            cl_mem candidateNorms = queryNorms;
            if (normalised) {
                candidateNorms = scratch.floats((long) CLASSES * c.height() * tw);
                launch1d("candidate_norms", c.height() * tw, squares(scratch, candidates), c.height(), c.width(),
                        tw, candidateNorms);
            }

            cl_mem partScore = scratch.floats(entries * tiles), partIndex = scratch.floats(entries * tiles);
            device.launch(tiledKernel("match_tiled"), new long[] {plan.blocks(), runs, rowGroups},
                    new long[] {1, tiling.groupX(), 1}, padded, packed, slotCounts, entrySlots, queryNorms,
                    queryClasses, candidateNorms, channels, c.height(), c.width(), pw, tw, rows, normalised ? 1 : 0,
                    borderRule ? 1 : 0, partScore, partIndex);
            launch1d("match_reduce", entries, partScore, partIndex, (int) tiles, entryPositions, entries, out);
        }
    }

    private cl_kernel tiledKernel(String name) {
        return device.kernel(TILED_FILE, options, name);
    }

    /** A kernel of matching_tiled.cl over n work-items in small groups. */
    private void launch1d(String name, int n, Object... args) {
        device.launch(tiledKernel(name), new long[] {OpenClDevice.roundUp(n, groupSize)}, new long[] {groupSize},
                args);
    }

    /** Each position's squared norm over the channels of x, in scratch. */
    private cl_mem squares(Scratch scratch, Tensor x) {
        int plane = x.shape().plane();
        cl_mem squares = scratch.floats(plane);
        launch1d("position_squares", plane, x, x.shape().channels(), plane, squares);
        return squares;
    }

    /** The queried positions in increasing order: those with mask &gt; 0, or all without a mask. */
    private float[] queryPositions(Tensor queryMask, int plane) {
        if (queryMask == null) {
            float[] all = new float[plane];
            for (int p = 0; p < plane; p++) {
                all[p] = p;
            }
            return all;
        }
        float[] mask = device.download(queryMask);
        int n = 0;
        for (float m : mask) {
            n += m > 0 ? 1 : 0;
        }
        float[] positions = new float[n];
        for (int p = 0, i = 0; p < plane; p++) {
            if (mask[p] > 0) {
                positions[i++] = p;
            }
        }
        return positions;
    }

    // ---- the brute-force search (matching.cl) ----------------------------------------------------

    /** A zero-bordered copy of a map (scratch) and its per-position squared norms (scratch). */
    private record Padded(cl_mem map, cl_mem squares, int width) {
    }

    private Padded pad(Tensor x, int width) {
        Shape s = x.shape();
        int plane = (s.height() + 2) * width;
        Padded p = new Padded(device.scratch(s.channels() * plane), device.scratch(plane), width);
        run("pad_with_norms", plane, x, p.map(), p.squares(), s.channels(), s.height(), s.width(), width);
        return p;
    }

    private void release(Padded p) {
        device.releaseScratch(p.map());
        device.releaseScratch(p.squares());
    }

    private void matchPatches(Tensor queries, Tensor candidates, Tensor queryMask, Tensor out, String kernel) {
        Shape q = queries.shape(), c = candidates.shape();
        Padded f = pad(queries, q.width() + 2);
        try {
            Padded s = pad(candidates, (int) OpenClDevice.roundUp(c.width(), CANDIDATES) + 2);
            try {
                // Without a mask the kernel never reads its mask argument; out stands in for it.
                Tensor mask = queryMask == null ? out : queryMask;
                run(kernel, q.plane(), f.map(), f.squares(), s.map(), s.squares(), mask, queryMask == null ? 0 : 1,
                        out, q.channels(), q.height(), q.width(), f.width(), c.height(), c.width(), s.width());
            } finally {
                release(s);
            }
        } finally {
            release(f);
        }
    }

    // ---- the other matching ops ------------------------------------------------------------------

    @Override
    public void normalizePositions(Tensor x, Tensor out) {
        MatchingChecks.normalize(x, out);
        int plane = x.shape().plane();
        run("normalize_positions", plane, x, out, x.shape().channels(), plane);
    }

    @Override
    public void refineMatches(Tensor nnf, Tensor guide, Tensor tightMask, Tensor out) {
        MatchingChecks.refine(nnf, guide, tightMask, out);
        Shape s = nnf.shape();
        run("refine_matches", s.plane(), nnf, guide, tightMask, out, s.height(), s.width());
    }

    @Override
    public void usedRegion(Tensor nnf, Tensor tightMask, Tensor out) {
        MatchingChecks.usedRegion(nnf, tightMask, out);
        device.fill(out, 0);
        int n = nnf.shape().plane();
        run("used_region", n, nnf, tightMask, out, n, out.shape().height(), out.shape().width());
    }
}
