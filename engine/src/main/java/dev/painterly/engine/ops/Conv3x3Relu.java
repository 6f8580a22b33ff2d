package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
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
    /** Where the input's gradient can be non-zero, or null for anywhere: see {@link #apply(Var, Var, Var, Crop)}. */
    private final Crop crop;

    private Conv3x3Relu(Var x, Var weight, Var bias, Var out, Crop crop) {
        this.x = x;
        this.weight = weight;
        this.bias = bias;
        this.out = out;
        this.crop = crop;
    }

    public static Var apply(Var x, Var weight, Var bias) {
        return apply(x, weight, bias, null);
    }

    /**
     * As {@link #apply(Var, Var, Var)}, for an output whose gradient is known to be 0 outside
     * {@code crop}'s rectangle shrunk by one position on each side (a side on the plane's border
     * stays): the input's gradient is then 0 outside the rectangle, and within it needs only the
     * output's gradient there, with zeros around as the padding gives, so backward computes it on
     * the rectangle alone. A null crop is the whole plane. The caller keeps the crop.
     */
    public static Var apply(Var x, Var weight, Var bias, Crop crop) {
        Device d = x.tape().device();
        Tensor y = d.allocate(Conv3x3.outputShape(x, weight, bias));
        d.convolution().conv3x3Relu(x.value(), weight.value(), bias == null ? null : bias.value(), y);
        return bias == null
                ? x.tape().record(y, o -> new Conv3x3Relu(x, weight, null, o, crop), x, weight)
                : x.tape().record(y, o -> new Conv3x3Relu(x, weight, bias, o, crop), x, weight, bias);
    }

    @Override
    public void backward() {
        Tensor g = out.grad();
        if (g == null) {
            return;
        }
        Device d = out.tape().device();
        if (x.requiresGrad()) {
            x.accumulate(crop == null ? inputGradient(d, g, out.value()) : croppedInputGradient(d, g));
        }
        if (Conv3x3.needsWeightGradients(weight, bias)) {
            // The gradient to the pre-activation, made apart: only training needs it.
            try (Tensor gz = d.allocate(out.shape())) {
                d.elementwise().reluBackward(out.value(), g, gz);
                Conv3x3.accumulateWeightGradients(d, x, weight, bias, gz);
            }
        }
    }

    /** The input's gradient, of g's size, from the output's gradient g and the output y there. */
    private Tensor inputGradient(Device d, Tensor g, Tensor y) {
        Tensor gx = d.allocate(Shape.of(x.shape().channels(), g.shape().height(), g.shape().width()));
        try {
            d.convolution().conv3x3ReluBackwardInput(g, y, weight.value(), gx);
        } catch (RuntimeException e) {
            gx.close();
            throw e;
        }
        return gx;
    }

    /** The input's gradient from the output's on the crop alone, placed in a map of 0s. */
    private Tensor croppedInputGradient(Device d, Tensor g) {
        try (Tensor gc = crop.cut(g); Tensor yc = crop.cut(out.value())) {
            return crop.place(inputGradient(d, gc, yc));
        }
    }
}
