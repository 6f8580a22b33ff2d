package dev.painterly.harmonizer;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;

/**
 * Histogram loss of pass 2 at one layer: the current features at the positions with m_L &gt; 0.1
 * are remapped through the target histogram on the host ({@link HistogramRemap}); the own
 * gradient is F - R there and 0 elsewhere.
 */
public final class HistogramLoss implements LayerLoss {

    private final String layer;
    private final Device device;
    private final HistogramTarget target;
    private final int[] positions;
    private final double weight;

    public HistogramLoss(String layer, Device device, HistogramTarget target, int[] positions, double weight) {
        this.layer = layer;
        this.device = device;
        this.target = target;
        this.positions = positions;
        this.weight = weight;
    }

    /** The positions where a mask exceeds 0.1, ascending. */
    public static int[] positions(Mask m) {
        int[] out = new int[m.count(0.1f)];
        int k = 0;
        float[] v = m.values();
        for (int i = 0; i < v.length; i++) {
            if (v[i] > 0.1f) {
                out[k++] = i;
            }
        }
        return out;
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String term() {
        return "hist_" + layer;
    }

    @Override
    public double weight() {
        return weight;
    }

    @Override
    public Evaluation evaluate(Tensor activation) {
        float[] features = activation.toArray();
        HistogramRemap.Result r = HistogramRemap.apply(features, activation.shape().channels(), positions, target, weight);
        return new Evaluation(device.upload(activation.shape(), r.gradient()), r.loss());
    }

    @Override
    public void close() {
    }
}
