package dev.painterly.engine.vgg;

/**
 * One 3x3 convolution of VGG-19 on the host: weight [out][in][3][3] (PyTorch's order), bias
 * [out].
 */
public record ConvLayer(String name, int inChannels, int outChannels, float[] weight, float[] bias) {

    public ConvLayer {
        if (weight.length != outChannels * inChannels * 9) {
            throw new IllegalArgumentException(name + ": weight has " + weight.length + " values, expected "
                    + outChannels + "x" + inChannels + "x3x3");
        }
        if (bias.length != outChannels) {
            throw new IllegalArgumentException(name + ": bias has " + bias.length + " values, expected " + outChannels);
        }
    }
}
