// peak_fma.cl: the device's practical float32 peak, for reporting kernels' fraction of it.
//
// Computes: for each work-item, CHAINS independent chains of float vectors of width VEC, each
// updated ROUNDS times by a = fma(a, m, c); the sum of all lanes is written so the work is kept.
// Independent chains hide FMA latency; m and c keep the values bounded.
// Work-items: 1-D, one output per work-item; the host picks the count to fill the device.
// Tuning constants (-D, from DevicePeak; the #ifndef defaults are the CPU tuning's): VEC (vector
// width: 16 under the CPU tuning, 1 under the GPU tuning), CHAINS (independent chains, 8), ROUNDS
// (updates per chain, 4096).

#ifndef VEC
#define VEC 16
#endif
#ifndef CHAINS
#define CHAINS 8
#endif
#ifndef ROUNDS
#define ROUNDS 4096
#endif

#if VEC == 16
typedef float16 vec;
#define SUM_LANES(v) (dot((v).s0123, (float4)(1)) + dot((v).s4567, (float4)(1)) \
                    + dot((v).s89ab, (float4)(1)) + dot((v).scdef, (float4)(1)))
#else
typedef float vec;
#define SUM_LANES(v) (v)
#endif

__kernel void peak_fma(__global float* out, const float seed, const float m, const float c) {
    int i = get_global_id(0);
    vec a[CHAINS];
    for (int k = 0; k < CHAINS; k++) a[k] = (vec)(seed + 0.001f * (i % 97) + 0.01f * k);
    for (int r = 0; r < ROUNDS; r++) {
        // Unrolled, the chains live in registers; as a loop, PoCL kept them in memory and the
        // loads and stores halved the rate (bench/RESULTS.md).
#pragma unroll
        for (int k = 0; k < CHAINS; k++) a[k] = fma(a[k], (vec)(m), (vec)(c));
    }
    float s = 0.0f;
    for (int k = 0; k < CHAINS; k++) s += SUM_LANES(a[k]);
    out[i] = s;
}
