package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/**
 * 3x3 average, stride 1, zero padding 1, always divided by 9 (how masks walk through the conv
 * layers). The operator is symmetric, so its backward is itself.
 */
public final class AvgPool3x3 implements Node {

    private final Var x;
    private final Var out;

    private AvgPool3x3(Var x, Var out) {
        this.x = x;
        this.out = out;
    }

    public static Var apply(Var x) {
        Device d = x.tape().device();
        Tensor y = d.allocate(x.shape());
        d.pooling().avgPool3x3(x.value(), y);
        return x.tape().record(y, o -> new AvgPool3x3(x, o), x);
    }

    @Override
    public void backward() {
        if (out.grad() == null) {
            return;
        }
        Device d = out.tape().device();
        Tensor gx = d.allocate(x.shape());
        d.pooling().avgPool3x3(out.grad(), gx);
        x.accumulate(gx);
    }
}
