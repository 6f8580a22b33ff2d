package dev.painterly.weights;

import dev.painterly.engine.vgg.ConvLayer;
import dev.painterly.engine.vgg.InputConvention;
import dev.painterly.engine.vgg.Vgg19Weights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Gathers the convolutions a reader finds, checks each one's shape, and assembles them into
 * {@link Vgg19Weights}: conv1_1 onwards without gaps, at least up to conv5_1.
 */
final class ConvCollector {

    private final Path file;
    /** How the source names a layer, for messages: "conv3_2" or "conv3_2 (features.12)". */
    private final UnaryOperator<String> sourceName;
    private final Map<String, ConvLayer> found = new HashMap<>();

    ConvCollector(Path file, UnaryOperator<String> sourceName) {
        this.file = file;
        this.sourceName = sourceName;
    }

    static boolean isConvName(String name) {
        return Vgg19Weights.CONV_NAMES.contains(name);
    }

    /** Adds one layer; the weight's shape is [out, in, 3, 3] and the bias holds out values. */
    void add(String name, long[] weightShape, float[] weight, float[] bias) throws WeightsFormatException {
        String what = sourceName.apply(name);
        if (found.containsKey(name)) {
            throw new WeightsFormatException(file, what + " appears twice; expected one of each convolution");
        }
        if (weightShape.length != 4 || weightShape[2] != 3 || weightShape[3] != 3 || weightShape[0] < 1 || weightShape[1] < 1) {
            throw new WeightsFormatException(file, what + " has weights of shape " + Arrays.toString(weightShape)
                    + ", expected [out, in, 3, 3]");
        }
        if (elementCount(weightShape) != weight.length) {
            throw new WeightsFormatException(file, what + " holds " + weight.length + " weights, expected "
                    + weightShape[0] + "x" + weightShape[1] + "x3x3");
        }
        if (bias.length != weightShape[0]) {
            throw new WeightsFormatException(file, what + " has " + bias.length + " biases, expected " + weightShape[0]
                    + " (one per output channel)");
        }
        found.put(name, new ConvLayer(name, (int) weightShape[1], (int) weightShape[0], weight, bias));
    }

    /** The product of the dimensions, or -1 when one is negative or the product overflows. */
    static long elementCount(long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return n;
    }

    Vgg19Weights build(InputConvention convention) throws WeightsFormatException {
        List<ConvLayer> layers = new ArrayList<>();
        String firstMissing = null;
        for (String name : Vgg19Weights.CONV_NAMES) {
            ConvLayer layer = found.get(name);
            if (layer == null) {
                firstMissing = firstMissing == null ? name : firstMissing;
            } else if (firstMissing != null) {
                throw new WeightsFormatException(file, "has " + sourceName.apply(name) + " but lacks "
                        + sourceName.apply(firstMissing) + "; expected the convolutions of VGG-19 in order");
            } else {
                layers.add(layer);
            }
        }
        if (layers.size() < Vgg19Weights.REQUIRED_LAYERS) {
            throw new WeightsFormatException(file, "expected the VGG-19 convolutions conv1_1 to conv5_1, "
                    + (found.isEmpty() ? "found none" : "but " + sourceName.apply(firstMissing) + " is missing"));
        }
        try {
            return new Vgg19Weights(convention, layers, true);
        } catch (IllegalArgumentException e) {
            throw new WeightsFormatException(file, "the convolutions do not chain like VGG-19's: " + e.getMessage(), e);
        }
    }
}
