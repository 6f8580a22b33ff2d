package dev.painterly.engine.vgg;

import dev.painterly.engine.Device;
import dev.painterly.engine.TestHooks;
import dev.painterly.engine.io.RgbImage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The network used when no ImageNet weights are installed: He-normal weights with a fixed seed,
 * normalised channel by channel on the job's own painting and composite ({@link ChannelCalibration}),
 * then scaled by a global gain G and, from conv4_1 on, by a further deep gain D. Calibrating on
 * the job's images keeps every channel alive and of unit scale on exactly the pictures it will
 * see, at the cost of one forward pass per image, and needs nothing downloaded. G puts the
 * features on the scale that the paper's absolute loss weights assume; D makes relu4_1, where
 * the content term lives, outweigh the shallow style layers at the image (without it the random
 * shallow filters turn most objects into colour confetti).
 */
public final class BuiltinVgg19 {

    /** Seed of the He-normal weights. */
    public static final long SEED = 19L;

    /** The global gain G, tuned on the published examples (bench/RESULTS.md). */
    public static final float GAIN = 2000f;

    /** The deep gain D on conv4_1 and above, tuned with G. */
    public static final float DEEP_GAIN = 30f;

    /** The layer from which D applies. */
    public static final String DEEP_LAYER = "conv4_1";

    private BuiltinVgg19() {
    }

    /**
     * The built-in network for a job on {@code images} (RGB in [0,1]; the painting and the
     * composite), calibrated on them resized as the job resizes them: longer side {@code size}.
     */
    public static Vgg19Weights forJob(Device device, int size, RgbImage... images) {
        List<RgbImage> working = Arrays.stream(images).map(im -> im.resizeLongerSide(size)).toList();
        Vgg19Weights normalised = ChannelCalibration.normalise(device, Vgg19Weights.untrained(SEED), working);
        return scaledFrom(scaledFrom(normalised, "conv1_1", gain()), DEEP_LAYER, deepGain());
    }

    /** {@link #GAIN}, or the test hook {@link TestHooks#BUILTIN_GAIN} when set (bench/quality-sweep.sh tunes with it). */
    public static float gain() {
        return (float) TestHooks.builtinGain().orElse(GAIN);
    }

    /** {@link #DEEP_GAIN}, or the test hook {@link TestHooks#BUILTIN_DEEP_GAIN} when set. */
    public static float deepGain() {
        return (float) TestHooks.builtinDeepGain().orElse(DEEP_GAIN);
    }

    /**
     * {@code layer}'s weights, and its bias and every later layer's, multiplied by {@code factor}:
     * as ReLU and max pooling commute with a positive factor, every activation from {@code layer}
     * on is multiplied by it, those below are unchanged, and nothing else changes.
     */
    public static Vgg19Weights scaledFrom(Vgg19Weights weights, String layer, float factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("the factor must be positive, got " + factor);
        }
        List<ConvLayer> scaled = new ArrayList<>();
        boolean reached = false;
        for (ConvLayer l : weights.layers()) {
            float[] w = l.weight().clone();
            float[] b = l.bias().clone();
            if (l.name().equals(layer)) {
                reached = true;
                for (int k = 0; k < w.length; k++) {
                    w[k] *= factor;
                }
            }
            if (reached) {
                for (int k = 0; k < b.length; k++) {
                    b[k] *= factor;
                }
            }
            scaled.add(new ConvLayer(l.name(), l.inChannels(), l.outChannels(), w, b));
        }
        if (!reached) {
            throw new IllegalArgumentException("no layer " + layer);
        }
        return new Vgg19Weights(weights.convention(), scaled, false);
    }

    /** What a saved built-in network records of its making, as weights-file metadata. */
    public static Map<String, String> recipe(int size) {
        return Map.of("origin", "painterly built-in: He-normal, channels normalised on the job's painting and composite",
                "seed", Long.toString(SEED), "gain", Float.toString(gain()), "deep_gain", Float.toString(deepGain()),
                "deep_layer", DEEP_LAYER, "calibration_size", Integer.toString(size));
    }
}
