package dev.painterly.engine.ops;

import dev.painterly.engine.Check;
import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/** 2x2 max pooling, stride 2, ceil mode (Caffe): a side of n becomes ceil(n/2). */
public final class MaxPool2x2 implements Node {

    private final Var x;
    private final Var out;

    private MaxPool2x2(Var x, Var out) {
        this.x = x;
        this.out = out;
    }

    public static Var apply(Var x) {
        Device d = x.tape().device();
        Tensor y = d.allocate(Check.pooled(x.shape()));
        d.pooling().maxPool2x2(x.value(), y);
        return x.tape().record(y, o -> new MaxPool2x2(x, o), x);
    }

    @Override
    public void backward() {
        if (out.grad() == null) {
            return;
        }
        Device d = out.tape().device();
        Tensor gx = d.allocate(x.shape());
        d.pooling().maxPool2x2Backward(x.value(), out.grad(), gx);
        x.accumulate(gx);
    }
}
