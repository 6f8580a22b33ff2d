package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/**
 * max(0, {@link Conv3x3}(x)): a convolution and the ReLU after it, as one op so that the ReLU
 * runs inside the convolution's kernels both ways, without a pass of its own over the map and
 * without keeping the pre-activation. The ReLU's gradient needs only where its output is
 * positive, which is where its input was. As in Conv3x3, the weights' gradient is computed only
 * when they need one (never in harmonization).
 */
public final class Conv3x3Relu implements Node {

    private final Var x;
    private final Var weight;
    private final Var bias;
    private final Var out;

    private Conv3x3Relu(Var x, Var weight, Var bias, Var out) {
        this.x = x;
        this.weight = weight;
        this.bias = bias;
        this.out = out;
    }

    public static Var apply(Var x, Var weight, Var bias) {
        Device d = x.tape().device();
        Tensor y = d.allocate(Conv3x3.outputShape(x, weight, bias));
        d.convolution().conv3x3Relu(x.value(), weight.value(), bias == null ? null : bias.value(), y);
        return bias == null
                ? x.tape().record(y, o -> new Conv3x3Relu(x, weight, null, o), x, weight)
                : x.tape().record(y, o -> new Conv3x3Relu(x, weight, bias, o), x, weight, bias);
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
            d.convolution().conv3x3ReluBackwardInput(g, out.value(), weight.value(), gx);
            x.accumulate(gx);
        }
        if (Conv3x3.needsWeightGradients(weight, bias)) {
            // The gradient to the pre-activation, made apart: only training needs it.
            try (Tensor gz = d.allocate(out.shape())) {
                d.elementwise().reluBackward(out.value(), g, gz);
                Conv3x3.accumulateWeightGradients(d, x, weight, bias, gz);
            }
        }
    }
}
