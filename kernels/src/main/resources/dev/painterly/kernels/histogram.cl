// histogram.cl: the remapping of the histogram loss, by a merge sort of each channel's keys.
//
// Computes: for each channel c and each of the m positions p = positions[i] (indices into the
// channel's n values, held as floats), out[c][p] = table[c * m + rank], where rank is the place of
// (features[c][p], i) in the channel's pairs sorted by value, ties by i: exactly the host's keyed
// sort. Floats compare by their bits mapped to a signed order (as Java's sortableBits: -0 below +0,
// NaN as Java's canonical NaN). Elements off the positions are left alone (the host zeroes out).
// The sort works on 64-bit keys, the value's order in the high half and i in the low half, so no
// two keys are equal: make_keys writes them, merge_runs (launched with width 1, 2, 4, ... below m)
// merges each pair of sorted runs of width keys into one, every key finding its place alone by a
// binary search in the other run, and remap_sorted writes each rank's table entry back at its
// position. log2(m) + 2 launches, m log2(m)^2 / 2 key reads per channel.
// Work-items: 2-D, (m rounded up to the group size, C), one per key; any group size.
// Tuning constants: none.

int sortable_bits(float f) {
    int bits = isnan(f) ? 0x7fc00000 : as_int(f);
    return bits >= 0 ? bits : bits ^ 0x7fffffff;
}

__kernel void make_keys(__global const float* features, __global const float* positions, const int m, const int n,
                        __global ulong* keys) {
    int i = get_global_id(0);
    int c = get_global_id(1);
    if (i >= m) return;
    float v = features[(long) c * n + (int) positions[i]];
    // Flipping the sign bit turns the signed order of the value's image into the unsigned order.
    uint high = (uint) sortable_bits(v) ^ 0x80000000u;
    keys[(long) c * m + i] = ((ulong) high << 32) | (uint) i;
}

__kernel void merge_runs(__global const ulong* in, __global ulong* out, const int m, const int width) {
    int i = get_global_id(0);
    int c = get_global_id(1);
    if (i >= m) return;
    __global const ulong* keys = in + (long) c * m;
    ulong key = keys[i];
    int run = i / width;
    int start = run * width;
    int other = (run & 1) ? start - width : start + width;
    int lo = min(other, m);
    int hi = min(other + width, m);
    int first = lo;
    while (lo < hi) {
        int mid = (lo + hi) >> 1;
        if (keys[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    // In the merged run: the keys before it in its own run, and those of the other run below it.
    out[(long) c * m + (run & ~1) * width + (i - start) + (lo - first)] = key;
}

__kernel void remap_sorted(__global const ulong* sorted, __global const float* positions, const int m, const int n,
                           __global const float* table, __global float* out) {
    int rank = get_global_id(0);
    int c = get_global_id(1);
    if (rank >= m) return;
    int i = (int) (sorted[(long) c * m + rank] & 0xffffffffu);
    out[(long) c * n + (int) positions[i]] = table[(long) c * m + rank];
}
