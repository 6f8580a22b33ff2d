package dev.painterly.engine.vgg;

import java.util.Locale;

/**
 * How a set of VGG-19 weights expects its input, stored in the weights file's metadata so that
 * the engine preprocesses images itself.
 */
public enum InputConvention {

    /** Caffe's VGG_ILSVRC_19_layers: BGR, values x256 (docs/algorithm.md), minus the mean pixel. */
    CAFFE,

    /** torchvision's vgg19: RGB in [0,1], minus the ImageNet mean, divided by its std. */
    TORCHVISION;

    /** Caffe's mean pixel in B, G, R order. */
    static final float[] CAFFE_MEAN_BGR = {103.939f, 116.779f, 123.68f};
    static final float[] IMAGENET_MEAN_RGB = {0.485f, 0.456f, 0.406f};
    static final float[] IMAGENET_STD_RGB = {0.229f, 0.224f, 0.225f};

    /** The metadata value: "caffe" or "torchvision". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InputConvention fromId(String id) {
        for (InputConvention c : values()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown input convention '" + id + "' (expected caffe or torchvision)");
    }

    /** Network input (3 x H x W, channel order of the convention) from an RGB image in [0,1]. */
    public float[] preprocess(float[] rgb, int height, int width) {
        int plane = height * width;
        float[] out = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                out[c * plane + p] = this == CAFFE
                        ? rgb[(2 - c) * plane + p] * 256f - CAFFE_MEAN_BGR[c]
                        : (rgb[c * plane + p] - IMAGENET_MEAN_RGB[c]) / IMAGENET_STD_RGB[c];
            }
        }
        return out;
    }

    /** The inverse of {@link #preprocess}: RGB in [0,1] (not clamped). */
    public float[] deprocess(float[] input, int height, int width) {
        int plane = height * width;
        float[] rgb = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                rgb[c * plane + p] = this == CAFFE
                        ? (input[(2 - c) * plane + p] + CAFFE_MEAN_BGR[2 - c]) / 256f
                        : input[c * plane + p] * IMAGENET_STD_RGB[c] + IMAGENET_MEAN_RGB[c];
            }
        }
        return rgb;
    }
}
