package dev.painterly.engine.autodiff;

/** A recorded op: propagates its output's gradient to its inputs. */
@FunctionalInterface
public interface Node {

    /** Adds this op's contribution to the gradients of its inputs (which need one). */
    void backward();
}
