package dev.painterly.engine.device;

import dev.painterly.engine.Tensor;

/**
 * The entries of a tensor at a set of positions, moved to and from a compact vector: how an
 * optimiser works on only the entries that can change (the pixels under a pass's loose mask), so
 * that its history and its passes over it are no longer than those. Kernels: {@code gather.cl}.
 *
 * <p>Positions are m distinct indices into the tensor, stored as floats: exact below 2^24, which
 * {@link #MAX_POSITION} bounds.
 */
public interface Gather {

    /** The most elements a tensor may have for every index into it to be exact as a float: 2^24. */
    int MAX_POSITION = 1 << 24;

    /** out[i] = source[positions[i]] for i &lt; m, out and positions of m elements. */
    void gather(Tensor source, Tensor positions, Tensor out);

    /** out[positions[i]] = values[i] for i &lt; m; the other entries of out keep their values. */
    void scatter(Tensor values, Tensor positions, Tensor out);

    /**
     * out[c,0,i] = source[c,p] * weights[i] with p = positions[i], plane positions of the C x H x W
     * source: its columns at m positions, weighted, as a C x 1 x m map.
     */
    void gatherColumns(Tensor source, Tensor positions, Tensor weights, Tensor out);

    /**
     * out[c,p] = values[c,0,i] * weights[i] where i = slots[p] &gt;= 0, and 0 where slots[p] is -1:
     * the adjoint of {@link #gatherColumns} when slots (1 x H x W) maps each of its positions to its
     * index and every other plane position to -1. Every entry of out is written.
     */
    void scatterColumns(Tensor values, Tensor slots, Tensor weights, Tensor out);
}
