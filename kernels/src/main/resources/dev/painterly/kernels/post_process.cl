// post_process.cl: the heavy parts of the post-processing (docs/algorithm.md section 3): He et al.'s
// colour-guided filter, PatchMatch (Barnes et al. 2009) and patch voting.
//
// Computes: guided_products, box_rows, box_columns, guided_coefficients and guided_output
// (PostProcess.guidedFilter: He et al.'s algorithm, its window means taken as separable row and column
// sums divided by the in-bounds count); pm_pack, pm_init, pm_search, pm_propagate and pm_output
// (PostProcess.patchMatch); vote (PostProcess.vote).
// Work-items: 1-D, one per position (box_rows and box_columns: one per element of every plane),
// global size rounded up to the work-group size. pm_search updates only its own position, in
// place; pm_propagate reads one copy of the field and writes the other (jump flooding), so no
// work-item reads what another writes in the same launch. vote gathers (one work-item per output
// position, looping over the patches that cover it), so it needs no atomics.
// Determinism: PatchMatch's distances are integer sums over 8-bit colour levels and its random
// numbers an integer hash of (key, stream, position), both as in dev.painterly.engine.
// PatchMatchRules and the Java reference, so every device computes the very same field.
// Tuning constants: none in this file; the host's GROUP_SIZE (ClPostProcess) sets the work-group
// size. GUIDE_PLANES (-D, from ClPostProcess.DEFINES; the #ifndef default equals it) is the count of
// planes guided_products writes before the per-channel ones: the guide's 3 and their 6 products. pm_distance stops summing after a row once the sum reaches the best distance so far,
// which leaves every decision unchanged (only a strictly smaller distance is accepted).
// Work-items left out by the query mask return at once (timings: bench/RESULTS.md).

#ifndef GUIDE_PLANES
#define GUIDE_PLANES 9
#endif
#if GUIDE_PLANES != 9
#error "guided_products writes the guide's 3 planes and their 6 products: GUIDE_PLANES must be 9"
#endif

// ---- guided filter ---------------------------------------------------------------------------

// The planes whose window means the filter needs, per position p: I_0..I_2 (the guide), the
// products I_0I_0, I_0I_1, I_0I_2, I_1I_1, I_1I_2, I_2I_2, then per input channel c the four
// planes p_c, I_0 p_c, I_1 p_c, I_2 p_c (stack has 9 + 4 * channels planes).
__kernel void guided_products(__global const float* guide, __global const float* input, __global float* stack,
                              const int channels, const int plane) {
    int p = get_global_id(0);
    if (p >= plane) return;
    float i0 = guide[p], i1 = guide[plane + p], i2 = guide[2 * plane + p];
    stack[p] = i0;
    stack[plane + p] = i1;
    stack[2 * plane + p] = i2;
    stack[3 * plane + p] = i0 * i0;
    stack[4 * plane + p] = i0 * i1;
    stack[5 * plane + p] = i0 * i2;
    stack[6 * plane + p] = i1 * i1;
    stack[7 * plane + p] = i1 * i2;
    stack[8 * plane + p] = i2 * i2;
    for (int c = 0; c < channels; c++) {
        float v = input[c * plane + p];
        int base = (GUIDE_PLANES + 4 * c) * plane + p;
        stack[base] = v;
        stack[base + plane] = i0 * v;
        stack[base + 2 * plane] = i1 * v;
        stack[base + 3 * plane] = i2 * v;
    }
}

// dst = the sum of src over the row window [x-r, x+r] clipped to the row; planes x h x w elements.
__kernel void box_rows(__global const float* src, __global float* dst, const int n, const int w, const int r) {
    int i = get_global_id(0);
    if (i >= n) return;
    int x = i % w, row = i - x;
    float acc = 0.0f;
    for (int sx = max(0, x - r); sx <= min(w - 1, x + r); sx++) acc += src[row + sx];
    dst[i] = acc;
}

