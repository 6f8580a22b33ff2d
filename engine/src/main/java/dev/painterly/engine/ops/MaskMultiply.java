package dev.painterly.engine.ops;

import dev.painterly.engine.Check;
import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/**
 * x * mask with a 1 x H x W mask broadcast over the C channels of x. The mask's gradient is the
 * channel sum of g * x (needed only when the mask itself is optimised).
 */
public final class MaskMultiply implements Node {

    private final Var x;
    private final Var mask;
    private final Var out;

    private MaskMultiply(Var x, Var mask, Var out) {
        this.x = x;
        this.mask = mask;
        this.out = out;
    }

    public static Var apply(Var x, Var mask) {
        Check.maskFor(x.value(), mask.value());
        Device d = x.tape().device();
        Tensor y = d.allocate(x.shape());
        d.elementwise().maskMultiply(x.value(), mask.value(), y);
        return x.tape().record(y, o -> new MaskMultiply(x, mask, o), x, mask);
    }

    @Override
    public void backward() {
        if (out.grad() == null) {
            return;
        }
        Device d = out.tape().device();
        if (mask.requiresGrad()) {
            Tensor g = d.allocate(mask.shape());
            d.elementwise().maskMultiplyBackward(x.value(), out.grad(), g);
            mask.accumulate(g);
        }
        if (x.requiresGrad()) {
            // The arriving gradient dies with this node: x's is made from it in place.
            Tensor g = out.takeGrad();
            d.elementwise().maskMultiply(g, mask.value(), g);
            x.accumulate(g);
        }
    }
}
