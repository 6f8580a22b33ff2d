package dev.painterly.engine.ops;

import dev.painterly.engine.Check;
import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/**
 * 3x3 convolution, stride 1, zero padding 1, with bias. Weight: [out][in][3][3] as a vector of
 * out*in*9 elements; bias: [out] (may be null). The weights' gradient is computed only when they
 * need one (never in harmonization, where only the image is optimised).
 */
public final class Conv3x3 implements Node {

    private final Var x;
    private final Var weight;
    private final Var bias;
    private final Var out;

    private Conv3x3(Var x, Var weight, Var bias, Var out) {
        this.x = x;
        this.weight = weight;
        this.bias = bias;
        this.out = out;
    }

    public static Var apply(Var x, Var weight, Var bias) {
        Device d = x.tape().device();
        Tensor y = d.allocate(outputShape(x, weight, bias));
        d.convolution().conv3x3(x.value(), weight.value(), bias == null ? null : bias.value(), y);
        return bias == null
                ? x.tape().record(y, o -> new Conv3x3(x, weight, null, o), x, weight)
                : x.tape().record(y, o -> new Conv3x3(x, weight, bias, o), x, weight, bias);
    }

    /** The output's shape, once the weights and bias are checked against the input (also for {@link Conv3x3Relu}). */
    static Shape outputShape(Var x, Var weight, Var bias) {
        Shape in = x.shape();
        int outChannels = weight.shape().size() / (9 * in.channels());
        Check.size(weight.value(), outChannels * in.channels() * 9, "conv weight");
        if (bias != null) {
            Check.size(bias.value(), outChannels, "conv bias");
        }
        return in.withChannels(outChannels);
    }

    @Override
    public void backward() {
        Tensor g = out.grad();
        if (g == null) {
            return;
        }
        Device d = out.tape().device();
        if (x.requiresGrad()) {
            Tensor gx = d.allocate(x.shape());
            d.convolution().conv3x3BackwardInput(g, weight.value(), gx);
            x.accumulate(gx);
        }
        if (needsWeightGradients(weight, bias)) {
            accumulateWeightGradients(d, x, weight, bias, g);
        }
    }

    /** Whether the weights or the bias want a gradient (only in training, never in harmonization). */
    static boolean needsWeightGradients(Var weight, Var bias) {
        return weight.requiresGrad() || bias != null && bias.requiresGrad();
    }

    /** Adds the gradients of the weights and bias, given the gradient g of the convolution's output (also for {@link Conv3x3Relu}). */
    static void accumulateWeightGradients(Device d, Var x, Var weight, Var bias, Tensor g) {
        boolean biasGrad = bias != null && bias.requiresGrad();
        Tensor gw = d.allocate(weight.shape());
        Tensor gb = biasGrad ? d.allocate(bias.shape()) : null;
        d.convolution().conv3x3BackwardWeight(x.value(), g, gw, gb);
        weight.accumulate(gw);
        if (gb != null) {
            bias.accumulate(gb);
        }
    }
}
