package dev.painterly.engine;

import dev.painterly.engine.device.Histogram;

/** Shape checks of {@link Histogram#remap}, shared by the devices so that both reject the same calls. */
public final class HistogramChecks {

    private HistogramChecks() {
    }

    public static void remap(Tensor features, Tensor positions, Tensor table, Tensor out) {
        Check.sameShape(features, out);
        int n = features.shape().height() * features.shape().width();
        int m = positions.size();
        if (n > FloatPositions.MAX) {
            throw new IllegalArgumentException("histogram remap takes at most " + FloatPositions.MAX
                    + " values per channel, got " + n);
        }
        if (m > n) {
            throw new IllegalArgumentException("histogram remap: " + m + " positions in a channel of " + n);
        }
        Check.size(table, features.shape().channels() * m, "histogram table (channels x positions)");
    }
}
