// gram.cl: Gram matrices G = scale * F F^T of C x N feature maps (N = H*W) and their backward,
// in three versions: the plain kernels, which mirror the definition; register blocks along N with
// vector loads (the _vec kernels, for CPUs, where PoCL keeps float16 blocks in AVX-512 registers);
// and local-memory tiles (for GPUs).
//
// Computes:
//   gram_plain            G[i,j] = scale * sum_p F[i,p] F[j,p], every entry on its own;
//   gram_backward_plain   gradF[i,p] = scale * sum_j (gradG[i,j] + gradG[j,i]) F[j,p];
//   gram_vec, gram_tiles  the blocks of scale * F F^T on or above the diagonal, each over one
//                         slice of the N axis ("split-K", so that C = 64 with N in the hundreds
//                         of thousands still fills the device), written to their place and their
//                         mirror (both kernels: symmetric by construction);
//   gram_sum_slices       scale * the sum of the slices' C x C partials;
//   gram_symmetrize       S = scale * (gradG + gradG^T), rows padded with zeros to a pitch;
//   gram_backward_vec, gram_backward
//                         gradF = S F, a C x C by C x N product; S is symmetric, which is why the
//                         backward is this product and why S can be read row-wise as S^T.
// Work-items:
//   gram_plain: 2-D (j, i), one output entry each, no tiling and no use of the symmetry.
//   gram_backward_plain: 2-D (p, i), one entry of gradF each; neighbouring work-items read
//     neighbouring columns of F.
//   gram_vec: 2-D (upper-triangle block of R x R output elements, counted row by row; slice).
//     Each work-item keeps R x R floatVEC accumulators of lane-wise partial dot products and
//     loads R + R rows of F VEC floats at a time; the lanes are summed at the end. The blocks of
//     a slice vary fastest, so that they share its part of F (C x sliceLength floats) while that
//     is in cache.
//   gram_backward_vec: 2-D (block of TO rows of gradF, run of RUNS x VEC columns); TO floatVEC
//     accumulators per run, each F vector feeding TO FMAs with S values broadcast from memory.
//     The row blocks vary fastest, so the runs of F they share stay in cache.
//   gram_tiles, gram_backward: 2-D groups of RTS x RTS = (TILE/WPT)^2 work-items, a group per
//     TILE x TILE output tile and each work-item a WPT x WPT block of it in registers. Work-item
//     (tx, ty) owns rows ty + w*RTS and columns tx + w*RTS (w < WPT): interleaved, so
//     neighbouring work-items read neighbouring local-memory words and write neighbouring output
//     columns. The reduction axis is walked TILE_K at a time through local memory (padded by one
//     word against bank conflicts). gram_tiles: dim 0 = upper-triangle tile (row by row) * RTS,
//     dim 1 = RTS, dim 2 = slice. gram_backward: dim 0 = column tile of N * RTS, dim 1 = row tile
//     of C * RTS.
//   gram_sum_slices and gram_symmetrize: 1-D, one work-item per element of the output.
// Accuracy: gram_vec's lanes each sum sliceLength/VEC products; gram_tiles adds each TILE_K step
// into a fresh register block before adding it to the running sum. Either way a long slice
// accumulates far fewer rounding steps than N; gram_plain keeps one running sum over all of N.
// Tuning constants (-D, chosen per tuning by ClGram): VEC (vector width), R (gram_vec block edge),
// TO (gram_backward_vec rows), RUNS (gram_backward_vec runs per work-item); TILE (output tile
// edge), WPT (outputs per work-item along each edge, dividing TILE), TILE_K (reduction step in
// local memory). The CPU tuning sets VEC 16, R 4, TO 16, RUNS 16; the GPU tuning TILE 64, WPT 4,
// TILE_K 16; the #ifndef defaults are those values.

#ifndef VEC
#define VEC 16
#endif
#ifndef R
#define R 4
#endif
#ifndef TO
#define TO 16
#endif
#ifndef RUNS
#define RUNS 16
#endif
#ifndef TILE
#define TILE 64
#endif
#ifndef WPT
#define WPT 4
#endif
#ifndef TILE_K
#define TILE_K 16
#endif

