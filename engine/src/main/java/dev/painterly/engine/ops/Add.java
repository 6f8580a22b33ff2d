package dev.painterly.engine.ops;

import dev.painterly.engine.Check;
import dev.painterly.engine.Device;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/** a + b (same shapes); the gradient flows unchanged to both. */
public final class Add implements Node {

    private final Var a;
    private final Var b;
    private final Var out;

    private Add(Var a, Var b, Var out) {
        this.a = a;
        this.b = b;
        this.out = out;
    }

    public static Var apply(Var a, Var b) {
        Check.sameShape(a.value(), b.value());
        Device d = a.tape().device();
        Tensor y = d.allocate(a.shape());
        d.elementwise().add(a.value(), b.value(), y);
        return a.tape().record(y, o -> new Add(a, b, o), a, b);
    }

    @Override
    public void backward() {
        if (out.grad() == null) {
            return;
        }
        Device d = out.tape().device();
        for (Var v : new Var[] {a, b}) {
            if (v.requiresGrad()) {
                Tensor g = d.allocate(v.shape());
                d.copy(out.grad(), g);
                v.accumulate(g);
            }
        }
    }
}
