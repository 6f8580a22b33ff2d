package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/** The mean of all elements; every element's gradient is the output's divided by the count. */
public final class Mean implements Node {

    private final Var x;
    private final Var out;

    private Mean(Var x, Var out) {
        this.x = x;
        this.out = out;
    }

    public static Var apply(Var x) {
        Device d = x.tape().device();
        double v = d.reductions().sum(x.value()) / x.value().size();
        return x.tape().recordScalar(Scalars.tensor(d, v), v, o -> new Mean(x, o), x);
    }

    @Override
    public void backward() {
        if (out.grad() == null) {
            return;
        }
        Device d = out.tape().device();
        Tensor g = d.allocate(x.shape());
        d.fill(g, Scalars.grad(out) / x.value().size());
        x.accumulate(g);
    }
}
