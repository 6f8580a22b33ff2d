// reductions.cl: float32 tensors summed down to one partial sum per work-group.
//
// Computes: sum(x), dot(a, b), sum |x|, sum (a - b)^2, the total-variation sum of dx^2 + dy^2
// over c, y < H-1, x < W-1 (the host applies the factor 0.5), and dots: the dot products of
// VECTORS vectors with each of the first rows of a matrix and with one another (L-BFGS's history).
// Work-items: 1-D, GROUP_SIZE per group and a bounded number of groups. Elements are read as
// vectors of WIDTH floats, the last n % WIDTH of them one by one by work-item 0. CONTIGUOUS
// decides which vectors a work-item reads: 1 gives each one contiguous run (on a CPU a core runs a
// group's work-items one after another, so each must stream through memory on its own), 0
// interleaves them (on a GPU adjacent work-items must read adjacent memory). A work-item adds
// BLOCK vectors of terms plainly, then that block's sum into a Kahan-compensated float sum: the
// plain chain keeps the adder busy and the compensation keeps long runs accurate; the group adds
// its work-items' sums in a local-memory tree and writes one partial, and the host adds the
// partials in double, or, where the result stays on the device, sum_partials adds them in one group.
// Tuning constants (-D, from ClReductions; the #ifndef defaults are the CPU tuning's): GROUP_SIZE
// (a power of two: 64 under the CPU tuning, 256 under the GPU tuning, less where the device allows
// less), WIDTH (1, 2, 4, 8 or 16: 16 CPU, 4 GPU), CONTIGUOUS (1 CPU, 0 GPU), BLOCK (8), VECTORS
// (dots only: 1 to 3, chosen per call).

#ifndef GROUP_SIZE
#define GROUP_SIZE 64
#endif
#ifndef WIDTH
#define WIDTH 16
#endif
#ifndef CONTIGUOUS
#define CONTIGUOUS 1
#endif
#ifndef VECTORS
#define VECTORS 3
#endif
#ifndef BLOCK
#define BLOCK 8
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#if WIDTH == 1
typedef float floatw;
#define LOADW(v, p) ((p)[v])
#else
typedef CAT(float, WIDTH) floatw;
#define LOADW(v, p) CAT(vload, WIDTH)(v, p)
#endif

// The vectors [first, end) with stride step that this work-item reads, of nv in all.
typedef struct {
    long first;
    long end;
    long step;
} Run;

inline Run my_run(long nv) {
    Run r;
    long items = get_global_size(0);
    long id = get_global_id(0);
#if CONTIGUOUS
    long per = (nv + items - 1) / items;
    r.first = id * per;
    r.end = min(nv, r.first + per);
    r.step = 1;
#else
    r.first = id;
    r.end = nv;
    r.step = items;
#endif
    return r;
}

// One Kahan step: *comp carries the low-order bits lost by the previous additions.
inline void kahan_add(floatw* acc, floatw* comp, floatw term) {
    floatw y = term - *comp;
    floatw t = *acc + y;
    *comp = (t - *acc) - y;
    *acc = t;
}

inline void kahan_add1(float* acc, float* comp, float term) {
    float y = term - *comp;
    float t = *acc + y;
    *comp = (t - *acc) - y;
    *acc = t;
}

// The compensated sum's value, its lanes added.
inline float kahan_value(floatw acc, floatw comp) {
    floatw v = acc - comp;
#if WIDTH == 1
    return v;
#else
    float lanes[WIDTH];
    CAT(vstore, WIDTH)(v, 0, lanes);
    float s = 0.0f;
    for (int i = 0; i < WIDTH; i++) s += lanes[i];
    return s;
#endif
}

// Adds the group's per-work-item sums pairwise in local memory; work-item 0 writes the partial.
inline void group_partial(float value, __local float* sums, __global float* partials, long at) {
    int lid = get_local_id(0);
    sums[lid] = value;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = GROUP_SIZE / 2; width > 0; width >>= 1) {
        if (lid < width) sums[lid] += sums[lid + width];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) partials[at] = sums[0];
    barrier(CLK_LOCAL_MEM_FENCE);
}

