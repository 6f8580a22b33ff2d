package dev.painterly.engine.vgg;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The convolution weights of VGG-19 (conv1_1 to conv5_1, or more) with the input convention they
 * expect. Channel counts are read from the weights, so a narrow VGG-19-shaped network (as in the
 * golden tests) loads like the real one.
 */
public record Vgg19Weights(InputConvention convention, List<ConvLayer> layers, boolean trained) {

    /** The 16 convolutions of VGG-19, in order. */
    public static final List<String> CONV_NAMES = List.of(
            "conv1_1", "conv1_2",
            "conv2_1", "conv2_2",
            "conv3_1", "conv3_2", "conv3_3", "conv3_4",
            "conv4_1", "conv4_2", "conv4_3", "conv4_4",
            "conv5_1", "conv5_2", "conv5_3", "conv5_4");

    /** Output channels of each convolution in the ImageNet VGG-19. */
    public static final int[] CHANNELS = {64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512};

    /** The layers the harmonizer needs: conv1_1 up to conv5_1. */
    public static final int REQUIRED_LAYERS = 13;

    public Vgg19Weights {
        layers = List.copyOf(layers);
        if (layers.size() < REQUIRED_LAYERS) {
            throw new IllegalArgumentException("VGG-19 weights need at least conv1_1 to conv5_1 (13 layers), got "
                    + layers.size());
        }
        int in = 3;
        for (int i = 0; i < layers.size(); i++) {
            ConvLayer l = layers.get(i);
            if (!l.name().equals(CONV_NAMES.get(i))) {
                throw new IllegalArgumentException("layer " + i + " is " + l.name() + ", expected " + CONV_NAMES.get(i));
            }
            if (l.inChannels() != in) {
                throw new IllegalArgumentException(l.name() + " takes " + l.inChannels() + " channels but "
                        + (i == 0 ? "the image has 3" : CONV_NAMES.get(i - 1) + " gives " + in));
            }
            in = l.outChannels();
        }
    }

    public ConvLayer layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no layer " + name));
    }

    /**
     * A deterministic, untrained VGG-19 (conv1_1 to conv5_1) with variance-preserving
     * initialisation: weights normal with std sqrt(2 / (9 * in)) (He et al., suited to ReLU),
     * biases zero. Used when no ImageNet weights are installed; results then fall short of the
     * paper's quality.
     */
    public static Vgg19Weights untrained(long seed) {
        Random r = new Random(seed);
        List<ConvLayer> layers = new ArrayList<>();
        int in = 3;
        for (int i = 0; i < REQUIRED_LAYERS; i++) {
            int out = CHANNELS[i];
            float[] w = new float[out * in * 9];
            double std = Math.sqrt(2.0 / (9.0 * in));
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) (r.nextGaussian() * std);
            }
            layers.add(new ConvLayer(CONV_NAMES.get(i), in, out, w, new float[out]));
            in = out;
        }
        return new Vgg19Weights(InputConvention.CAFFE, layers, false);
    }
}
