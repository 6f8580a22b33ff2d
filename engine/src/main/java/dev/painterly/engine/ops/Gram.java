package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/**
 * scale * F' F'^T, with F' the C x (H*W) reshape of a C x H x W map; the result is 1 x C x C.
 * Backward: dF' = scale * (dG + dG^T) F'.
 */
public final class Gram implements Node {

    private final Var f;
    private final double scale;
    private final Var out;

    private Gram(Var f, double scale, Var out) {
        this.f = f;
        this.scale = scale;
        this.out = out;
    }

    public static Var apply(Var f, double scale) {
        int c = f.shape().channels();
        Device d = f.tape().device();
        Tensor g = d.allocate(Shape.of(1, c, c));
        d.gram().gram(f.value(), scale, g);
        return f.tape().record(g, o -> new Gram(f, scale, o), f);
    }

    @Override
    public void backward() {
        if (out.grad() == null) {
            return;
        }
        Device d = out.tape().device();
        Tensor gf = d.allocate(f.shape());
        d.gram().gramBackward(f.value(), out.grad(), scale, gf);
        f.accumulate(gf);
    }
}