// The reductions of one or two vectors share this body: TERM(i) is element i's term, for i an
// element index, and VTERM(v) the term vector of the WIDTH elements from v * WIDTH.
#define REDUCE_BODY(VTERM, TERM)                                                           \
    __local float sums[GROUP_SIZE];                                                        \
    floatw acc = 0.0f, comp = 0.0f;                                                        \
    long nv = n / WIDTH;                                                                   \
    Run r = my_run(nv);                                                                    \
    for (long v = r.first; v < r.end;) {                                                   \
        long stop = min(r.end, v + BLOCK * r.step);                                        \
        floatw block = 0.0f;                                                               \
        for (; v < stop; v += r.step) block += VTERM(v);                                   \
        kahan_add(&acc, &comp, block);                                                     \
    }                                                                                      \
    float total = kahan_value(acc, comp);                                                  \
    if (get_global_id(0) == 0) {                                                           \
        for (long i = nv * WIDTH; i < n; i++) total += TERM(i);                            \
    }                                                                                      \
    group_partial(total, sums, partials, get_group_id(0));

__kernel __attribute__((reqd_work_group_size(GROUP_SIZE, 1, 1)))
void reduce_sum(__global const float* x, const int n, __global float* partials) {
#define VTERM(v) LOADW(v, x)
#define TERM(i) x[i]
    REDUCE_BODY(VTERM, TERM)
#undef VTERM
#undef TERM
}

__kernel __attribute__((reqd_work_group_size(GROUP_SIZE, 1, 1)))
void reduce_dot(__global const float* a, __global const float* b, const int n, __global float* partials) {
#define VTERM(v) (LOADW(v, a) * LOADW(v, b))
#define TERM(i) (a[i] * b[i])
    REDUCE_BODY(VTERM, TERM)
#undef VTERM
#undef TERM
}

// result[0] = scale * the sum of count partials, by one group of GROUP_SIZE work-items: what the
// host would add, left on the device for a kernel that reads it (no transfer, no wait); the scale
// saves a launch where a mean is wanted.
__kernel __attribute__((reqd_work_group_size(GROUP_SIZE, 1, 1)))
void sum_partials(__global const float* partials, const int count, const float scale, __global float* result) {
    __local float sums[GROUP_SIZE];
    float acc = 0.0f, comp = 0.0f;
    for (int i = get_local_id(0); i < count; i += GROUP_SIZE) kahan_add1(&acc, &comp, partials[i] * scale);
    group_partial(acc - comp, sums, result, 0);
}

__kernel __attribute__((reqd_work_group_size(GROUP_SIZE, 1, 1)))
void reduce_abs(__global const float* x, const int n, __global float* partials) {
#define VTERM(v) fabs(LOADW(v, x))
#define TERM(i) fabs(x[i])
    REDUCE_BODY(VTERM, TERM)
#undef VTERM
#undef TERM
}

inline floatw squared_difference(floatw a, floatw b) {
    floatw d = a - b;
    return d * d;
}

__kernel __attribute__((reqd_work_group_size(GROUP_SIZE, 1, 1)))
void reduce_squared_difference(__global const float* a, __global const float* b, const int n,
                               __global float* partials) {
#define VTERM(v) squared_difference(LOADW(v, a), LOADW(v, b))
#define TERM(i) ((a[i] - b[i]) * (a[i] - b[i]))
    REDUCE_BODY(VTERM, TERM)
#undef VTERM
#undef TERM
}

// Element i = (c, y, x) contributes dx^2 + dy^2 when it has both a right and a lower neighbour.
inline float total_variation_term(__global const float* a, long i, int height, int width) {
    int x = (int) (i % width);
    int y = (int) ((i / width) % height);
    if (x < width - 1 && y < height - 1) {
        float dx = a[i] - a[i + 1];
        float dy = a[i] - a[i + width];
        return dx * dx + dy * dy;
    }
    return 0.0f;
}