#define RTS (TILE / WPT)

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define floatV CAT(float, VEC)
#define vloadV CAT(vload, VEC)
#define vstoreV CAT(vstore, VEC)

__kernel void gram_plain(__global const float* f, const int channels, const int n, const float scale,
                         __global float* out) {
    const int j = get_global_id(0), i = get_global_id(1);
    if (i >= channels || j >= channels) return;
    float acc = 0.0f;
    for (int p = 0; p < n; p++) acc = fma(f[i * n + p], f[j * n + p], acc);
    out[i * channels + j] = scale * acc;
}

__kernel void gram_backward_plain(__global const float* g, __global const float* f, const int channels, const int n,
                                  const float scale, __global float* gradF) {
    const int p = get_global_id(0), i = get_global_id(1);
    if (p >= n || i >= channels) return;
    float acc = 0.0f;
    for (int j = 0; j < channels; j++) acc = fma(g[i * channels + j] + g[j * channels + i], f[j * n + p], acc);
    gradF[i * n + p] = scale * acc;
}

__kernel __attribute__((reqd_work_group_size(RTS, RTS, 1)))
void gram_tiles(__global const float* f, const int channels, const int n, const int sliceLength,
                const float scale, __global float* out) {
    __local float rowsI[TILE_K][TILE + 1];
    __local float rowsJ[TILE_K][TILE + 1];
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int lid = ty * RTS + tx;

    // Upper-triangle tile number -> (ti, tj), ti <= tj, counted row by row.
    const int tiles = (channels + TILE - 1) / TILE;
    int rest = get_group_id(0), ti = 0;
    while (rest >= tiles - ti) {
        rest -= tiles - ti;
        ti++;
    }
    const int tj = ti + rest;
    const int i0 = ti * TILE, j0 = tj * TILE;

    const int slice = get_group_id(2);
    const int kBegin = slice * sliceLength;
    const int kEnd = min(n, kBegin + sliceLength);

    float acc[WPT][WPT];
    float step[WPT][WPT];
    for (int a = 0; a < WPT; a++) {
        for (int b = 0; b < WPT; b++) {
            acc[a][b] = 0.0f;
            step[a][b] = 0.0f;
        }
    }

    for (int k0 = kBegin; k0 < kEnd; k0 += TILE_K) {
        // Adjacent work-items load adjacent k of one row (coalesced), stored transposed.
        for (int e = lid; e < TILE * TILE_K; e += RTS * RTS) {
            int r = e / TILE_K, kk = e % TILE_K;
            int k = k0 + kk;
            rowsI[kk][r] = (k < kEnd && i0 + r < channels) ? f[(i0 + r) * n + k] : 0.0f;
            rowsJ[kk][r] = (k < kEnd && j0 + r < channels) ? f[(j0 + r) * n + k] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        #pragma unroll
        for (int kk = 0; kk < TILE_K; kk++) {
            float vi[WPT], vj[WPT];
            for (int w = 0; w < WPT; w++) {
                vi[w] = rowsI[kk][ty + w * RTS];
                vj[w] = rowsJ[kk][tx + w * RTS];
            }
            for (int a = 0; a < WPT; a++) {
                for (int b = 0; b < WPT; b++) step[a][b] = fma(vi[a], vj[b], step[a][b]);
            }
        }
        for (int a = 0; a < WPT; a++) {
            for (int b = 0; b < WPT; b++) {
                acc[a][b] += step[a][b];
                step[a][b] = 0.0f;
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    __global float* dst = out + slice * channels * channels;
    for (int a = 0; a < WPT; a++) {
        int i = i0 + ty + a * RTS;
        for (int b = 0; b < WPT; b++) {
            int j = j0 + tx + b * RTS;
            if (i < channels && j < channels) {
                float v = scale * acc[a][b];
                dst[i * channels + j] = v;
                if (ti != tj) dst[j * channels + i] = v;
            }
        }
    }
}

// out[e] = scale * sum over s < slices of partials[s * count + e].
__kernel void gram_sum_slices(__global const float* partials, const int slices, const int count,
                              const float scale, __global float* out) {
    int e = get_global_id(0);
    if (e >= count) return;
    float acc = 0.0f;
    for (int s = 0; s < slices; s++) acc += partials[s * count + e];
    out[e] = scale * acc;
}

// s[i * pitch + j] = scale * (g[i,j] + g[j,i]) for j < C, 0 for C <= j < pitch.
__kernel void gram_symmetrize(__global const float* g, const float scale, const int channels, const int pitch,
                              __global float* s) {
    int e = get_global_id(0);
    if (e >= channels * pitch) return;
    int i = e / pitch, j = e % pitch;
    s[e] = j < channels ? scale * (g[i * channels + j] + g[j * channels + i]) : 0.0f;
}

// gradF[i,p] = sum_j s[j,i] f[j,p] with s symmetric.
__kernel __attribute__((reqd_work_group_size(RTS, RTS, 1)))
void gram_backward(__global const float* s, __global const float* f, const int channels, const int n,
                   __global float* gradF) {
    __local float sTile[TILE_K][TILE + 1];
    __local float fTile[TILE_K][TILE + 1];
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int lid = ty * RTS + tx;
    const int p0 = get_group_id(0) * TILE;
    const int i0 = get_group_id(1) * TILE;

    float acc[WPT][WPT];
    for (int a = 0; a < WPT; a++) {
        for (int b = 0; b < WPT; b++) acc[a][b] = 0.0f;
    }

    for (int k0 = 0; k0 < channels; k0 += TILE_K) {
        // Both tiles are TILE_K rows of contiguous columns: adjacent work-items, adjacent words.
        for (int e = lid; e < TILE * TILE_K; e += RTS * RTS) {
            int kk = e / TILE, c = e % TILE;
            int j = k0 + kk;
            sTile[kk][c] = (j < channels && i0 + c < channels) ? s[j * channels + i0 + c] : 0.0f;
            fTile[kk][c] = (j < channels && p0 + c < n) ? f[j * n + p0 + c] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        #pragma unroll
        for (int kk = 0; kk < TILE_K; kk++) {
            float vs[WPT], vf[WPT];
            for (int w = 0; w < WPT; w++) {
                vs[w] = sTile[kk][ty + w * RTS];
                vf[w] = fTile[kk][tx + w * RTS];
            }
            for (int a = 0; a < WPT; a++) {
                for (int b = 0; b < WPT; b++) acc[a][b] = fma(vs[a], vf[b], acc[a][b]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int a = 0; a < WPT; a++) {
        int i = i0 + ty + a * RTS;
        if (i >= channels) continue;
        for (int b = 0; b < WPT; b++) {
            int p = p0 + tx + b * RTS;
            if (p < n) gradF[i * n + p] = acc[a][b];
        }
    }
}

float lane_sum(floatV v) {
    float lanes[VEC];
    vstoreV(v, 0, lanes);
    float acc = 0.0f;
    for (int l = 0; l < VEC; l++) acc += lanes[l];
    return acc;
}

// The R x R block (bi, bj), bi <= bj, of scale * F F^T over the slice [slice * sliceLength,
// + sliceLength) of N, at out + slice * C * C, and its mirror. Rows past C are read as row C - 1
// and not stored.
__kernel void gram_vec(__global const float* restrict f, const int channels, const int n, const int sliceLength,
                       const float scale, __global float* restrict out) {
    const int blocks = (channels + R - 1) / R;
    int rest = get_global_id(0), bi = 0;
    while (rest >= blocks - bi) {
        rest -= blocks - bi;
        bi++;
    }
    const int bj = bi + rest;
    const int slice = get_global_id(1);
    const int kBegin = slice * sliceLength, kEnd = min(n, kBegin + sliceLength);

    int rowI[R], rowJ[R];
    for (int a = 0; a < R; a++) {
        rowI[a] = min(bi * R + a, channels - 1) * n;
        rowJ[a] = min(bj * R + a, channels - 1) * n;
    }
    floatV acc[R][R];
#pragma unroll
    for (int a = 0; a < R; a++) {
#pragma unroll
        for (int b = 0; b < R; b++) acc[a][b] = (floatV)(0.0f);
    }
    int k = kBegin;
    for (; k + VEC <= kEnd; k += VEC) {
        floatV vi[R], vj[R];
#pragma unroll
        for (int a = 0; a < R; a++) {
            vi[a] = vloadV(0, f + rowI[a] + k);
            vj[a] = vloadV(0, f + rowJ[a] + k);
        }
#pragma unroll
        for (int a = 0; a < R; a++) {
#pragma unroll
            for (int b = 0; b < R; b++) acc[a][b] = fma(vi[a], vj[b], acc[a][b]);
        }
    }
    float sums[R][R];
    for (int a = 0; a < R; a++) {
        for (int b = 0; b < R; b++) sums[a][b] = lane_sum(acc[a][b]);
    }
    for (; k < kEnd; k++) {
        for (int a = 0; a < R; a++) {
            for (int b = 0; b < R; b++) sums[a][b] = fma(f[rowI[a] + k], f[rowJ[b] + k], sums[a][b]);
        }
    }

    __global float* dst = out + slice * channels * channels;
    for (int a = 0; a < R; a++) {
        const int i = bi * R + a;
        for (int b = 0; b < R; b++) {
            const int j = bj * R + b;
            if (i < channels && j < channels) {
                const float v = scale * sums[a][b];
                dst[i * channels + j] = v;
                dst[j * channels + i] = v;
            }
        }
    }
}

// gradF[i,p] = sum_j s[j * pitch + i] f[j,p] for rows i of block get_global_id(0) (TO rows) and
// RUNS runs of VEC columns from RUNS * VEC * get_global_id(1); s from gram_symmetrize with
// pitch >= the row blocks' extent, so rows past C read zeros (and are not stored).
__kernel void gram_backward_vec(__global const float* restrict s, const int pitch, __global const float* restrict f,
                                const int channels, const int n, __global float* restrict gradF) {
    const int i0 = get_global_id(0) * TO;
    for (int r = 0; r < RUNS; r++) {
        const int p0 = (get_global_id(1) * RUNS + r) * VEC;
        if (p0 >= n) return;
        floatV acc[TO];
#pragma unroll
        for (int o = 0; o < TO; o++) acc[o] = (floatV)(0.0f);
        const __global float* sj = s + i0;
        if (p0 + VEC <= n) {
            const __global float* fj = f + p0;
            for (int j = 0; j < channels; j++, fj += n, sj += pitch) {
                const floatV v = vloadV(0, fj);
#pragma unroll
                for (int o = 0; o < TO; o++) acc[o] = fma(v, (floatV)(sj[o]), acc[o]);
            }
        } else {
            // The last, partial run: lanes past N read zeros rather than the next row.
            for (int j = 0; j < channels; j++, sj += pitch) {
                float lanes[VEC];
                for (int l = 0; l < VEC; l++) lanes[l] = p0 + l < n ? f[j * n + p0 + l] : 0.0f;
                const floatV v = vloadV(0, lanes);
                for (int o = 0; o < TO; o++) acc[o] = fma(v, (floatV)(sj[o]), acc[o]);
            }
        }
        for (int o = 0; o < TO && i0 + o < channels; o++) {
            __global float* dst = gradF + (i0 + o) * n + p0;
            if (p0 + VEC <= n) {
                vstoreV(acc[o], 0, dst);
            } else {
                float lanes[VEC];
                vstoreV(acc[o], 0, lanes);
                for (int l = 0; p0 + l < n; l++) dst[l] = lanes[l];
            }
        }
    }
}