// dst = the sum of src (row sums) over the column window [y-r, y+r] clipped to the plane, divided
// by the number of in-bounds positions of the whole window: the window mean.
__kernel void box_columns(__global const float* src, __global float* dst, const int n, const int h, const int w,
                          const int r) {
    int i = get_global_id(0);
    if (i >= n) return;
    int x = i % w, y = (i / w) % h, base = i - (y * w + x);
    int y0 = max(0, y - r), y1 = min(h - 1, y + r);
    float acc = 0.0f;
    for (int sy = y0; sy <= y1; sy++) acc += src[base + sy * w + x];
    int count = (y1 - y0 + 1) * (min(w - 1, x + r) - max(0, x - r) + 1);
    dst[i] = acc / (float) count;
}

// Per position: from the window means (stack layout of guided_products), the coefficients a_0,
// a_1, a_2, b of every input channel c into planes 4c..4c+3 of coefficients. The 3x3 solve uses
// the adjugate of the symmetric Sigma + eps Id, as the Java reference does.
__kernel void guided_coefficients(__global const float* means, __global float* coefficients,
                                  const int channels, const int plane, const float eps) {
    int p = get_global_id(0);
    if (p >= plane) return;
    float m0 = means[p], m1 = means[plane + p], m2 = means[2 * plane + p];
    float s00 = means[3 * plane + p] - m0 * m0 + eps;
    float s01 = means[4 * plane + p] - m0 * m1;
    float s02 = means[5 * plane + p] - m0 * m2;
    float s11 = means[6 * plane + p] - m1 * m1 + eps;
    float s12 = means[7 * plane + p] - m1 * m2;
    float s22 = means[8 * plane + p] - m2 * m2 + eps;
    float i00 = s11 * s22 - s12 * s12;
    float i01 = s02 * s12 - s01 * s22;
    float i02 = s01 * s12 - s02 * s11;
    float i11 = s00 * s22 - s02 * s02;
    float i12 = s01 * s02 - s00 * s12;
    float i22 = s00 * s11 - s01 * s01;
    float det = s00 * i00 + s01 * i01 + s02 * i02;
    for (int c = 0; c < channels; c++) {
        int base = (GUIDE_PLANES + 4 * c) * plane + p;
        float mp = means[base];
        float c0 = means[base + plane] - m0 * mp;
        float c1 = means[base + 2 * plane] - m1 * mp;
        float c2 = means[base + 3 * plane] - m2 * mp;
        float a0 = (i00 * c0 + i01 * c1 + i02 * c2) / det;
        float a1 = (i01 * c0 + i11 * c1 + i12 * c2) / det;
        float a2 = (i02 * c0 + i12 * c1 + i22 * c2) / det;
        int out = 4 * c * plane + p;
        coefficients[out] = a0;
        coefficients[out + plane] = a1;
        coefficients[out + 2 * plane] = a2;
        coefficients[out + 3 * plane] = mp - a0 * m0 - a1 * m1 - a2 * m2;
    }
}

// out_c = mean(a) . I + mean(b), from the window means of the coefficients.
__kernel void guided_output(__global const float* meanCoefficients, __global const float* guide, __global float* out,
                            const int channels, const int plane) {
    int p = get_global_id(0);
    if (p >= plane) return;
    float i0 = guide[p], i1 = guide[plane + p], i2 = guide[2 * plane + p];
    for (int c = 0; c < channels; c++) {
        int base = 4 * c * plane + p;
        out[c * plane + p] = meanCoefficients[base + 3 * plane] + meanCoefficients[base] * i0
            + meanCoefficients[base + plane] * i1 + meanCoefficients[base + 2 * plane] * i2;
    }
}

// ---- PatchMatch ------------------------------------------------------------------------------

