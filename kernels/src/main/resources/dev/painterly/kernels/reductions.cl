// reductions.cl: float32 tensors summed down to one partial sum per work-group.
//
// Computes: sum(x), dot(a, b), sum |x|, sum (a - b)^2, and the total-variation sum of
// dx^2 + dy^2 over c, y < H-1, x < W-1 (the host applies the factor 0.5).
// Work-items: 1-D, GROUP_SIZE per group and a bounded number of groups (the host caps it, so the
// partials it downloads stay small). Work-item g of G visits elements g, g+G, g+2G, ... (adjacent
// work-items read adjacent elements) and keeps a Kahan-compensated float sum, which is cheap next
// to the memory traffic and keeps long strided runs accurate. The group then adds its sums in a
// local-memory tree and writes one partial; the host adds the partials in double.
// Tuning constants: GROUP_SIZE (-D, a power of two: 64 under the CPU tuning, 256 under the GPU
// tuning, less where the device allows less; the #ifndef default is the CPU tuning's).

#ifndef GROUP_SIZE
#define GROUP_SIZE 64
#endif

// One Kahan step: *comp carries the low-order bits lost by the previous additions.
inline void kahan_add(float* acc, float* comp, float term) {
    float y = term - *comp;
    float t = *acc + y;
    *comp = (t - *acc) - y;
    *acc = t;
}

// Adds the group's per-work-item sums pairwise in local memory; work-item 0 writes the partial.
inline void group_partial(float value, __local float* sums, __global float* partials) {
    int lid = get_local_id(0);
    sums[lid] = value;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = GROUP_SIZE / 2; width > 0; width >>= 1) {
        if (lid < width) sums[lid] += sums[lid + width];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) partials[get_group_id(0)] = sums[0];
}

__kernel __attribute__((reqd_work_group_size(GROUP_SIZE, 1, 1)))
void reduce_sum(__global const float* x, const int n, __global float* partials) {
    __local float sums[GROUP_SIZE];
    float acc = 0.0f, comp = 0.0f;
    for (long i = get_global_id(0); i < n; i += get_global_size(0)) kahan_add(&acc, &comp, x[i]);
    group_partial(acc - comp, sums, partials);
}

__kernel __attribute__((reqd_work_group_size(GROUP_SIZE, 1, 1)))
void reduce_dot(__global const float* a, __global const float* b, const int n, __global float* partials) {
    __local float sums[GROUP_SIZE];
    float acc = 0.0f, comp = 0.0f;
    for (long i = get_global_id(0); i < n; i += get_global_size(0)) kahan_add(&acc, &comp, a[i] * b[i]);
    group_partial(acc - comp, sums, partials);
}

__kernel __attribute__((reqd_work_group_size(GROUP_SIZE, 1, 1)))
void reduce_abs(__global const float* x, const int n, __global float* partials) {
    __local float sums[GROUP_SIZE];
    float acc = 0.0f, comp = 0.0f;
    for (long i = get_global_id(0); i < n; i += get_global_size(0)) kahan_add(&acc, &comp, fabs(x[i]));
    group_partial(acc - comp, sums, partials);
}

__kernel __attribute__((reqd_work_group_size(GROUP_SIZE, 1, 1)))
void reduce_squared_difference(__global const float* a, __global const float* b, const int n,
                               __global float* partials) {
    __local float sums[GROUP_SIZE];
    float acc = 0.0f, comp = 0.0f;
    for (long i = get_global_id(0); i < n; i += get_global_size(0)) {
        float d = a[i] - b[i];
        kahan_add(&acc, &comp, d * d);
    }
    group_partial(acc - comp, sums, partials);
}

// Element i = (c, y, x) contributes dx^2 + dy^2 when it has both a right and a lower neighbour.
__kernel __attribute__((reqd_work_group_size(GROUP_SIZE, 1, 1)))
void reduce_total_variation(__global const float* a, const int height, const int width, const int n,
                            __global float* partials) {
    __local float sums[GROUP_SIZE];
    float acc = 0.0f, comp = 0.0f;
    for (long i = get_global_id(0); i < n; i += get_global_size(0)) {
        int x = (int) (i % width);
        int y = (int) ((i / width) % height);
        if (x < width - 1 && y < height - 1) {
            float dx = a[i] - a[i + 1];
            float dy = a[i] - a[i + width];
            kahan_add(&acc, &comp, dx * dx + dy * dy);
        }
    }
    group_partial(acc - comp, sums, partials);
}
