package dev.painterly.harmonizer;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Judges the one candidate estimator of the style level honestly: leave-one-out on paintings of
 * known level. Each painting's level is predicted by a least-squares line through the
 * {@link StyleFeatures#score()} of all the others (clamped to 1..10), so no painting helps predict
 * itself; the predictions are compared with the known levels by Spearman's rank correlation and
 * the mean absolute error, next to the error of always answering
 * {@link HarmonizeSettings#DEFAULT_STYLE_LEVEL} (which has no ranking, so no correlation).
 * {@code --style-level auto} could use the line only where it beats that constant; on the ten
 * published examples it does not.
 */
public final class StyleLevelValidation {

    private StyleLevelValidation() {
    }

    /**
     * @param predicted   each painting's level as predicted without it
     * @param spearman    rank correlation of the predictions with the known levels
     * @param error       mean absolute error of the predictions, in levels
     * @param constantError mean absolute error of always answering the default level
     */
    public record Outcome(double[] predicted, double spearman, double error, double constantError) {

        /** Whether the line did better than the constant: smaller error and a positive ranking. */
        public boolean beatsConstant() {
            return error < constantError && spearman > 0;
        }
    }

    /** Leave-one-out over paintings with these scores and known levels (at least three). */
    public static Outcome leaveOneOut(double[] scores, double[] levels) {
        int n = scores.length;
        if (n < 3 || levels.length != n) {
            throw new IllegalArgumentException("leave-one-out needs at least three paintings with a known level, got " + n);
        }
        double[] predicted = new double[n];
        for (int out = 0; out < n; out++) {
            int left = out;
            int[] rest = IntStream.range(0, n).filter(i -> i != left).toArray();
            double[] line = line(pick(scores, rest), pick(levels, rest));
            predicted[out] = Math.max(1, Math.min(10, line[0] + line[1] * scores[out]));
        }
        double[] constant = new double[n];
        Arrays.fill(constant, HarmonizeSettings.DEFAULT_STYLE_LEVEL);
        return new Outcome(predicted, spearman(predicted, levels), meanAbsoluteError(predicted, levels),
                meanAbsoluteError(constant, levels));
    }

    /** Intercept and slope of the least-squares line of y on x (slope 0 where all x are equal). */
    static double[] line(double[] x, double[] y) {
        double mx = mean(x), my = mean(y), sxy = 0, sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double slope = sxx == 0 ? 0 : sxy / sxx;
        return new double[] {my - slope * mx, slope};
    }

    static double meanAbsoluteError(double[] predicted, double[] actual) {
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum += Math.abs(predicted[i] - actual[i]);
        }
        return sum / actual.length;
    }

    /** Pearson's correlation of the ranks (ties share their mean rank); NaN where either side is constant. */
    static double spearman(double[] a, double[] b) {
        double[] ra = ranks(a), rb = ranks(b);
        double ma = mean(ra), mb = mean(rb), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < ra.length; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    static double[] ranks(double[] v) {
        Integer[] order = IntStream.range(0, v.length).boxed().sorted(Comparator.comparingDouble(i -> v[i])).toArray(Integer[]::new);
        double[] rank = new double[v.length];
        for (int i = 0; i < order.length; ) {
            int j = i;
            while (j + 1 < order.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                rank[order[k]] = (i + j) / 2.0;
            }
            i = j + 1;
        }
        return rank;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(0);
    }

    private static double[] pick(double[] v, int[] indices) {
        return Arrays.stream(indices).mapToDouble(i -> v[i]).toArray();
    }
}
