package dev.painterly.engine.vgg;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.engine.ops.Conv3x3;
import dev.painterly.engine.ops.MaxPool2x2;
import dev.painterly.engine.ops.Relu;

import java.util.ArrayList;
import java.util.List;

/**
 * Data-dependent normalisation of an untrained network (in the spirit of Krähenbühl et al. 2016's
 * data-dependent initialisation): layer by layer from conv1_1, each output channel's weights and
 * bias are divided and shifted so that its pre-activation has mean 0 and variance 1 over the
 * calibration images, given the already normalised layers below. Random filters of a deep ReLU
 * network otherwise give channels of wildly different scales, and the style losses then see
 * mostly the few loudest ones.
 */
public final class ChannelCalibration {

    /** A channel whose pre-activation is constant over the images is left unscaled rather than divided by 0. */
    private static final double MIN_STD = 1e-12;

    private ChannelCalibration() {
    }

    /**
     * The network with every layer normalised on {@code images} (RGB in [0,1], any sizes), run
     * on {@code device} in the weights' input convention, with ceil-mode pooling as in {@link Vgg19}.
     */
    public static Vgg19Weights normalise(Device device, Vgg19Weights weights, List<RgbImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("calibration needs at least one image");
        }
        List<String> order = Vgg19.layerNames(weights.layers().size());
        List<float[]> inputs = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (RgbImage im : images) {
            inputs.add(weights.convention().preprocess(im.planes(), im.height(), im.width()));
            shapes.add(Shape.of(3, im.height(), im.width()));
        }
        List<ConvLayer> normalised = new ArrayList<>();
        for (ConvLayer layer : weights.layers()) {
            List<float[]> pre = new ArrayList<>();
            try (Tensor w = device.upload(Shape.vector(layer.weight().length), layer.weight());
                 Tensor b = device.upload(Shape.vector(layer.bias().length), layer.bias())) {
                for (int i = 0; i < inputs.size(); i++) {
                    try (Tape tape = new Tape(device); Tensor x = device.upload(shapes.get(i), inputs.get(i))) {
                        pre.add(Conv3x3.apply(tape.constant(x), tape.constant(w), tape.constant(b)).value().toArray());
                    }
                }
            }
            Standardisation st = Standardisation.of(layer.outChannels(), pre);
            normalised.add(st.applyTo(layer));
            if (normalised.size() == weights.layers().size()) {
                break;
            }
            // The next layer's input is this layer's output as the normalised network computes it.
            boolean pooled = order.get(order.indexOf(layer.name().replace("conv", "relu")) + 1).startsWith("pool");
            for (int i = 0; i < inputs.size(); i++) {
                Shape s = shapes.get(i).withChannels(layer.outChannels());
                try (Tape tape = new Tape(device); Tensor t = device.upload(s, st.applyTo(pre.get(i)))) {
                    Var v = Relu.apply(tape.constant(t));
                    if (pooled) {
                        v = MaxPool2x2.apply(v);
                    }
                    inputs.set(i, v.value().toArray());
                    shapes.set(i, v.shape());
                }
            }
        }
        return new Vgg19Weights(weights.convention(), normalised, false);
    }

    /** Per channel c: y is mapped to (y - mean[c]) * scale[c], statistics pooled over all images and pixels. */
    record Standardisation(double[] mean, double[] scale) {

        static Standardisation of(int channels, List<float[]> preActivations) {
            double[] sum = new double[channels], squares = new double[channels];
            long count = 0;
            for (float[] y : preActivations) {
                int plane = y.length / channels;
                count += plane;
                for (int c = 0; c < channels; c++) {
                    for (int p = c * plane; p < (c + 1) * plane; p++) {
                        sum[c] += y[p];
                        squares[c] += (double) y[p] * y[p];
                    }
                }
            }
            double[] mean = new double[channels], scale = new double[channels];
            for (int c = 0; c < channels; c++) {
                mean[c] = sum[c] / count;
                double std = Math.sqrt(Math.max(0, squares[c] / count - mean[c] * mean[c]));
                scale[c] = std > MIN_STD ? 1 / std : 1;
            }
            return new Standardisation(mean, scale);
        }

        /** The layer whose pre-activation is the standardised one: w * scale, (b - mean) * scale. */
        ConvLayer applyTo(ConvLayer layer) {
            float[] w = layer.weight().clone();
            float[] b = layer.bias().clone();
            int fan = layer.inChannels() * 9;
            for (int c = 0; c < mean.length; c++) {
                for (int k = c * fan; k < (c + 1) * fan; k++) {
                    w[k] = (float) (w[k] * scale[c]);
                }
                b[c] = (float) ((b[c] - mean[c]) * scale[c]);
            }
            return new ConvLayer(layer.name(), layer.inChannels(), layer.outChannels(), w, b);
        }

        /** The standardised pre-activation from the raw one, without another convolution. */
        float[] applyTo(float[] pre) {
            float[] y = new float[pre.length];
            int plane = pre.length / mean.length;
            for (int c = 0; c < mean.length; c++) {
                for (int p = c * plane; p < (c + 1) * plane; p++) {
                    y[p] = (float) ((pre[p] - mean[c]) * scale[c]);
                }
            }
            return y;
        }
    }
}
