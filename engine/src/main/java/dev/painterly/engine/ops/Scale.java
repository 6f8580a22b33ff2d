package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/** s * x for a constant s; the gradient is scaled by s. */
public final class Scale implements Node {

    private final Var x;
    private final double s;
    private final Var out;

    private Scale(Var x, double s, Var out) {
        this.x = x;
        this.s = s;
        this.out = out;
    }

    public static Var apply(Var x, double s) {
        Device d = x.tape().device();
        Tensor y = d.allocate(x.shape());
        d.elementwise().scale(x.value(), s, y);
        return x.tape().record(y, o -> new Scale(x, s, o), x);
    }

    @Override
    public void backward() {
        if (out.grad() == null) {
            return;
        }
        Device d = out.tape().device();
        Tensor g = d.allocate(x.shape());
        d.elementwise().scale(out.grad(), s, g);
        x.accumulate(g);
    }
}
