package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/** max(x, 0); the gradient passes where the input was positive. */
public final class Relu implements Node {

    private final Var x;
    private final Var out;

    private Relu(Var x, Var out) {
        this.x = x;
        this.out = out;
    }

    public static Var apply(Var x) {
        Device d = x.tape().device();
        Tensor y = d.allocate(x.shape());
        d.elementwise().relu(x.value(), y);
        return x.tape().record(y, o -> new Relu(x, o), x);
    }

    @Override
    public void backward() {
        if (out.grad() == null) {
            return;
        }
        Device d = out.tape().device();
        Tensor gx = d.allocate(x.shape());
        d.elementwise().reluBackward(x.value(), out.grad(), gx);
        x.accumulate(gx);
    }
}
