package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/** The sum of all elements; every element's gradient is the output's. */
public final class Sum implements Node {

    private final Var x;
    private final Var out;

    private Sum(Var x, Var out) {
        this.x = x;
        this.out = out;
    }

    public static Var apply(Var x) {
        Device d = x.tape().device();
        double v = d.reductions().sum(x.value());
        return x.tape().recordScalar(Scalars.tensor(d, v), v, o -> new Sum(x, o), x);
    }

    @Override
    public void backward() {
        if (out.grad() == null) {
            return;
        }
        Device d = out.tape().device();
        Tensor g = d.allocate(x.shape());
        d.fill(g, Scalars.grad(out));
        x.accumulate(g);
    }
}
