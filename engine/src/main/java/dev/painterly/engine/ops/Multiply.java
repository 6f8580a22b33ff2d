package dev.painterly.engine.ops;

import dev.painterly.engine.Check;
import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/** a * b elementwise (same shapes); d/da = g * b, d/db = g * a. */
public final class Multiply implements Node {

    private final Var a;
    private final Var b;
    private final Var out;

    private Multiply(Var a, Var b, Var out) {
        this.a = a;
        this.b = b;
        this.out = out;
    }

    public static Var apply(Var a, Var b) {
        Check.sameShape(a.value(), b.value());
        Device d = a.tape().device();
        Tensor y = d.allocate(a.shape());
        d.elementwise().multiply(a.value(), b.value(), y);
        return a.tape().record(y, o -> new Multiply(a, b, o), a, b);
    }

    @Override
    public void backward() {
        if (out.grad() == null) {
            return;
        }
        Device d = out.tape().device();
        if (a.requiresGrad()) {
            Tensor g = d.allocate(a.shape());
            d.elementwise().multiply(out.grad(), b.value(), g);
            a.accumulate(g);
        }
        if (b.requiresGrad()) {
            Tensor g = d.allocate(b.shape());
            d.elementwise().multiply(out.grad(), a.value(), g);
            b.accumulate(g);
        }
    }
}
