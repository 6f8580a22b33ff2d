package dev.painterly.engine.ops;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

/**
 * The columns of a C x H x W map at the positions of a {@link Columns}, each times its weight, as
 * a C x 1 x m map: out[c,0,i] = x[c,p_i] w_i. Backward: dx[c,p_i] = w_i dout[c,0,i], 0 at every
 * other position.
 */
public final class GatherColumns implements Node {

    private final Var x;
    private final Columns columns;
    private final Var out;

    private GatherColumns(Var x, Columns columns, Var out) {
        this.x = x;
        this.columns = columns;
        this.out = out;
    }

    /** The caller keeps {@code columns} open while the tape is. */
    public static Var apply(Var x, Columns columns) {
        columns.checkFits(x.value());
        Device d = x.tape().device();
        Tensor y = d.allocate(Shape.of(x.shape().channels(), 1, columns.count()));
        try {
            d.gather().gatherColumns(x.value(), columns.segments(), columns.weights(), y);
        } catch (RuntimeException e) {
            y.close();
            throw e;
        }
        return x.tape().record(y, o -> new GatherColumns(x, columns, o), x);
    }

    @Override
    public void backward() {
        if (out.grad() == null || !x.requiresGrad()) {
            return;
        }
        Device d = out.tape().device();
        Tensor g = d.allocate(x.shape());
        d.gather().scatterColumns(out.grad(), columns.segments(), columns.weights(), g);
        x.accumulate(g);
    }
}
