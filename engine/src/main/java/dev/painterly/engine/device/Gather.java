package dev.painterly.engine.device;

import dev.painterly.engine.Tensor;

/**
 * The entries of a tensor at a set of positions, moved to and from a compact vector: how an
 * optimiser works on only the entries that can change (the pixels under a pass's loose mask), so
 * that its history and its passes over it are no longer than those. Kernels: {@code gather.cl}.
 *
 * <p>Positions are m distinct indices into the tensor, stored as floats: exact below 2^24, which
 * {@link dev.painterly.engine.FloatPositions#MAX} bounds.
 */
public interface Gather {

    /** out[i] = source[positions[i]] for i &lt; m, out and positions of m elements. */
    void gather(Tensor source, Tensor positions, Tensor out);

    /** out[positions[i]] = values[i] for i &lt; m; the other entries of out keep their values. */
    void scatter(Tensor values, Tensor positions, Tensor out);

    /**
     * The columns of a C x H x W source at m of its plane positions, as a C x 1 x m map. The
     * positions are given as segments that tile the plane in order, three floats each: the
     * segment's first plane position p, its first column i (or -1 for a gap, whose positions are
     * not taken) and its length L; the runs take columns 0 to m - 1 in order.
     * out[c,0,i+k] = source[c,p+k] for k &lt; L in each run.
     */
    void gatherColumns(Tensor source, Tensor segments, Tensor out);

    /**
     * The adjoint of {@link #gatherColumns} for the same segments: out[c,p+k] = values[c,0,i+k]
     * in each run, 0 in each gap. Every entry of out is written.
     */
    void scatterColumns(Tensor values, Tensor segments, Tensor out);

    /**
     * (g + weight * scatterColumns(values)) * mask, in one pass that writes no full map of values:
     * a module's gradient, kept on its columns, joining the network's g. The mask is 1 x H x W;
     * out may be g.
     */
    void addColumnsMasked(Tensor g, Tensor values, Tensor segments, double weight, Tensor mask, Tensor out);

    /**
     * {@link #addColumnsMasked} with the weight divided by sqrt(squaredNorm[0]) + 1e-8, read on the
     * device: pass 2's normalised own gradient, squaredNorm the squared norm of values.
     */
    void addNormalizedColumnsMasked(Tensor g, Tensor values, Tensor segments, Tensor squaredNorm, double weight,
                                    Tensor mask, Tensor out);
}
