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
 * steps, in order: add another gradient, multiply by a mask, scale, normalise to unit L2 norm and
 * scale. This is how the loss modules of docs/algorithm.md weight their own gradients and inject them:
 * a module's own gradient is weighted by {@code scale(w)} in pass 1 and
 * {@code normalizeAndScale(w)} in pass 2, then joins the network's by {@code add(own gradient),
 * mask(m_L)}. A gradient that has not arrived counts as zero, so a module at the top of the network
 * still injects its own.
 */
public final class GradientTransform implements Node {

    /** One rewrite of the gradient g. */
    public sealed interface Step permits AddGradient, Mask, Scale, NormalizeAndScale {
    }

    /** g = g + extra (extra has x's shape; the caller keeps ownership). */
    public record AddGradient(Tensor extra) implements Step {
    }

    /** g = g * mask, a 1 x H x W mask broadcast over channels. */
    public record Mask(Tensor mask) implements Step {
    }

    /** g = weight * g: the pass-1 rule. */
    public record Scale(double weight) implements Step {
    }

    /** g = weight * g / (||g||_2 + 1e-8): the pass-2 rule. */
    public record NormalizeAndScale(double weight) implements Step {
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
        for (Step s : steps) {
            if (s instanceof AddGradient a) {
                Check.sameShape(x.value(), a.extra());
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
                // A module's gradient joining the network's at its layer: one pass, not two.
                g = addMasked(d, g, a.extra(), m.mask());
                i++;
            } else if (s instanceof AddGradient a) {
                g = addMasked(d, g, a.extra(), null);
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
        if (g == null) {
            g = d.allocate(x.shape());
            d.fill(g, 0f);
        }
        x.accumulate(g);
    }

    /** (g + extra) * mask, in g where there is one; the mask may be null (none). */
    private Tensor addMasked(Device d, Tensor g, Tensor extra, Tensor mask) {
        if (g == null) {
            g = d.allocate(x.shape());
            if (mask == null) {
                d.copy(extra, g);
            } else {
                d.elementwise().maskMultiply(extra, mask, g);
            }
        } else if (mask == null) {
            d.elementwise().axpy(1f, extra, g);
        } else {
            d.elementwise().addMasked(g, extra, mask, g);
        }
        return g;
    }
}
