// gather.cl: the entries of a tensor at a set of positions, moved to and from a compact vector.
// L-BFGS then works on only the pixels a pass's loose mask lets change: its history rows, and the
// two passes it makes over them each iteration, shrink to those. The column kernels do the same
// for whole columns of a C x N map (N = H*W): a loss module then reads, and sends its gradient
// back at, only the columns its mask does not zero.
//
// Computes, for m distinct positions stored as floats (exact below 2^24; the host checks):
//   gather              out[i] = source[positions[i]];
//   scatter             out[positions[i]] = values[i], the other entries of out untouched;
// and, for the m plane positions where a mask is not 0, taken in order and described by segments
// that tile the plane (segment s, at 3s: its first plane position p, its first column i, or -1
// for a gap the mask zeroes, and its length):
//   gather_columns      out[c, i + k] = source[c, p + k], out C x m;
//   scatter_columns     out[c, p + k] = values[c, i + k] in a run, 0 in a gap: gather_columns'
//                       adjoint, every entry of out written;
//   add_columns_masked  out[c, p + k] = (g[c, p + k] + s values[c, i + k]) mask[p + k] in a run,
//                       g[c, p + k] mask[p + k] in a gap, with s = weight / (sqrt(squaredNorm[0])
//                       + 1e-8) when normalize, else weight: a module's compact gradient joining
//                       the network's, as scatter_columns then add_masked (add_normalized_masked)
//                       would, with no full map of it ever written; out may be g.
// Work-items: gather and scatter 1-D, one per position; the column kernels 2-D (segment,
// channel), each moving its segment's floats in order, contiguous on both sides (a mask's
// support comes in runs along its rows, which is what makes this fast); the host bounds a
// segment's length so that the work spreads. Those past the end return at once, so any grouping
// computes the same. No tuning constants.

__kernel void gather(__global const float* restrict source, __global const float* restrict positions, const int m,
                     __global float* restrict out) {
    const int i = get_global_id(0);
    if (i >= m) return;
    out[i] = source[(int) positions[i]];
}

__kernel void scatter(__global const float* restrict values, __global const float* restrict positions, const int m,
                      __global float* restrict out) {
    const int i = get_global_id(0);
    if (i >= m) return;
    out[(int) positions[i]] = values[i];
}

__kernel void gather_columns(__global const float* restrict source, __global const float* restrict segments,
                             const int count, const int m, const int plane, __global float* restrict out) {
    const int s = get_global_id(0);
    if (s >= count) return;
    const int first = (int) segments[3 * s + 1];
    if (first < 0) return;
    const size_t c = get_global_id(1);
    const int length = (int) segments[3 * s + 2];
    const __global float* restrict from = source + c * plane + (int) segments[3 * s];
    __global float* restrict to = out + c * m + first;
    for (int k = 0; k < length; k++) to[k] = from[k];
}

__kernel void scatter_columns(__global const float* restrict values, __global const float* restrict segments,
                              const int count, const int m, const int plane, __global float* restrict out) {
    const int s = get_global_id(0);
    if (s >= count) return;
    const size_t c = get_global_id(1);
    const int first = (int) segments[3 * s + 1], length = (int) segments[3 * s + 2];
    __global float* restrict to = out + c * plane + (int) segments[3 * s];
    if (first < 0) {
        for (int k = 0; k < length; k++) to[k] = 0.0f;
        return;
    }
    const __global float* restrict from = values + c * m + first;
    for (int k = 0; k < length; k++) to[k] = from[k];
}

// g and out may be one buffer, so neither is restrict; each work-item reads only what it writes.
__kernel void add_columns_masked(__global const float* g, __global const float* restrict values,
                                 __global const float* restrict segments, const int count, const int m, const int plane,
                                 __global const float* restrict squaredNorm, const int normalize, const float weight,
                                 __global const float* restrict mask, __global float* out) {
    const int s = get_global_id(0);
    if (s >= count) return;
    const size_t c = get_global_id(1);
    const int p = (int) segments[3 * s], first = (int) segments[3 * s + 1], length = (int) segments[3 * s + 2];
    const __global float* from = g + c * plane + p;
    __global float* to = out + c * plane + p;
    const __global float* restrict on = mask + p;
    if (first < 0) {
        for (int k = 0; k < length; k++) to[k] = from[k] * on[k];
        return;
    }
    const float scale = normalize ? weight / (sqrt(squaredNorm[0]) + 1e-8f) : weight;
    const __global float* restrict own = values + c * m + first;
    for (int k = 0; k < length; k++) to[k] = (from[k] + own[k] * scale) * on[k];
}
