// gram.cl: Gram matrices G = scale * F F^T of C x N feature maps (N = H*W) and their backward.
//
// Computes:
//   gram_tiles         the TILE x TILE tiles of scale * F F^T on or above the diagonal, each over
//                      one slice of the N axis ("split-K", so that C = 64 with N in the hundreds of
//                      thousands still fills the device), written to its place and its mirror;
//   gram_sum_slices    scale * the sum of the slices' C x C partials;
//   gram_symmetrize    S = scale * (gradG + gradG^T);
//   gram_backward      gradF = S F, a C x C by C x N product; S is symmetric, which is why the
//                      backward is this product and why S can be read row-wise as S^T.
// Work-items: the two products run 2-D groups of RTS x RTS = (TILE/WPT)^2 work-items, a group per
// TILE x TILE output tile and each work-item a WPT x WPT block of it in registers. Work-item
// (tx, ty) owns rows ty + w*RTS and columns tx + w*RTS (w < WPT): interleaved, so neighbouring
// work-items read neighbouring local-memory words and write neighbouring output columns. The
// reduction axis is walked TILE_K at a time through local memory (padded by one word against
// bank conflicts). gram_tiles: dim 0 = upper-triangle tile (row by row) * RTS, dim 1 = RTS,
// dim 2 = slice. gram_backward: dim 0 = column tile of N * RTS, dim 1 = row tile of C * RTS.
// gram_sum_slices and gram_symmetrize: 1-D, one work-item per element of the C x C output.
// Accuracy: gram_tiles adds each TILE_K step into a fresh register block before adding it to the
// running sum, so a long slice accumulates N/TILE_K rounding steps instead of N.
// Tuning constants (-D): TILE (output tile edge), WPT (outputs per work-item along each edge,
// dividing TILE), TILE_K (reduction step in local memory). CPU (PoCL): TILE 64, WPT 8, TILE_K 16;
// GPU: TILE 64, WPT 4, TILE_K 16.

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

__kernel void gram_symmetrize(__global const float* g, const float scale, const int channels,
                              __global float* s) {
    int e = get_global_id(0);
    if (e >= channels * channels) return;
    int i = e / channels, j = e % channels;
    s[e] = scale * (g[e] + g[j * channels + i]);
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
