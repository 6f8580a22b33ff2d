package dev.painterly.engine.vgg;

import dev.painterly.engine.Device;
import dev.painterly.engine.io.RgbImage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The network used when no ImageNet weights are installed: He-normal weights with a fixed seed,
 * normalised channel by channel on the job's own painting and composite ({@link ChannelCalibration}),
 * then scaled by a global gain. Calibrating on the job's images keeps every channel alive and of
 * unit scale on exactly the pictures it will see, at the cost of one forward pass per image, and
 * needs nothing downloaded. The gain puts activations on the scale the paper's loss weights
 * assume for Caffe's trained network (ALGORITHM.md's weights were tuned there).
 */
public final class BuiltinVgg19 {

    /** Seed of the He-normal weights. */
    public static final long SEED = 19L;

    /** The global gain G, tuned on the published examples (bench/RESULTS.md). */
    public static final float GAIN = 2000f;

    /** Overrides {@link #GAIN}, for tuning it (bench/quality-sweep.sh) without a rebuild. */
    public static final String GAIN_PROPERTY = "painterly.builtinGain";

    private BuiltinVgg19() {
    }

    /**
     * The built-in network for a job on {@code images} (RGB in [0,1]; the painting and the
     * composite), calibrated on them resized as the job resizes them: longer side {@code size}.
     */
    public static Vgg19Weights forJob(Device device, int size, RgbImage... images) {
        List<RgbImage> working = Arrays.stream(images).map(im -> im.resizeLongerSide(size)).toList();
        return withGain(ChannelCalibration.normalise(device, Vgg19Weights.untrained(SEED), working), gain());
    }

    /** {@link #GAIN}, or the value of {@link #GAIN_PROPERTY} when set. */
    public static float gain() {
        String g = System.getProperty(GAIN_PROPERTY);
        return g == null ? GAIN : Float.parseFloat(g);
    }

    /**
     * conv1_1's weights and every bias multiplied by {@code gain}: as ReLU and max pooling commute
     * with a positive factor, every activation is multiplied by it and nothing else changes.
     */
    public static Vgg19Weights withGain(Vgg19Weights weights, float gain) {
        if (!(gain > 0)) {
            throw new IllegalArgumentException("the gain must be positive, got " + gain);
        }
        List<ConvLayer> scaled = new ArrayList<>();
        for (ConvLayer l : weights.layers()) {
            float[] w = l.weight().clone();
            if (scaled.isEmpty()) {
                for (int k = 0; k < w.length; k++) {
                    w[k] *= gain;
                }
            }
            float[] b = l.bias().clone();
            for (int k = 0; k < b.length; k++) {
                b[k] *= gain;
            }
            scaled.add(new ConvLayer(l.name(), l.inChannels(), l.outChannels(), w, b));
        }
        return new Vgg19Weights(weights.convention(), scaled, false);
    }

    /** What a saved built-in network records of its making, as weights-file metadata. */
    public static Map<String, String> recipe(int size) {
        return Map.of("origin", "painterly built-in: He-normal, channels normalised on the job's painting and composite",
                "seed", Long.toString(SEED), "gain", Float.toString(gain()), "calibration_size", Integer.toString(size));
    }
}
