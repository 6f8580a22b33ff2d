package dev.painterly.engine.io;

/**
 * The "bilinear" resampling of one axis as a sparse matrix: destination sample d is
 * sum_k weights[d][k] * src[first[d] + k]. Each row sums to 1, so constants are kept.
 */
record AxisWeights(int[] first, double[][] weights) {

    /**
     * Torch7 {@code image.scale}'s rule for one axis of src samples resampled to dst: corner-aligned
     * linear interpolation when enlarging, an exact area average when shrinking, a copy otherwise.
     */
    static AxisWeights of(int src, int dst) {
        if (dst > src) {
            return enlarging(src, dst);
        }
        if (dst < src) {
            return shrinking(src, dst);
        }
        int[] first = new int[dst];
        double[][] weights = new double[dst][];
        for (int d = 0; d < dst; d++) {
            first[d] = d;
            weights[d] = new double[] {1};
        }
        return new AxisWeights(first, weights);
    }

    /** Source coordinate d * (src-1)/(dst-1): the first and last samples land exactly on the corners. */
    private static AxisWeights enlarging(int src, int dst) {
        int[] first = new int[dst];
        double[][] weights = new double[dst][];
        for (int d = 0; d < dst; d++) {
            long numerator = (long) d * (src - 1);
            int i = (int) (numerator / (dst - 1));
            double frac = (double) (numerator % (dst - 1)) / (dst - 1);
            first[d] = i;
            // On a sample exactly (always the case for src == 1) there is no right neighbour to read.
            weights[d] = frac == 0 ? new double[] {1} : new double[] {1 - frac, frac};
        }
        return new AxisWeights(first, weights);
    }

    /**
     * Destination cell d covers [d*s, (d+1)*s) with s = src/dst: whole samples inside weigh 1, the
     * partial ones at its ends their covered fraction, normalised by the total weight.
     */
    private static AxisWeights shrinking(int src, int dst) {
        int[] first = new int[dst];
        double[][] weights = new double[dst][];
        for (int d = 0; d < dst; d++) {
            double start = (double) d * src / dst;
            double end = (double) (d + 1) * src / dst;
            int lo = (int) Math.floor(start);
            int hi = Math.min(src, (int) Math.ceil(end));
            double[] w = new double[hi - lo];
            double total = 0;
            for (int i = lo; i < hi; i++) {
                w[i - lo] = Math.min(end, i + 1) - Math.max(start, i);
                total += w[i - lo];
            }
            for (int k = 0; k < w.length; k++) {
                w[k] /= total;
            }
            first[d] = lo;
            weights[d] = w;
        }
        return new AxisWeights(first, weights);
    }
}
