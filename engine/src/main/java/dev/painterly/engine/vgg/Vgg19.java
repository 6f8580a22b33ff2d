package dev.painterly.engine.vgg;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Tape;
import dev.painterly.engine.autodiff.Var;
import dev.painterly.engine.ops.Conv3x3;
import dev.painterly.engine.ops.Conv3x3Relu;
import dev.painterly.engine.ops.Crop;
import dev.painterly.engine.ops.MaxPool2x2;
import dev.painterly.engine.ops.Relu;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The convolutional part of VGG-19 on a device: 3x3 convolutions with ReLU, and 2x2 max pooling
 * in ceil mode (Caffe) after relu1_2, relu2_2, relu3_4 and relu4_4. Layers have the standard
 * names (conv1_1, relu1_1, ..., pool1, ...). A forward pass runs only as deep as the deepest
 * layer asked for. The weights are constants on the tape: backward reaches the image only. Each
 * convolution runs fused with its ReLU ({@link Conv3x3Relu}) unless its own output, the
 * pre-activation, is asked for.
 */
public final class Vgg19 implements AutoCloseable {

    /**
     * Sees (and may replace) the activations of a forward pass: those of every relu and pool
     * layer, and of the conv layers whose outputs were asked for (see {@link #forward}).
     */
    @FunctionalInterface
    public interface LayerHook {
        Var at(String layer, Var activation);
    }

    private final Device device;
    private final Vgg19Weights weights;
    private final List<String> layerNames;
    private final Tensor[] kernels;
    private final Tensor[] biases;

    public Vgg19(Device device, Vgg19Weights weights) {
        this.device = device;
        this.weights = weights;
        this.layerNames = layerNames(weights.layers().size());
        int n = weights.layers().size();
        this.kernels = new Tensor[n];
        this.biases = new Tensor[n];
        try {
            for (int i = 0; i < n; i++) {
                ConvLayer l = weights.layers().get(i);
                kernels[i] = device.upload(Shape.vector(l.weight().length), l.weight());
                biases[i] = device.upload(Shape.vector(l.bias().length), l.bias());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Every layer name of a network with the given number of convolutions, in order. */
    static List<String> layerNames(int convolutions) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < convolutions; i++) {
            String conv = Vgg19Weights.CONV_NAMES.get(i);
            names.add(conv);
            names.add(conv.replace("conv", "relu"));
            if (conv.equals("conv1_2") || conv.equals("conv2_2") || conv.equals("conv3_4") || conv.equals("conv4_4")) {
                names.add("pool" + conv.charAt(4));
            }
        }
        return List.copyOf(names);
    }

    public List<String> layerNames() {
        return layerNames;
    }

    public Device device() {
        return device;
    }

    public Vgg19Weights weights() {
        return weights;
    }

    public InputConvention convention() {
        return weights.convention();
    }

    /** Uploads an RGB image in [0,1] (3 x H x W) as network input, in the weights' convention. */
    public Tensor preprocess(float[] rgb, int height, int width) {
        return device.upload(Shape.of(3, height, width), convention().preprocess(rgb, height, width));
    }

    /** The activations of the named layers (as deep as the deepest of them). */
    public Map<String, Var> features(Tape tape, Var input, Collection<String> layers) {
        Map<String, Var> out = new LinkedHashMap<>();
        forward(tape, input, deepest(layers), Set.copyOf(layers), (name, v) -> {
            if (layers.contains(name)) {
                out.put(name, v);
            }
            return v;
        });
        return out;
    }

    /** The deepest of the named layers; unknown names are an error naming the known ones. */
    public String deepest(Collection<String> layers) {
        int best = -1;
        for (String l : layers) {
            int i = layerNames.indexOf(l);
            if (i < 0) {
                throw new IllegalArgumentException("unknown VGG-19 layer '" + l + "'; layers are " + String.join(",", layerNames));
            }
            best = Math.max(best, i);
        }
        if (best < 0) {
            throw new IllegalArgumentException("no layer asked for");
        }
        return layerNames.get(best);
    }

    /**
     * Runs the network up to and including {@code last}, passing the activation of every relu
     * and pool layer through the hook, and that of {@code last}. Convolutions run fused with
     * their ReLU, so the hook sees no conv layer but {@code last}: see the overload that names
     * conv layers to show it.
     */
    public Var forward(Tape tape, Var input, String last, LayerHook hook) {
        return forward(tape, input, last, Set.of(), hook);
    }

    /**
     * As {@link #forward(Tape, Var, String, LayerHook)}, with the hook also seeing the conv layers
     * named in {@code shown} (other names there are ignored): those convolutions run apart from
     * their ReLU, which then reads what the hook returns.
     */
    public Var forward(Tape tape, Var input, String last, Set<String> shown, LayerHook hook) {
        return forward(tape, input, last, shown, Map.of(), hook);
    }

    /**
     * As {@link #forward(Tape, Var, String, Set, LayerHook)}, with the backward pass of each conv
     * layer named in {@code crops} computed on its crop alone ({@link Conv3x3Relu#apply(Var, Var, Var, Crop)}):
     * the caller knows the gradient reaching that layer's output to be 0 outside the crop shrunk by
     * one. A conv layer run apart from its ReLU (shown, or the last) runs whole. The caller keeps
     * the crops.
     */
    public Var forward(Tape tape, Var input, String last, Set<String> shown, Map<String, Crop> crops, LayerHook hook) {
        if (!layerNames.contains(last)) {
            throw new IllegalArgumentException("unknown VGG-19 layer '" + last + "'");
        }
        Var x = input;
        int conv = 0;
        boolean fused = false;
        for (String name : layerNames) {
            if (name.startsWith("conv")) {
                Var w = tape.constant(kernels[conv]);
                Var b = tape.constant(biases[conv]);
                conv++;
                fused = !name.equals(last) && !shown.contains(name);
                if (fused) {
                    // The output is the relu layer's, which the next step shows.
                    x = Conv3x3Relu.apply(x, w, b, crops.get(name));
                    continue;
                }
                x = Conv3x3.apply(x, w, b);
            } else if (name.startsWith("relu")) {
                if (!fused) {
                    x = Relu.apply(x);
                }
            } else {
                x = MaxPool2x2.apply(x);
            }
            x = hook.at(name, x);
            if (name.equals(last)) {
                return x;
            }
        }
        throw new IllegalStateException("unreachable: " + last);
    }

    @Override
    public void close() {
        for (Tensor t : kernels) {
            if (t != null) {
                t.close();
            }
        }
        for (Tensor t : biases) {
            if (t != null) {
                t.close();
            }
        }
    }
}
