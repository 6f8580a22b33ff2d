package dev.painterly.engine;

import dev.painterly.engine.device.Matching;

/**
 * Shape checks of the matching ops ({@link Matching#matchNcc} and the rest), shared by the devices
 * so that both reject the same calls.
 */
public final class MatchingChecks {

    private MatchingChecks() {
    }

    /** matchNcc and matchDot: two maps of equal channel count, an optional query mask, an index map. */
    public static void patchMatch(Tensor queries, Tensor candidates, Tensor queryMask, Tensor out) {
        if (queries.shape().channels() != candidates.shape().channels()) {
            throw new IllegalArgumentException("channel mismatch: " + queries.shape() + " vs " + candidates.shape());
        }
        positions(candidates.shape());
        if (queryMask != null) {
            Check.maskFor(queries, queryMask);
        }
        Check.maskFor(queries, out);
    }

    public static void normalize(Tensor x, Tensor out) {
        Check.sameShape(x, out);
    }

    public static void refine(Tensor nnf, Tensor guide, Tensor tightMask, Tensor out) {
        positions(nnf.shape());
        Check.shape(guide, nnf.shape().withChannels(3), "guide");
        Check.shape(nnf, nnf.shape().withChannels(1), "nnf");
        Check.sameShape(nnf, tightMask);
        Check.sameShape(nnf, out);
    }

    public static void usedRegion(Tensor nnf, Tensor tightMask, Tensor out) {
        Check.shape(nnf, nnf.shape().withChannels(1), "nnf");
        Check.sameShape(nnf, tightMask);
        Check.shape(out, out.shape().withChannels(1), "used region");
        positions(out.shape());
    }

    private static void positions(Shape map) {
        if (map.plane() > FloatPositions.MAX) {
            throw new IllegalArgumentException("map " + map + " has more positions than a float index holds exactly");
        }
    }
}
