// gather.cl: the entries of a tensor at a set of positions, moved to and from a compact vector.
// L-BFGS then works on only the pixels a pass's loose mask lets change: its history rows, and the
// two passes it makes over them each iteration, shrink to those. The column kernels do the same
// for whole columns of a C x N map (N = H*W), each weighted: a Gram matrix over a mask's support
// then skips the columns the mask zeroes.
//
// Computes, for m distinct positions stored as floats (exact below 2^24; the host checks):
//   gather           out[i] = source[positions[i]];
//   scatter          out[positions[i]] = values[i], the other entries of out untouched;
//   gather_columns   out[c,i] = source[c, positions[i]] * weights[i], out C x m;
//   scatter_columns  out[c,p] = values[c, slots[p]] * weights[slots[p]] where slots[p] >= 0, else
//                    0: gather_columns' adjoint, every entry of out written (slots[positions[i]] = i,
//                    -1 off the positions).
// Work-items: gather and scatter 1-D, one per position; gather_columns 2-D (position, channel);
// scatter_columns 2-D (entry of the plane, channel). Those past the end return at once, so any
// grouping computes the same. Positions in ascending order (as the host builds them) make
// neighbouring work-items touch neighbouring words. No tuning constants: each work-item moves one
// float.

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

__kernel void gather_columns(__global const float* restrict source, __global const float* restrict positions,
                             __global const float* restrict weights, const int m, const int plane,
                             __global float* restrict out) {
    const int i = get_global_id(0);
    if (i >= m) return;
    const size_t c = get_global_id(1);
    out[c * m + i] = source[c * plane + (int) positions[i]] * weights[i];
}

__kernel void scatter_columns(__global const float* restrict values, __global const float* restrict slots,
                              __global const float* restrict weights, const int m, const int plane,
                              __global float* restrict out) {
    const int p = get_global_id(0);
    if (p >= plane) return;
    const size_t c = get_global_id(1);
    const int slot = (int) slots[p];
    out[c * plane + p] = slot >= 0 ? values[c * m + slot] * weights[slot] : 0.0f;
}
