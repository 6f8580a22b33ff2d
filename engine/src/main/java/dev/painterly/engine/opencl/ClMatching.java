package dev.painterly.engine.opencl;

import dev.painterly.engine.MatchingChecks;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/** The matching ops on an OpenCL device: kernels of {@code matching.cl}. */
final class ClMatching {

    private static final String FILE = "matching.cl";

    /** Candidates scored together by match_patches: CANDIDATES in matching.cl. */
    private static final int CANDIDATES = 8;

    /** Small groups: a long-running work-item per query, and few queries at coarse layers. */
    private static final long GROUP_SIZE = 64;

    private final OpenClDevice device;

    ClMatching(OpenClDevice device) {
        this.device = device;
    }

    private void run(String name, int n, Object... args) {
        cl_kernel k = device.kernel(FILE, "", name);
        device.launch(k, new long[] {OpenClDevice.roundUp(n, GROUP_SIZE)}, new long[] {GROUP_SIZE}, args);
    }

    void matchNcc(Tensor f, Tensor s, Tensor queryMask, Tensor out) {
        MatchingChecks.patchMatch(f, s, queryMask, out);
        matchPatches(f, s, queryMask, out, true, false);
    }

    void matchDot(Tensor a, Tensor p, Tensor queryMask, Tensor out) {
        MatchingChecks.patchMatch(a, p, queryMask, out);
        matchPatches(a, p, queryMask, out, false, true);
    }

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

    private void matchPatches(Tensor queries, Tensor candidates, Tensor queryMask, Tensor out,
                              boolean normalised, boolean borderRule) {
        Shape q = queries.shape(), c = candidates.shape();
        Padded f = pad(queries, q.width() + 2);
        try {
            Padded s = pad(candidates, (int) OpenClDevice.roundUp(c.width(), CANDIDATES) + 2);
            try {
                // Without a mask the kernel never reads its mask argument; out stands in for it.
                Tensor mask = queryMask == null ? out : queryMask;
                run("match_patches", q.plane(), f.map(), f.squares(), s.map(), s.squares(),
                        mask, queryMask == null ? 0 : 1, out, q.channels(), q.height(), q.width(), f.width(),
                        c.height(), c.width(), s.width(), normalised ? 1 : 0, borderRule ? 1 : 0);
            } finally {
                release(s);
            }
        } finally {
            release(f);
        }
    }

    void normalizePositions(Tensor x, Tensor out) {
        MatchingChecks.normalize(x, out);
        int plane = x.shape().plane();
        run("normalize_positions", plane, x, out, x.shape().channels(), plane);
    }

    void refineMatches(Tensor nnf, Tensor guide, Tensor tightMask, Tensor out) {
        MatchingChecks.refine(nnf, guide, tightMask, out);
        Shape s = nnf.shape();
        run("refine_matches", s.plane(), nnf, guide, tightMask, out, s.height(), s.width());
    }

    void usedRegion(Tensor nnf, Tensor tightMask, Tensor out) {
        MatchingChecks.usedRegion(nnf, tightMask, out);
        device.fill(out, 0);
        int n = nnf.shape().plane();
        run("used_region", n, nnf, tightMask, out, n, out.shape().height(), out.shape().width());
    }
}
