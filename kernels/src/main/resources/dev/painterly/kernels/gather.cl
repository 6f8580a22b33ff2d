// gather.cl: the entries of a tensor at a set of positions, moved to and from a compact vector.
// L-BFGS then works on only the pixels a pass's loose mask lets change: its history rows, and the
// two passes it makes over them each iteration, shrink to those.
//
// Computes, for m distinct positions stored as floats (exact below 2^24; the host checks):
//   gather   out[i] = source[positions[i]];
//   scatter  out[positions[i]] = values[i], the other entries of out untouched.
// Work-items: 1-D, one per position; those past m return at once, so any grouping computes the
// same. Positions in ascending order (as the host builds them) make neighbouring work-items touch
// neighbouring words. No tuning constants: each work-item moves one float.

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