// lowbias32 (C. Wellons' hash prospector), as PatchMatchRules.hash.
uint pm_hash(uint x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

// PatchMatchRules.below: the draw of a stream at position p, reduced to [0, n).
int pm_below(uint key, uint stream, uint p, uint n) {
    return (int) (pm_hash(pm_hash(key ^ stream) ^ p) % n);
}

// PatchMatchRules.searchStream.
uint pm_search_stream(int iteration, int step, int axis) {
    return (uint) ((iteration << 6) | (step << 1) | axis);
}

// Every position's colour levels rint(clamp(v, 0, 1) * 255), 8 bits per channel, channel 0 low.
__kernel void pm_pack(__global const float* x, __global uint* packed, const int channels, const int plane) {
    int p = get_global_id(0);
    if (p >= plane) return;
    uint v = 0;
    for (int c = 0; c < channels; c++) {
        uint level = (uint) rint(clamp(x[c * plane + p], 0.0f, 1.0f) * 255.0f);
        v |= level << (8 * c);
    }
    packed[p] = v;
}

// The geometry of one call: a is h x w, b is h2 x w2, patches of radius r. The patch of p spans
// the offsets [x0, x1] x [y0, y1]; p's admissible q lie in [-x0, w2-1-x1] x [-y0, h2-1-y1].
#define PM_GEOMETRY const int channels, const int h, const int w, const int h2, const int w2, const int r

int pm_clamp(int px, int py, int qx, int qy, const int h, const int w, const int h2, const int w2, const int r) {
    int x = min(max(qx, min(r, px)), w2 - 1 - min(r, w - 1 - px));
    int y = min(max(qy, min(r, py)), h2 - 1 - min(r, h - 1 - py));
    return y * w2 + x;
}

// dist(p, q); once a row brings the sum to bound or beyond, that partial sum (see the header).
int pm_distance(__global const uint* a, __global const uint* b, int px, int py, int q, int bound, PM_GEOMETRY) {
    int qx = q % w2, qy = q / w2;
    int x0 = -min(r, px), x1 = min(r, w - 1 - px);
    int y0 = -min(r, py), y1 = min(r, h - 1 - py);
    int sum = 0;
    for (int dy = y0; dy <= y1; dy++) {
        __global const uint* ar = a + (py + dy) * w + px;
        __global const uint* br = b + (qy + dy) * w2 + qx;
        for (int dx = x0; dx <= x1; dx++) {
            uint u = ar[dx], v = br[dx];
            for (int c = 0; c < channels; c++) {
                int d = (int) ((u >> (8 * c)) & 0xffu) - (int) ((v >> (8 * c)) & 0xffu);
                sum += d * d;
            }
        }
        if (sum >= bound) return sum;
    }
    return sum;
}

// The random initial field and its distances; -1 at positions left out (masked = 1 and
// queryMask[p] <= 0; queryMask is not read when masked = 0), which the later kernels skip.
__kernel void pm_init(__global const uint* a, __global const uint* b, __global const float* queryMask,
                      const int masked, __global int* q, __global int* dist, const uint key, PM_GEOMETRY) {
    int p = get_global_id(0);
    if (p >= h * w) return;
    if (masked && !(queryMask[p] > 0.0f)) {
        q[p] = -1;
        dist[p] = INT_MAX;
        return;
    }
    int px = p % w, py = p / w;
    int lox = min(r, px), hix = w2 - 1 - min(r, w - 1 - px);
    int loy = min(r, py), hiy = h2 - 1 - min(r, h - 1 - py);
    int qx = lox + pm_below(key, 0u, (uint) p, (uint) (hix - lox + 1));
    int qy = loy + pm_below(key, 1u, (uint) p, (uint) (hiy - loy + 1));
    q[p] = qy * w2 + qx;
    dist[p] = pm_distance(a, b, px, py, qy * w2 + qx, INT_MAX, channels, h, w, h2, w2, r);
}

// The random search of one iteration at every position, in place: radii max(w2, h2) >> j.
__kernel void pm_search(__global const uint* a, __global const uint* b, __global int* q, __global int* dist,
                        const uint key, const int iteration, PM_GEOMETRY) {
    int p = get_global_id(0);
    if (p >= h * w) return;
    int px = p % w, py = p / w;
    int best = q[p], bestDist = dist[p];
    if (best < 0) return;
    int widest = max(w2, h2);
    for (int j = 0; (widest >> j) >= 1; j++) {
        int radius = widest >> j;
        int ux = pm_below(key, pm_search_stream(iteration, j, 0), (uint) p, (uint) (2 * radius + 1));
        int uy = pm_below(key, pm_search_stream(iteration, j, 1), (uint) p, (uint) (2 * radius + 1));
        int candidate = pm_clamp(px, py, best % w2 + ux - radius, best / w2 + uy - radius, h, w, h2, w2, r);
        if (candidate != best) {
            int d = pm_distance(a, b, px, py, candidate, bestDist, channels, h, w, h2, w2, r);
            if (d < bestDist) {
                best = candidate;
                bestDist = d;
            }
        }
    }
    q[p] = best;
    dist[p] = bestDist;
}

// One propagation pass of step k: candidates NNF(p+e) - e for e = (-k,0), (k,0), (0,-k), (0,k),
// read from (q, dist), the result written to (q2, dist2).
__kernel void pm_propagate(__global const uint* a, __global const uint* b, __global const int* q,
                           __global const int* dist, __global int* q2, __global int* dist2, const int k, PM_GEOMETRY) {
    int p = get_global_id(0);
    if (p >= h * w) return;
    int px = p % w, py = p / w;
    int best = q[p], bestDist = dist[p];
    for (int e = 0; e < 4 && best >= 0; e++) {
        int ex = e == 0 ? -k : e == 1 ? k : 0;
        int ey = e == 2 ? -k : e == 3 ? k : 0;
        int nx = px + ex, ny = py + ey;
        if (nx < 0 || nx >= w || ny < 0 || ny >= h) continue;
        int m = q[ny * w + nx];
        if (m < 0) continue;
        int candidate = pm_clamp(px, py, m % w2 - ex, m / w2 - ey, h, w, h2, w2, r);
        if (candidate != best) {
            int d = pm_distance(a, b, px, py, candidate, bestDist, channels, h, w, h2, w2, r);
            if (d < bestDist) {
                best = candidate;
                bestDist = d;
            }
        }
    }
    q2[p] = best;
    dist2[p] = bestDist;
}

// The field as float positions.
__kernel void pm_output(__global const int* q, __global float* nnf, const int n) {
    int p = get_global_id(0);
    if (p < n) nnf[p] = (float) q[p];
}

// ---- voting ----------------------------------------------------------------------------------

// out (channels x h x w) at x: the mean over the window of radius r around x of b at NNF(x+e) - e,
// skipping unmatched entries and sources outside b (h2 x w2); 0 without any vote.
__kernel void vote(__global const float* nnf, __global const float* b, __global float* out,
                   const int channels, const int h, const int w, const int h2, const int w2, const int r) {
    int x = get_global_id(0);
    int n = h * w;
    if (x >= n) return;
    int xx = x % w, xy = x / w;
    for (int c = 0; c < channels; c++) {
        __global const float* bc = b + c * h2 * w2;
        float acc = 0.0f;
        int count = 0;
        for (int ey = max(-r, -xy); ey <= min(r, h - 1 - xy); ey++) {
            for (int ex = max(-r, -xx); ex <= min(r, w - 1 - xx); ex++) {
                float m = nnf[(xy + ey) * w + xx + ex];
                if (m < 0.0f) continue;
                int qi = (int) m;
                int sx = qi % w2 - ex, sy = qi / w2 - ey;
                if (sx < 0 || sx >= w2 || sy < 0 || sy >= h2) continue;
                acc += bc[sy * w2 + sx];
                count++;
            }
        }
        out[c * n + x] = count == 0 ? 0.0f : acc / (float) count;
    }
}