// The neighbours make this one scalar: it walks the same runs element by element.
__kernel __attribute__((reqd_work_group_size(GROUP_SIZE, 1, 1)))
void reduce_total_variation(__global const float* a, const int height, const int width, const int n,
                            __global float* partials) {
    __local float sums[GROUP_SIZE];
    float acc = 0.0f, comp = 0.0f;
    long nv = n / WIDTH;
    Run r = my_run(nv);
    for (long v = r.first; v < r.end; v += r.step) {
        for (long i = v * WIDTH; i < (v + 1) * WIDTH; i++) {
            kahan_add1(&acc, &comp, total_variation_term(a, i, height, width));
        }
    }
    float total = acc - comp;
    if (get_global_id(0) == 0) {
        for (long i = nv * WIDTH; i < n; i++) total += total_variation_term(a, i, height, width);
    }
    group_partial(total, sums, partials, get_group_id(0));
}

// Dots of the vectors u0, u1, u2 (the first VECTORS of them; the others are not read) with rows
// 0 .. count-1 of rows (count x n, row-major) and then with u0, u1, u2 themselves: row index r runs
// over count + VECTORS, and the partial of vector k and row r is partials[(r * VECTORS + k) * groups
// + group]. Each work-item reads its run of every row once; its runs of the vectors come back from
// cache row after row.
__kernel __attribute__((reqd_work_group_size(GROUP_SIZE, 1, 1)))
void dots(__global const float* rows, const int count, const int n, __global const float* u0,
          __global const float* u1, __global const float* u2, __global float* partials) {
    __local float sums[GROUP_SIZE];
    long nv = n / WIDTH;
    Run run = my_run(nv);
    long groups = get_num_groups(0);
    for (int r = 0; r < count + VECTORS; r++) {
        __global const float* row = r < count ? rows + (long) r * n : (r == count ? u0 : (r == count + 1 ? u1 : u2));
        floatw acc0 = 0.0f, comp0 = 0.0f;
#if VECTORS > 1
        floatw acc1 = 0.0f, comp1 = 0.0f;
#endif
#if VECTORS > 2
        floatw acc2 = 0.0f, comp2 = 0.0f;
#endif
        for (long v = run.first; v < run.end;) {
            long stop = min(run.end, v + BLOCK * run.step);
            floatw block0 = 0.0f, block1 = 0.0f, block2 = 0.0f;
            for (; v < stop; v += run.step) {
                floatw x = LOADW(v, row);
                block0 = fma(x, LOADW(v, u0), block0);
#if VECTORS > 1
                block1 = fma(x, LOADW(v, u1), block1);
#endif
#if VECTORS > 2
                block2 = fma(x, LOADW(v, u2), block2);
#endif
            }
            kahan_add(&acc0, &comp0, block0);
#if VECTORS > 1
            kahan_add(&acc1, &comp1, block1);
#endif
#if VECTORS > 2
            kahan_add(&acc2, &comp2, block2);
#endif
        }
        float total[VECTORS];
        total[0] = kahan_value(acc0, comp0);
#if VECTORS > 1
        total[1] = kahan_value(acc1, comp1);
#endif
#if VECTORS > 2
        total[2] = kahan_value(acc2, comp2);
#endif
        if (get_global_id(0) == 0) {
            for (long i = nv * WIDTH; i < n; i++) {
                total[0] += row[i] * u0[i];
#if VECTORS > 1
                total[1] += row[i] * u1[i];
#endif
#if VECTORS > 2
                total[2] += row[i] * u2[i];
#endif
            }
        }
        for (int k = 0; k < VECTORS; k++) {
            group_partial(total[k], sums, partials, ((long) r * VECTORS + k) * groups + get_group_id(0));
        }
    }
}
