package dev.painterly.engine.device;

import dev.painterly.engine.Tensor;

/**
 * The remapping of the histogram loss: per channel, the rank of each value among the values at a
 * set of positions, looked up in a table of what each rank maps to. Kernels: {@code histogram.cl}.
 */
public interface Histogram {

    /**
     * out (the shape of features, C x N): at each position p = positions[i] of channel c, table[c
     * * m + rank], where rank counts the values of channel c at the m positions that are smaller
     * than features[c][p], or equal to it at an earlier i (floats ordered as
     * {@code Float.floatToIntBits} mapped to a signed order, so -0 &lt; +0); 0 off the positions.
     *
     * @param positions m distinct indices into a channel's N values, as floats (exact below 2^24)
     * @param table     C x m: the value each rank of each channel maps to
     */
    void remap(Tensor features, Tensor positions, Tensor table, Tensor out);
}
