// histogram.cl: the remapping of the histogram loss, by a sort of each channel's keys.
//
// Computes: for each channel c and each of the m positions p = positions[i] (indices into the
// channel's n values, held as floats), out[c][p] = table[c * m + rank], where rank is the place of
// (features[c][p], i) in the channel's pairs sorted by value, ties by i: exactly the host's keyed
// sort. Floats compare by their bits mapped to a signed order (as Java's sortableBits: -0 below +0,
// NaN as Java's canonical NaN). Elements off the positions are left alone (the host zeroes out).
// The sort works on 64-bit keys, the value's order in the high half and i in the low half, so no
// two keys are equal. Two sorts, the same result:
// - for GPUs, along the merge path: sort_runs writes the keys and sorts each run of RUN of them;
//   merge_runs (launched with width RUN, 2 RUN, ... below m) merges each pair of sorted runs of
//   width keys into one, each work-item writing RUN consecutive outputs after finding where they
//   start in the two runs by a binary search; log2(m / RUN) + 2 launches, about
//   m (log2(m / RUN) + RUN / 4) key reads per channel;
//   remap_sorted then writes each rank's table entry back at its position;
// - for CPUs, radix_remap_channel: one work-item sorts a whole channel, by a stable radix sort of
//   the keys' high halves (at most ceil(32 / RADIX_BITS) passes over the keys, no comparisons to
//   mispredict), then writes each rank's entry itself: one launch.
// Work-items: sort_runs and merge_runs 2-D, (the m / RUN chunks rounded up to the group size, C);
// radix_remap_channel 1-D, C, groups of 1; remap_sorted 2-D, (m rounded up, C); any group size.
// Tuning constants (-D, from ClHistogram; the #ifndef defaults are the CPU tuning's): RUN (keys a
// work-item of sort_runs sorts by insertion, and of merge_runs merges, a power of two: 32);
// RADIX_BITS (the digit of radix_remap_channel: ceil(32 / RADIX_BITS) passes, each counting into
// 2^RADIX_BITS private counters, 24 KiB at 11: a CPU's stack holds them; 11).

#ifndef RUN
#define RUN 32
#endif
#ifndef RADIX_BITS
#define RADIX_BITS 11
#endif
#define RADIX_PASSES ((32 + RADIX_BITS - 1) / RADIX_BITS)
#define RADIX_MASK ((1u << RADIX_BITS) - 1)

int sortable_bits(float f) {
    int bits = isnan(f) ? 0x7fc00000 : as_int(f);
    return bits >= 0 ? bits : bits ^ 0x7fffffff;
}

// The key of the i-th position's value: its order in the high half, i in the low half.
ulong sort_key(float v, int i) {
    // Flipping the sign bit turns the signed order of the value's image into the unsigned order.
    uint high = (uint) sortable_bits(v) ^ 0x80000000u;
    return ((ulong) high << 32) | (uint) i;
}

__kernel void sort_runs(__global const float* features, __global const float* positions, const int m, const int n,
                        __global ulong* keys) {
    int chunk = get_global_id(0);
    int c = get_global_id(1);
    int first = chunk * RUN;
    if (first >= m) return;
    int count = min(RUN, m - first);
    ulong run[RUN];
    for (int t = 0; t < count; t++) {
        int i = first + t;
        ulong key = sort_key(features[(long) c * n + (int) positions[i]], i);
        int u = t;
        for (; u > 0 && run[u - 1] > key; u--) run[u] = run[u - 1];
        run[u] = key;
    }
    for (int t = 0; t < count; t++) keys[(long) c * m + first + t] = run[t];
}

__kernel void merge_runs(__global const ulong* in, __global ulong* out, const int m, const int width) {
    int chunk = get_global_id(0);
    int c = get_global_id(1);
    int first = chunk * RUN;
    if (first >= m) return;
    // RUN divides 2 width, so the chunk lies in one pair of runs, a = [start, middle), b = [middle, end).
    int start = first / (2 * width) * (2 * width);
    int middle = min(start + width, m);
    int end = min(start + 2 * width, m);
    __global const ulong* a = in + (long) c * m + start;
    __global const ulong* b = in + (long) c * m + middle;
    int lengthA = middle - start, lengthB = end - middle;
    int k = first - start;
    // How many of the first k merged keys come from a: the first i whose a[i] is not below b[k - i - 1].
    int lo = max(0, k - lengthB), hi = min(k, lengthA);
    while (lo < hi) {
        int mid = (lo + hi) >> 1;
        if (a[mid] < b[k - mid - 1]) lo = mid + 1;
        else hi = mid;
    }
    int i = lo, j = k - lo;
    int count = min(RUN, end - first);
    __global ulong* to = out + (long) c * m + first;
    for (int t = 0; t < count; t++) {
        bool fromA = j >= lengthB || (i < lengthA && a[i] < b[j]);
        to[t] = fromA ? a[i++] : b[j++];
    }
}

// The CPU's sort and remap: one work-item sorts a whole channel by the keys' high halves, RADIX_BITS bits
// at a time from the lowest (a radix sort: passes of scattering, back and forth between keys and
// scratch). Each pass is stable and the keys start in the order of i, so equal values stay in the
// order of i: the order of the whole keys, as the merge sort makes it. Every pass's digit counts
// are taken while the keys are made, so a pass reads its keys once, not twice; a pass whose digit
// every key shares would leave the order as it is and is skipped.
__kernel void radix_remap_channel(__global const float* features, __global const float* positions, const int m, const int n,
                                  __global ulong* keys, __global ulong* scratch, __global const float* table,
                                  __global float* out) {
    int c = get_global_id(0);
    if (m == 0) return;
    __global ulong* from = keys + (long) c * m;
    __global ulong* to = scratch + (long) c * m;
    uint start[RADIX_PASSES][1 << RADIX_BITS];
    for (int p = 0; p < RADIX_PASSES; p++) {
        for (int d = 0; d < (1 << RADIX_BITS); d++) start[p][d] = 0;
    }
    for (int i = 0; i < m; i++) {
        ulong key = sort_key(features[(long) c * n + (int) positions[i]], i);
        from[i] = key;
        uint high = (uint) (key >> 32);
        for (int p = 0; p < RADIX_PASSES; p++) start[p][(high >> (p * RADIX_BITS)) & RADIX_MASK]++;
    }
    for (int p = 0; p < RADIX_PASSES; p++) {
        int shift = 32 + p * RADIX_BITS;
        if (start[p][(from[0] >> shift) & RADIX_MASK] == (uint) m) continue;
        uint sum = 0;
        for (int d = 0; d < (1 << RADIX_BITS); d++) {
            uint count = start[p][d];
            start[p][d] = sum;
            sum += count;
        }
        for (int i = 0; i < m; i++) {
            ulong key = from[i];
            to[start[p][(key >> shift) & RADIX_MASK]++] = key;
        }
        __global ulong* swap = from;
        from = to;
        to = swap;
    }
    // remap_sorted's work, in the same work-item: one launch less, and no group per 64 ranks.
    for (int rank = 0; rank < m; rank++) {
        int i = (int) (from[rank] & 0xffffffffu);
        out[(long) c * n + (int) positions[i]] = table[(long) c * m + rank];
    }
}

__kernel void remap_sorted(__global const ulong* sorted, __global const float* positions, const int m, const int n,
                           __global const float* table, __global float* out) {
    int rank = get_global_id(0);
    int c = get_global_id(1);
    if (rank >= m) return;
    int i = (int) (sorted[(long) c * m + rank] & 0xffffffffu);
    out[(long) c * n + (int) positions[i]] = table[(long) c * m + rank];
}
