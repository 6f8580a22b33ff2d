package dev.painterly.engine.ops;

import dev.painterly.engine.Check;
import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.autodiff.Node;
import dev.painterly.engine.autodiff.Var;

import java.util.ArrayList;
import java.util.List;

/**
 * Identity on the way forward; on the way back it rewrites the arriving gradient by a list of
 * steps, in order: add another gradient (weighted; a whole map, or only its columns at some
 * positions, 0 elsewhere), multiply by a mask, scale, normalise to unit L2 norm and scale. This is
 * how the loss modules of docs/algorithm.md inject their own gradients: a module's own gradient,
 * weighted by {@code Scale(w)} in pass 1 and {@code NormalizeAndScale(w)} in pass 2, joins the
 * network's by {@code AddGradient(own gradient, weighting), Mask(m_L)}, or
 * {@code AddColumns(own gradient's columns, columns, weighting), Mask(m_L)}: one pass over the
 * gradient for all three (pass 2's norm is a reduction before it). A gradient that has not
 * arrived counts as zero, so a module at the top of the network still injects its own.
 */
public final class GradientTransform implements Node {

    /** One rewrite of the gradient g. */
    public sealed interface Step permits AddGradient, AddColumns, Mask, Weighting {
    }

    /** A rewrite that weights g: as a step on its own, or applied to an added gradient. */
    public sealed interface Weighting extends Step permits Scale, NormalizeAndScale {
    }

    /**
     * g = g + weighting(extra), extra left as it is (it has x's shape; the caller keeps ownership).
     * A normalising weighting must be followed by a {@link Mask}: the two run as one kernel.
     */
    public record AddGradient(Tensor extra, Weighting weighting) implements Step {

        /** extra as it is. */
        public AddGradient(Tensor extra) {
            this(extra, new Scale(1));
        }
    }

    /**
     * g = g + weighting(the map that is {@code values} at the positions of {@code columns} and 0
     * elsewhere), values C x 1 x m (the caller keeps both). It must be followed by a {@link Mask}:
     * the two run as one kernel, and no full map of values is ever written.
     */
    public record AddColumns(Tensor values, Columns columns, Weighting weighting) implements Step {
    }

    /** g = g * mask, a 1 x H x W mask broadcast over channels. */
    public record Mask(Tensor mask) implements Step {
    }

    /** g = weight * g: the pass-1 rule. */
    public record Scale(double weight) implements Weighting {
    }

    /** g = weight * g / (||g||_2 + 1e-8): the pass-2 rule. */
    public record NormalizeAndScale(double weight) implements Weighting {
    }

    private final Var x;
    private final List<Step> steps;
    private final Var out;

    private GradientTransform(Var x, List<Step> steps, Var out) {
        this.x = x;
        this.steps = steps;
        this.out = out;
    }

    public static Var apply(Var x, List<Step> steps) {
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s instanceof AddGradient a) {
                Check.sameShape(x.value(), a.extra());
                if (a.weighting() instanceof NormalizeAndScale && !(i + 1 < steps.size() && steps.get(i + 1) instanceof Mask)) {
                    throw new IllegalArgumentException("a normalised added gradient needs a mask step after it");
                }
            } else if (s instanceof AddColumns a) {
                a.columns().checkFits(x.value());
                Check.shape(a.values(), Shape.of(x.shape().channels(), 1, a.columns().count()), "columns");
                if (!(i + 1 < steps.size() && steps.get(i + 1) instanceof Mask)) {
                    throw new IllegalArgumentException("added columns need a mask step after them");
                }
            } else if (s instanceof Mask m) {
                Check.maskFor(x.value(), m.mask());
            }
        }
        List<Step> copy = List.copyOf(new ArrayList<>(steps));
        return x.tape().recordAlias(x.value(), o -> new GradientTransform(x, copy, o), x);
    }

    @Override
    public void backward() {
        Device d = out.tape().device();
        // The arriving gradient dies with this node, so it is rewritten in place, not copied. Null
        // is zero: scaling, masking or normalising it leaves it zero, so no kernel runs for it.
        Tensor g = out.takeGrad();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s instanceof AddGradient a && i + 1 < steps.size() && steps.get(i + 1) instanceof Mask m) {
                // A module's gradient joining the network's at its layer: weighted, added and masked in one pass.
                g = addMasked(d, g, a, m.mask());
                i++;
            } else if (s instanceof AddColumns a) {
                // apply() checked that a Mask follows.
                g = addColumnsMasked(d, g, a, ((Mask) steps.get(i + 1)).mask());
                i++;
            } else if (s instanceof AddGradient a) {
                g = add(d, g, a);
            } else if (g == null) {
                continue;
            } else if (s instanceof Mask m) {
                d.elementwise().maskMultiply(g, m.mask(), g);
            } else if (s instanceof Scale c) {
                d.elementwise().scale(g, c.weight(), g);
            } else if (s instanceof NormalizeAndScale n) {
                // The norm stays on the device: no transfer, and the queue keeps running.
                try (Tensor squared = d.allocate(Shape.vector(1))) {
                    d.reductions().dot(g, g, squared);
                    d.elementwise().scaleByNorm(g, squared, n.weight(), g);
                }
            }
        }
        x.accumulate(arrived(d, g));
    }

    /** (g + weighting(extra)) * mask, in g; a g that has not arrived is zero. */
    private Tensor addMasked(Device d, Tensor g, AddGradient a, Tensor mask) {
        g = arrived(d, g);
        if (a.weighting() instanceof NormalizeAndScale n) {
            try (Tensor squared = d.allocate(Shape.vector(1))) {
                d.reductions().dot(a.extra(), a.extra(), squared);
                d.elementwise().addNormalizedMasked(g, a.extra(), squared, n.weight(), mask, g);
            }
        } else if (a.weighting() instanceof Scale c) {
            d.elementwise().addMasked(g, a.extra(), c.weight(), mask, g);
        }
        return g;
    }

    /** (g + weighting(the columns' map)) * mask, in g; a g that has not arrived is zero. */
    private Tensor addColumnsMasked(Device d, Tensor g, AddColumns a, Tensor mask) {
        g = arrived(d, g);
        Tensor segments = a.columns().segments();
        if (a.weighting() instanceof NormalizeAndScale n) {
            // The map is 0 off the columns: its norm is theirs.
            try (Tensor squared = d.allocate(Shape.vector(1))) {
                d.reductions().dot(a.values(), a.values(), squared);
                d.gather().addNormalizedColumnsMasked(g, a.values(), segments, squared, n.weight(), mask, g);
            }
        } else if (a.weighting() instanceof Scale c) {
            d.gather().addColumnsMasked(g, a.values(), segments, c.weight(), mask, g);
        }
        return g;
    }

    /** g + w extra, in g; a g that has not arrived is zero. */
    private Tensor add(Device d, Tensor g, AddGradient a) {
        g = arrived(d, g);
        // apply() lets only a Scale stand without a mask after it.
        d.elementwise().axpy(((Scale) a.weighting()).weight(), a.extra(), g);
        return g;
    }

    /** g, or zeros for a gradient that has not arrived. */
    private Tensor arrived(Device d, Tensor g) {
        if (g != null) {
            return g;
        }
        Tensor zeros = d.allocate(x.shape());
        d.fill(zeros, 0f);
        return zeros;
    }
}
