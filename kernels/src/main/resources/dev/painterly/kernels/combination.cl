// combination.cl: a linear combination of the rows of a matrix, in one pass over the rows.
//
// Computes: out = alpha x + sum_{r < count} coefficients[r] rows[r], rows a count x n row-major
// matrix (L-BFGS's direction from its packed history).
// Work-items: 1-D, any number; elements are handled as vectors of WIDTH floats, the last n % WIDTH
// one by one by work-item 0. With CONTIGUOUS 1 (CPUs) each work-item owns one contiguous run of
// out and adds the rows into it one after another, so the run stays in the core's cache while each
// row streams through; with CONTIGUOUS 0 (GPUs) adjacent work-items take adjacent vectors and keep
// their sum in a register while they read down the rows.
// Tuning constants (-D, from ClCombination; the #ifndef defaults are the CPU tuning's): WIDTH
// (1, 2, 4, 8 or 16: 16 CPU, 4 GPU), CONTIGUOUS (1 CPU, 0 GPU).

#ifndef WIDTH
#define WIDTH 16
#endif
#ifndef CONTIGUOUS
#define CONTIGUOUS 1
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#if WIDTH == 1
typedef float floatw;
#define LOADW(v, p) ((p)[v])
#define STOREW(value, v, p) ((p)[v] = (value))
#else
typedef CAT(float, WIDTH) floatw;
#define LOADW(v, p) CAT(vload, WIDTH)(v, p)
#define STOREW(value, v, p) CAT(vstore, WIDTH)(value, v, p)
#endif

__kernel void combine_rows(__global const float* rows, __global const float* coefficients, const int count,
                           const float alpha, __global const float* x, const int n, __global float* out) {
    long nv = n / WIDTH;
    long items = get_global_size(0);
    long id = get_global_id(0);
#if CONTIGUOUS
    long per = (nv + items - 1) / items;
    long first = id * per;
    long end = min(nv, first + per);
    for (long v = first; v < end; v++) STOREW(alpha * LOADW(v, x), v, out);
    for (int r = 0; r < count; r++) {
        __global const float* row = rows + (long) r * n;
        float c = coefficients[r];
        for (long v = first; v < end; v++) STOREW(fma((floatw) c, LOADW(v, row), LOADW(v, out)), v, out);
    }
#else
    for (long v = id; v < nv; v += items) {
        floatw acc = alpha * LOADW(v, x);
        for (int r = 0; r < count; r++) acc = fma((floatw) coefficients[r], LOADW(v, rows + (long) r * n), acc);
        STOREW(acc, v, out);
    }
#endif
    if (id == 0) {
        for (long i = nv * WIDTH; i < n; i++) {
            float acc = alpha * x[i];
            for (int r = 0; r < count; r++) acc = fma(coefficients[r], rows[(long) r * n + i], acc);
            out[i] = acc;
        }
    }
}
