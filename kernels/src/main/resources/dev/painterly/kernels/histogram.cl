// histogram.cl: the remapping of the histogram loss, by counting ranks.
//
// Computes: for each channel c and each of the m positions p = positions[i] (indices into the
// channel's n values, held as floats), out[c][p] = table[c * m + rank], where rank counts the values
// of channel c at the positions that are smaller than features[c][p], or equal at a smaller i. This
// is the rank of a sort by (value, i), so it equals the host's keyed sort exactly, ties included;
// floats compare by their bits mapped to a signed order (as Java's sortableBits: -0 below +0, NaN
// as Java's canonical NaN). Elements off the positions are left alone (the host zeroes out first).
// Work-items: 2-D, (m rounded up to the group size, C), groups of (G, 1); a group walks the
// channel's positions in tiles of G keys staged in local memory (tile, G ints), so each key is read
// from global memory m / G times rather than m. The work is m^2 per channel, all of it parallel.
// Tuning constants: none (G is the launch's group size).

int sortable_bits(float f) {
    int bits = isnan(f) ? 0x7fc00000 : as_int(f);
    return bits >= 0 ? bits : bits ^ 0x7fffffff;
}

__kernel void remap_ranks(__global const float* features, __global const float* positions, const int m,
                          const int n, __global const float* table, __global float* out, __local int* tile) {
    int i = get_global_id(0);
    int c = get_global_id(1);
    int l = get_local_id(0);
    int g = get_local_size(0);
    __global const float* channel = features + (long) c * n;
    int p = i < m ? (int) positions[i] : 0;
    int key = sortable_bits(channel[p]);
    int rank = 0;
    for (int start = 0; start < m; start += g) {
        int j = start + l;
        tile[l] = j < m ? sortable_bits(channel[(int) positions[j]]) : 0;
        barrier(CLK_LOCAL_MEM_FENCE);
        int count = min(g, m - start);
        for (int t = 0; t < count; t++) {
            int other = tile[t];
            rank += (other < key) | ((other == key) & (start + t < i));
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (i < m) out[(long) c * n + p] = table[(long) c * m + rank];
}
