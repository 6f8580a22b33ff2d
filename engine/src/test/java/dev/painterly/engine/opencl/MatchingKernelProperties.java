package dev.painterly.engine.opencl;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.reference.MatchingReference;
import dev.painterly.engine.testing.AgainstReference;
import dev.painterly.engine.testing.AgainstReference.SingleOp;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.Poison;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assertions;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The kernels of matching.cl and matching_tiled.cl against the Java reference (float32 mode) on
 * random shapes, and properties of the reference that pin down what the matching ops mean. The
 * patch searches run three ways: the register-tiled kernels with this device's tiling, the same
 * with the other device kind's tiling (so that the GPU constants are checked on a CPU, and the
 * other way round), and the brute-force kernel. Small maps hit the border classes in every
 * combination (1-pixel maps included); larger ones give several query blocks, candidate runs
 * and row groups, runs clear of the borders, and tiles of padding.
 *
 * <p>Tolerances. The searches return indices; the kernels score in float where the reference
 * scores in double, so a near-tie may resolve either way. Where the reference leaves a position
 * fixed (-1 for an unqueried or candidate-less query, the unchanged NNF entry in refineMatches)
 * the kernel must agree exactly. Elsewhere the kernel's index must be a candidate whose score
 * (recomputed here in double from the definition) is within {@link #SCORE_TOLERANCE} = 1e-4 of
 * the score of the reference's index (NCC scores lie in [-1, 1], matchDot scores of unit vectors
 * in [-9, 9], refinement scores are mean RGB distances in [0, sqrt 3]; float error is about
 * 1e-6), and it must be the reference's index at all but a tenth of those positions (one always
 * allowed), not counting choices that score within {@link #FLOAT_TIE} = 2e-6 of the reference's,
 * which float cannot order (one channel makes them common: NCC of scalars is +-1). Exact ties
 * (all-zero maps, a flat guide) must resolve identically on both devices. usedRegion is compared
 * exactly; normalizePositions with rtol 1e-5 and atol 1e-6 (a float sum of squares over up to 70
 * channels).
 */
class MatchingKernelProperties {

    private static final int TRIES = 25;
    private static final double SCORE_TOLERANCE = 1e-4;
    private static final double FLOAT_TIE = 2e-6;

    private final OpenClDevice cl = TestDevices.openCl();
    private final JavaDevice ref = JavaDevice.float32();
    private final List<Matcher> matchers = List.of(
            new Matcher("tiled", new ClMatching(cl), ClMatching.Variant.TILED),
            new Matcher("tiled with the other tiling",
                    new ClMatching(cl, cl.tuning() == Tuning.CPU ? ClMatching.Tiling.GPU : ClMatching.Tiling.CPU),
                    ClMatching.Variant.TILED),
            new Matcher("plain", new ClMatching(cl), ClMatching.Variant.PLAIN));

    /** One way of running the OpenCL patch searches. */
    private record Matcher(String name, ClMatching matching, ClMatching.Variant variant) {

        SingleOp matchNcc() {
            return (d, in, out) -> matching.matchNcc(in[0], in[1], in[2], out, variant);
        }

        SingleOp matchDot() {
            return (d, in, out) -> matching.matchDot(in[0], in[1], in[2], out, variant);
        }
    }

    private static final SingleOp MATCH_NCC = (d, in, out) -> d.matching().matchNcc(in[0], in[1], in[2], out);
    private static final SingleOp MATCH_DOT = (d, in, out) -> d.matching().matchDot(in[0], in[1], in[2], out);

    // ---- data ---------------------------------------------------------------------------------

    /** Uniform in [-1, 1), or its ReLU (non-negative with many zeros, like VGG features). */
    private static float[] features(long seed, Shape s, boolean relu) {
        float[] v = RandomTensors.uniform(seed, s.size());
        if (relu) {
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.max(v[i], 0);
            }
        }
        return v;
    }

    /** Every position's channel vector scaled to unit length, as matchDot expects. */
    private static float[] unitVectors(long seed, Shape s) {
        float[] v = RandomTensors.uniform(seed, s.size());
        int plane = s.plane();
        for (int p = 0; p < plane; p++) {
            double sq = 0;
            for (int c = 0; c < s.channels(); c++) {
                sq += v[c * plane + p] * v[c * plane + p];
            }
            for (int c = 0; c < s.channels(); c++) {
                v[c * plane + p] /= (float) Math.sqrt(sq);
            }
        }
        return v;
    }

    /**
     * A mask with about 30% exact zeros, 10% exact 0.1f (outside a tight mask, which needs more),
     * 10% in (0, 0.1) and the rest in (0.1, 1).
     */
    private static float[] mask(long seed, int n) {
        Random r = new Random(seed);
        float[] m = new float[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            m[i] = u < 0.3 ? 0 : u < 0.4 ? 0.1f : u < 0.5 ? (float) (0.1 * r.nextDouble()) : (float) (0.11 + 0.89 * r.nextDouble());
        }
        return m;
    }

    /**
     * An NNF of an h x w map into an h2 x w2 map: 10% unmatched (-1), 45% anywhere, 45% within two
     * pixels of the same coordinates (clamped), as a refined field mostly is.
     */
    private static float[] nnf(long seed, int h, int w, int h2, int w2) {
        Random r = new Random(seed);
        float[] n = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = r.nextDouble();
                int qy = Math.min(h2 - 1, Math.max(0, y + r.nextInt(5) - 2));
                int qx = Math.min(w2 - 1, Math.max(0, x + r.nextInt(5) - 2));
                n[y * w + x] = u < 0.1 ? -1 : u < 0.55 ? r.nextInt(h2 * w2) : qy * w2 + qx;
            }
        }
        return n;
    }

    private static float[] identity(int n) {
        float[] v = new float[n];
        for (int p = 0; p < n; p++) {
            v[p] = p;
        }
        return v;
    }

    // ---- comparing choices ------------------------------------------------------------------------

    /** What a search op chooses among, to judge the kernel's choices against the reference's. */
    private interface Search {
        /** Whether p's output is a choice among candidates (else it is fixed, compared exactly). */
        boolean searched(int p);

        boolean admissible(int p, int q);

        /** How good q is for p, higher is better, in double from the definition. */
        double goodness(int p, int q);
    }

    private static void compareChoices(float[] expected, float[] actual, Search search, String what) {
        Assertions.assertEquals(expected.length, actual.length, what + ": length");
        int searched = 0, differ = 0;
        for (int p = 0; p < expected.length; p++) {
            if (!search.searched(p)) {
                Assertions.assertEquals(expected[p], actual[p], what + ": fixed position " + p);
                continue;
            }
            searched++;
            int qe = (int) expected[p], qa = (int) actual[p];
            if (qa == actual[p] && qa == qe) {
                continue;
            }
            Assertions.assertTrue(qa == actual[p] && search.admissible(p, qa),
                    what + ": position " + p + " got " + actual[p] + ", not a candidate");
            double ge = search.goodness(p, qe), ga = search.goodness(p, qa);
            Assertions.assertTrue(ga >= ge - SCORE_TOLERANCE, String.format(
                    "%s: position %d chose %d (score %.9g), reference %d (score %.9g)", what, p, qa, ga, qe, ge));
            if (Math.abs(ga - ge) > FLOAT_TIE) {
                differ++;
            }
        }
        int allowed = Math.max(1, searched / 10);
        Assertions.assertTrue(differ <= allowed,
                what + ": " + differ + " of " + searched + " choices differ from the reference");
    }

    // ---- matchNcc ---------------------------------------------------------------------------------

    @Property(tries = TRIES)
    void matchNccAgainstReference(@ForAll @IntRange(min = 1, max = 40) int c,
                                  @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                                  @ForAll @IntRange(min = 1, max = 9) int h2, @ForAll @IntRange(min = 1, max = 9) int w2,
                                  @ForAll boolean masked, @ForAll boolean relu, @ForAll long seed) {
        checkMatchNcc(Shape.of(c, h, w), Shape.of(c, h2, w2), masked, relu, seed);
    }

    @Property(tries = 8)
    void matchNccManyTiles(@ForAll @IntRange(min = 1, max = 23) int c,
                           @ForAll @IntRange(min = 1, max = 21) int h, @ForAll @IntRange(min = 1, max = 21) int w,
                           @ForAll @IntRange(min = 9, max = 30) int h2, @ForAll @IntRange(min = 17, max = 41) int w2,
                           @ForAll boolean masked, @ForAll long seed) {
        checkMatchNcc(Shape.of(c, h, w), Shape.of(c, h2, w2), masked, true, seed);
    }

    private void checkMatchNcc(Shape fs, Shape ss, boolean masked, boolean relu, long seed) {
        Shape index = fs.withChannels(1);
        try (AgainstReference run = new AgainstReference(cl).input(fs, features(seed, fs, relu))
                .input(ss, features(seed + 1, ss, relu))) {
            optional(run, masked, index, mask(seed + 2, fs.plane()));
            float[] expected = run.expected(MATCH_NCC, index);
            Tensor[] r = run.referenceInputs();
            MatchingReference.PatchScores scores = new MatchingReference.PatchScores(r[0], r[1]);
            Search search = new Search() {
                public boolean searched(int p) {
                    return expected[p] >= 0;
                }

                public boolean admissible(int p, int q) {
                    return q >= 0 && q < ss.plane();
                }

                public double goodness(int p, int q) {
                    return scores.ncc(p, q);
                }
            };
            for (Matcher m : matchers) {
                compareChoices(expected, run.actual(m.matchNcc(), index), search,
                        "matchNcc (" + m.name() + ") " + fs + " vs " + ss);
            }
        }
    }

    /** Adds an optional input: data when present, else an absent tensor. */
    private static void optional(AgainstReference run, boolean present, Shape shape, float[] data) {
        if (present) {
            run.input(shape, data);
        } else {
            run.noInput();
        }
    }

    /** All-zero candidates score exactly 0 everywhere: every search must pick q = 0. */
    @Property(tries = TRIES)
    void matchNccTiesGoToTheSmallestCandidate(@ForAll @IntRange(min = 1, max = 20) int c,
                                              @ForAll @IntRange(min = 1, max = 9) int h,
                                              @ForAll @IntRange(min = 1, max = 41) int w, @ForAll long seed) {
        Shape fs = Shape.of(c, h, w), index = Shape.of(1, h, w);
        float[] queryMask = mask(seed + 1, h * w);
        float[] expected = new float[h * w];
        for (int p = 0; p < h * w; p++) {
            expected[p] = queryMask[p] > 0 ? 0 : -1;
        }
        try (AgainstReference run = new AgainstReference(cl).input(fs, features(seed, fs, false))
                .input(fs, new float[fs.size()]).input(index, queryMask)) {
            Assertions.assertArrayEquals(expected, run.expected(MATCH_NCC, index), "ties on the reference");
            for (Matcher m : matchers) {
                Assertions.assertArrayEquals(expected, run.actual(m.matchNcc(), index), "ties, " + m.name());
            }
        }
    }

    /**
     * Every patch scores 1 (less 1e-9 / |patch|^2) against itself and less against any other:
     * random vectors of 3 or more channels are almost surely far from parallel.
     */
    @Property(tries = TRIES)
    void matchNccOfAMapAgainstItselfIsTheIdentity(@ForAll @IntRange(min = 3, max = 8) int c,
                                                  @ForAll @IntRange(min = 1, max = 8) int h,
                                                  @ForAll @IntRange(min = 1, max = 8) int w, @ForAll long seed) {
        Shape fs = Shape.of(c, h, w);
        try (Tensor f = ref.upload(fs, features(seed, fs, false)); Tensor out = Poison.output(ref, fs.withChannels(1))) {
            ref.matching().matchNcc(f, f, null, out);
            Assertions.assertArrayEquals(identity(h * w), out.toArray());
        }
    }

    /** Large maps take more rows per work-item, so that the partial bests stay within their bound. */
    @Property(tries = TRIES)
    void tiledSearchBoundsItsPartials(@ForAll @IntRange(min = 1, max = 5000) int height,
                                      @ForAll @IntRange(min = 1, max = 1 << 20) int entries,
                                      @ForAll @IntRange(min = 1, max = 500) int runs) {
        for (ClMatching.Tiling tiling : List.of(ClMatching.Tiling.CPU, ClMatching.Tiling.GPU)) {
            int rows = tiling.rowsPerItem(height, entries, runs);
            long groups = (height + rows - 1) / rows;
            Assertions.assertTrue(rows >= tiling.rows(), "rows " + rows);
            Assertions.assertTrue(groups == 1 || groups * entries * runs <= 1L << 24,
                    groups + " row groups of " + entries + " entries x " + runs + " runs");
        }
    }

    // ---- normalizePositions -------------------------------------------------------------------------

    @Property(tries = TRIES)
    void normalizePositionsAgainstReference(@ForAll @IntRange(min = 1, max = 70) int c,
                                            @ForAll @IntRange(min = 1, max = 13) int h,
                                            @ForAll @IntRange(min = 1, max = 13) int w, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        try (AgainstReference run = new AgainstReference(cl).input(s, features(seed, s, true))) {
            run.check((d, in, out) -> d.matching().normalizePositions(in[0], out), s, 1e-5, 1e-6,
                    "normalizePositions " + s);
        }
    }

    /** Each position's vector ends with length |x| / (|x| + 1e-8), i.e. 1 unless x is tiny. */
    @Property(tries = TRIES)
    void normalizePositionsGivesUnitVectors(@ForAll @IntRange(min = 1, max = 70) int c,
                                            @ForAll @IntRange(min = 1, max = 9) int h,
                                            @ForAll @IntRange(min = 1, max = 9) int w, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        float[] x = features(seed, s, false);
        try (Tensor xt = ref.upload(s, x); Tensor out = Poison.output(ref, s)) {
            ref.matching().normalizePositions(xt, out);
            double[] in = norms(x, s), normalised = norms(out.toArray(), s);
            for (int p = 0; p < s.plane(); p++) {
                Compare.close(in[p] / (in[p] + 1e-8), normalised[p], 1e-6, 0, "norm at " + p);
            }
        }
    }

    private static double[] norms(float[] v, Shape s) {
        double[] n = new double[s.plane()];
        for (int p = 0; p < s.plane(); p++) {
            double sq = 0;
            for (int k = 0; k < s.channels(); k++) {
                sq += (double) v[k * s.plane() + p] * v[k * s.plane() + p];
            }
            n[p] = Math.sqrt(sq);
        }
        return n;
    }

    // ---- matchDot ---------------------------------------------------------------------------------

    @Property(tries = TRIES)
    void matchDotAgainstReference(@ForAll @IntRange(min = 1, max = 40) int c,
                                  @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                                  @ForAll @IntRange(min = 1, max = 9) int h2, @ForAll @IntRange(min = 1, max = 9) int w2,
                                  @ForAll boolean masked, @ForAll long seed) {
        checkMatchDot(Shape.of(c, h, w), Shape.of(c, h2, w2), masked, seed);
    }

    @Property(tries = 8)
    void matchDotManyTiles(@ForAll @IntRange(min = 1, max = 23) int c,
                           @ForAll @IntRange(min = 1, max = 21) int h, @ForAll @IntRange(min = 1, max = 21) int w,
                           @ForAll @IntRange(min = 9, max = 30) int h2, @ForAll @IntRange(min = 17, max = 41) int w2,
                           @ForAll boolean masked, @ForAll long seed) {
        checkMatchDot(Shape.of(c, h, w), Shape.of(c, h2, w2), masked, seed);
    }

    private void checkMatchDot(Shape as, Shape ps, boolean masked, long seed) {
        Shape index = as.withChannels(1);
        try (AgainstReference run = new AgainstReference(cl).input(as, unitVectors(seed, as))
                .input(ps, unitVectors(seed + 1, ps))) {
            optional(run, masked, index, mask(seed + 2, as.plane()));
            float[] expected = run.expected(MATCH_DOT, index);
            Tensor[] r = run.referenceInputs();
            MatchingReference.PatchScores scores = new MatchingReference.PatchScores(r[0], r[1]);
            Search search = new Search() {
                public boolean searched(int p) {
                    return expected[p] >= 0;
                }

                public boolean admissible(int p, int q) {
                    return q >= 0 && q < ps.plane() && scores.dotAllows(p, q);
                }

                public double goodness(int p, int q) {
                    return scores.dot(p, q);
                }
            };
            for (Matcher m : matchers) {
                compareChoices(expected, run.actual(m.matchDot(), index), search,
                        "matchDot (" + m.name() + ") " + as + " vs " + ps);
            }
        }
    }

    /** All-zero maps score exactly 0 everywhere: every search must pick the smallest allowed q. */
    @Property(tries = TRIES)
    void matchDotTiesGoToTheSmallestAllowedCandidate(@ForAll @IntRange(min = 1, max = 9) int h,
                                                     @ForAll @IntRange(min = 1, max = 9) int w,
                                                     @ForAll @IntRange(min = 1, max = 9) int h2,
                                                     @ForAll @IntRange(min = 1, max = 41) int w2) {
        Shape as = Shape.of(3, h, w), ps = Shape.of(3, h2, w2), index = Shape.of(1, h, w);
        try (AgainstReference run = new AgainstReference(cl).input(as, new float[as.size()])
                .input(ps, new float[ps.size()]).noInput()) {
            Tensor[] r = run.referenceInputs();
            MatchingReference.PatchScores scores = new MatchingReference.PatchScores(r[0], r[1]);
            float[] expected = new float[h * w];
            for (int p = 0; p < h * w; p++) {
                expected[p] = -1;
                for (int q = h2 * w2 - 1; q >= 0; q--) {
                    if (scores.dotAllows(p, q)) {
                        expected[p] = q;
                    }
                }
            }
            Assertions.assertArrayEquals(expected, run.expected(MATCH_DOT, index), "ties on the reference");
            for (Matcher m : matchers) {
                Assertions.assertArrayEquals(expected, run.actual(m.matchDot(), index), "ties, " + m.name());
            }
        }
    }

    /** A query off A's outermost rows and columns never gets a candidate on P's. */
    @Property(tries = TRIES)
    void matchDotBorderRule(@ForAll @IntRange(min = 1, max = 8) int c,
                            @ForAll @IntRange(min = 1, max = 9) int h, @ForAll @IntRange(min = 1, max = 9) int w,
                            @ForAll @IntRange(min = 1, max = 9) int h2, @ForAll @IntRange(min = 1, max = 9) int w2,
                            @ForAll long seed) {
        Shape as = Shape.of(c, h, w), ps = Shape.of(c, h2, w2);
        try (Tensor a = ref.upload(as, unitVectors(seed, as)); Tensor pm = ref.upload(ps, unitVectors(seed + 1, ps));
             Tensor out = Poison.output(ref, as.withChannels(1))) {
            ref.matching().matchDot(a, pm, null, out);
            MatchingReference.PatchScores scores = new MatchingReference.PatchScores(a, pm);
            float[] nnf = out.toArray();
            for (int p = 0; p < h * w; p++) {
                int q = (int) nnf[p];
                if (q < 0) {
                    for (int other = 0; other < h2 * w2; other++) {
                        Assertions.assertFalse(scores.dotAllows(p, other), "query " + p + " left unmatched");
                    }
                    continue;
                }
                Assertions.assertTrue(scores.dotAllows(p, q), "query " + p + " matched " + q);
                int px = p % w, py = p / w, qx = q % w2, qy = q / w2;
                if (px > 0 && px < w - 1 && py > 0 && py < h - 1) {
                    Assertions.assertTrue(qx > 0 && qx < w2 - 1 && qy > 0 && qy < h2 - 1,
                            "interior query " + p + " matched border candidate " + q);
                }
            }
        }
    }

    /** Unit vectors: a patch's sum of dots with itself beats every other patch's (random: distinct). */
    @Property(tries = TRIES)
    void matchDotOfAMapAgainstItselfIsTheIdentity(@ForAll @IntRange(min = 2, max = 8) int c,
                                                  @ForAll @IntRange(min = 1, max = 8) int h,
                                                  @ForAll @IntRange(min = 1, max = 8) int w, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        try (Tensor a = ref.upload(s, unitVectors(seed, s)); Tensor out = Poison.output(ref, s.withChannels(1))) {
            ref.matching().matchDot(a, a, null, out);
            Assertions.assertArrayEquals(identity(h * w), out.toArray());
        }
    }

    // ---- refineMatches ------------------------------------------------------------------------------

    @Property(tries = TRIES)
    void refineMatchesAgainstReference(@ForAll @IntRange(min = 1, max = 14) int h,
                                       @ForAll @IntRange(min = 1, max = 14) int w, @ForAll long seed) {
        Shape index = Shape.of(1, h, w), rgb = Shape.of(3, h, w);
        float[] tight = mask(seed + 2, h * w);
        try (AgainstReference run = new AgainstReference(cl).input(index, nnf(seed, h, w, h, w))
                .input(rgb, RandomTensors.unit(seed + 1, rgb.size())).input(index, tight)) {
            SingleOp refine = (d, in, out) -> d.matching().refineMatches(in[0], in[1], in[2], out);
            Tensor[] r = run.referenceInputs();
            compareChoices(run.expected(refine, index), run.actual(refine, index), new Search() {
                public boolean searched(int p) {
                    return tight[p] > 0.1f && !MatchingReference.refineProposals(r[0], p).isEmpty();
                }

                public boolean admissible(int p, int q) {
                    return MatchingReference.refineProposals(r[0], p).contains(q);
                }

                public double goodness(int p, int q) {
                    return -MatchingReference.refineScore(r[0], r[1], p, q);
                }
            }, "refineMatches " + index);
        }
    }

    /** A flat guide scores every proposal exactly 0: both devices must keep the first, in d order. */
    @Property(tries = TRIES)
    void refineMatchesTiesGoToTheFirstProposal(@ForAll @IntRange(min = 1, max = 14) int h,
                                               @ForAll @IntRange(min = 1, max = 14) int w, @ForAll long seed) {
        Shape index = Shape.of(1, h, w), rgb = Shape.of(3, h, w);
        float[] n = nnf(seed, h, w, h, w), tight = mask(seed + 1, h * w), guide = new float[rgb.size()];
        Arrays.fill(guide, 0.375f);
        try (AgainstReference run = new AgainstReference(cl).input(index, n).input(rgb, guide).input(index, tight)) {
            float[] expected = new float[h * w];
            for (int p = 0; p < h * w; p++) {
                List<Integer> kept = MatchingReference.refineProposals(run.referenceInputs()[0], p);
                expected[p] = tight[p] > 0.1f && !kept.isEmpty() ? kept.get(0) : n[p];
            }
            SingleOp refine = (d, in, out) -> d.matching().refineMatches(in[0], in[1], in[2], out);
            Assertions.assertArrayEquals(expected, run.expected(refine, index), "ties on the reference");
            Assertions.assertArrayEquals(expected, run.actual(refine, index), "ties on " + cl.name());
        }
    }

    /** Every proposal of the identity field is p itself. */
    @Property(tries = TRIES)
    void refineMatchesKeepsTheIdentity(@ForAll @IntRange(min = 1, max = 14) int h,
                                       @ForAll @IntRange(min = 1, max = 14) int w, @ForAll long seed) {
        Shape index = Shape.of(1, h, w);
        try (Tensor n = ref.upload(index, identity(h * w));
             Tensor g = ref.upload(index.withChannels(3), RandomTensors.unit(seed, 3 * h * w));
             Tensor m = ref.upload(index, mask(seed + 1, h * w)); Tensor out = Poison.output(ref, index)) {
            ref.matching().refineMatches(n, g, m, out);
            Assertions.assertArrayEquals(identity(h * w), out.toArray());
        }
    }

    /**
     * One wrong match r at p0 in an identity field is outvoted: at p0 the 24 neighbours propose p0
     * (mean distance D/25 to the implied colours) against r (24 D / 25), and every other position
     * of the valid range keeps itself by the same count. (Positions outside the valid range cannot
     * propose themselves, so there the shifted outlier may win.)
     */
    @Property(tries = TRIES)
    void refineMatchesCorrectsALoneOutlier(@ForAll @IntRange(min = 6, max = 14) int h,
                                           @ForAll @IntRange(min = 6, max = 14) int w, @ForAll long seed) {
        Random r = new Random(seed);
        int p0 = (2 + r.nextInt(h - 5)) * w + 2 + r.nextInt(w - 5);
        int outlier = (p0 + 1 + r.nextInt(h * w - 1)) % (h * w);
        float[] n = identity(h * w);
        n[p0] = outlier;
        float[] tight = new float[h * w];
        Arrays.fill(tight, 1);
        Shape index = Shape.of(1, h, w);
        try (Tensor nt = ref.upload(index, n);
             Tensor g = ref.upload(index.withChannels(3), RandomTensors.unit(seed, 3 * h * w));
             Tensor m = ref.upload(index, tight); Tensor out = Poison.output(ref, index)) {
            ref.matching().refineMatches(nt, g, m, out);
            float[] refined = out.toArray();
            for (int y = 2; y < h - 3; y++) {
                for (int x = 2; x < w - 3; x++) {
                    Assertions.assertEquals(y * w + x, refined[y * w + x], "position " + (y * w + x) + ", outlier at " + p0);
                }
            }
        }
    }

    // ---- usedRegion -----------------------------------------------------------------------------------

    @Property(tries = TRIES)
    void usedRegionAgainstReference(@ForAll @IntRange(min = 1, max = 12) int h,
                                    @ForAll @IntRange(min = 1, max = 12) int w,
                                    @ForAll @IntRange(min = 1, max = 12) int h2,
                                    @ForAll @IntRange(min = 1, max = 12) int w2, @ForAll long seed) {
        Shape index = Shape.of(1, h, w), region = Shape.of(1, h2, w2);
        try (AgainstReference run = new AgainstReference(cl).input(index, nnf(seed, h, w, h2, w2))
                .input(index, mask(seed + 1, h * w))) {
            run.check((d, in, out) -> d.matching().usedRegion(in[0], in[1], out), region, 0, 0,
                    "usedRegion " + index + " into " + region);
        }
    }

    /** A single masked position marks the 3x3 block around its match, clipped to the map. */
    @Property(tries = TRIES)
    void usedRegionOfOnePositionIsABlock(@ForAll @IntRange(min = 1, max = 9) int h,
                                         @ForAll @IntRange(min = 1, max = 9) int w,
                                         @ForAll @IntRange(min = 1, max = 9) int h2,
                                         @ForAll @IntRange(min = 1, max = 9) int w2, @ForAll long seed) {
        Random r = new Random(seed);
        int p = r.nextInt(h * w), q = r.nextInt(h2 * w2);
        float[] n = new float[h * w], tight = new float[h * w];
        for (int i = 0; i < n.length; i++) {
            n[i] = r.nextInt(h2 * w2);
        }
        n[p] = q;
        tight[p] = 1;
        float[] expected = new float[h2 * w2];
        for (int y = 0; y < h2; y++) {
            for (int x = 0; x < w2; x++) {
                expected[y * w2 + x] = Math.abs(y - q / w2) <= 1 && Math.abs(x - q % w2) <= 1 ? 1 : 0;
            }
        }
        Shape index = Shape.of(1, h, w);
        try (Tensor nt = ref.upload(index, n); Tensor m = ref.upload(index, tight);
             Tensor out = Poison.output(ref, Shape.of(1, h2, w2))) {
            ref.matching().usedRegion(nt, m, out);
            Assertions.assertArrayEquals(expected, out.toArray());
        }
    }
}
