// convolution_winograd.cl: 3x3 convolution, stride 1, zero padding 1, on C x H x W float32 maps, by
// Winograd's minimal filtering F(4x4, 3x3) (Lavin and Gray, 2016, with the points 0, +-1, +-2
// and infinity): per 4x4 output tile, out = A^T [sum_i (G g_i G^T) . (B^T d_i B)] A + bias, with
// d_i the 6x6 input patch of the tile in input channel i and g_i the 3x3 filter from channel i.
// The 36 positions xi = 6k + l of the transformed tile are 36 independent matrix products
// M[xi] = U[xi] (outC x inC) x V[xi] (inC x tiles): 36 multiply-adds per 16 outputs and pair of
// channels, where the direct convolution needs 144.
//
// Layouts (T = tilesY x tilesX tiles, numbered t = ty * tilesX + tx, in TB = ceil(T / 16) blocks
// of 16; OB = ceil(outC / TO) blocks of output channels):
//   U [36][OB][inC][TO]   transformed weights, zeros past outC (winograd_weights)
//   V [36][TB][inC][16]   transformed input tiles, zeros past T (winograd_input)
//   M [36][TB][outC][16]  the products (winograd_multiply), turned into the output by
//                         winograd_output
// winograd_fused does all three steps per block of 16 tiles, with V and M in local memory.
// A block's tiles may lie on several tile rows (see block_input): every lane works whatever
// tilesX, and V and M move in whole aligned vectors. Transformed inputs below TINY in magnitude
// are stored as 0 (see block_input).
//
// The ReLU that follows each convolution in VGG runs inside it, to save a pass over memory each
// way: with relu = 1 the kernels that write pixels (winograd_output, winograd_fused) store
// max(0, output); with masked = 1 the kernels that read a map (winograd_input, winograd_fused),
// given a gradient to a ReLU's output, read it as 0 wherever that output, reluOut, is not positive:
// the ReLU's backward. Both flags are uniform over a launch; reluOut is not read when masked is 0.
//
// Work-items:
//   winograd_weights: 2-D (input channel, block of TO output channels), scalar.
//   winograd_input:  2-D (input channel, block of 16 tiles); float16 lanes are the 16 tiles,
//     whose 6-column patches it picks out of 66 consecutive input columns of a tile row by
//     swizzles, so every load is a plain vector load. The channels vary fastest, so that
//     consecutive work-items write neighbouring 64-byte runs of V, not runs a page apart.
//   winograd_multiply: 3-D (block of TO output channels, block of 16 tiles, xi): TO float16
//     accumulators (lanes = tiles) over the input channels, one vector load and TO scalar weight
//     broadcasts per channel, as in conv3x3_tiled. The channel blocks vary fastest, so the
//     blocks that share a tile block's V run back to back while it is in cache.
//   winograd_output: 2-D (output channel, block of 16 tiles), the inverse of winograd_input.
//   winograd_fused: 1-D (block of 16 tiles), work-groups of one.
// winograd_input, winograd_multiply and winograd_output use no local memory and no barrier, and
// their work-items past the grid's edge return at once: the host runs them in work-groups of one
// under the CPU tuning and of 64 under the GPU tuning.
// The helpers are always inlined: PoCL's compiler split the float16 work of helpers that were
// called, not inlined, into 256-bit halves.
//
// Build options (-D, from ClWinograd.DEFINES; the #ifndef defaults equal them):
//   TO     output channels per winograd_multiply work-item (and per block of U), a tuning constant
//   LANES  tiles per vector: 16, the lanes of the float16 the kernels are written in (no other
//          value compiles)

#ifndef TO
#define TO 16
#endif
#ifndef LANES
#define LANES 16
#endif
#if LANES != 16
#error "convolution_winograd.cl holds a run of tiles in the 16 lanes of a float16: LANES must be 16"
#endif

// The 6 rows of B^T applied to d0..d5 (rounding-friendly forms of Lavin and Gray's B^T).
#define INPUT_TRANSFORM(d, r)                                  \
    do {                                                       \
        r[0] = 4.0f * (d[0] - d[2]) + (d[4] - d[2]);           \
        r[1] = (d[3] + d[4]) - 4.0f * (d[1] + d[2]);           \
        r[2] = 4.0f * (d[1] - d[2]) + (d[4] - d[3]);           \
        r[3] = (d[4] - d[2]) - 2.0f * (d[1] - d[3]);           \
        r[4] = 2.0f * (d[1] - d[3]) + (d[4] - d[2]);           \
        r[5] = 4.0f * (d[1] - d[3]) + (d[5] - d[3]);           \
    } while (0)

// The 4 rows of A^T applied to m0..m5.
#define OUTPUT_TRANSFORM(m, r)                                 \
    do {                                                       \
        const float16 s12 = m[1] + m[2], d12 = m[1] - m[2];    \
        const float16 s34 = m[3] + m[4], d34 = m[3] - m[4];    \
        r[0] = m[0] + s12 + s34;                               \
        r[1] = 2.0f * d34 + d12;                               \
        r[2] = 4.0f * s34 + s12;                               \
        r[3] = (8.0f * d34 + d12) + m[5];                      \
    } while (0)

// The 6 rows of G applied to g0..g2.
#define WEIGHT_TRANSFORM(g, r)                                 \
    do {                                                       \
        r[0] = g[0] * 0.25f;                                   \
        r[1] = (g[0] + g[1] + g[2]) * (-1.0f / 6.0f);          \
        r[2] = (g[0] - g[1] + g[2]) * (-1.0f / 6.0f);          \
        r[3] = fma(2.0f, g[1], g[0] + 4.0f * g[2]) / 24.0f;    \
        r[4] = fma(-2.0f, g[1], g[0] + 4.0f * g[2]) / 24.0f;   \
        r[5] = g[2];                                           \
    } while (0)

// U[6k + l][ob][i][oo] = (G g G^T)[k][l] for the filter g from input channel i to output channel
// o = ob * TO + oo (zeros for o >= outC). W is [outC][inC][3][3]; with transpose = 1 it is the
// [inC][outC][3][3] weight of the adjoint convolution, and g[dy][dx] = W[i][o][2-dy][2-dx]: the
// weights that make the forward kernels compute the gradient to the input.
__kernel void winograd_weights(__global const float* restrict W, __global float* restrict U, const int outC,
                               const int inC, const int transpose) {
    const int i = get_global_id(0);
    const int ob = get_global_id(1);
    const int blocks = (outC + TO - 1) / TO;
    if (i >= inC || ob >= blocks) return;
    for (int oo = 0; oo < TO; oo++) {
        const int o = ob * TO + oo;
        float g[3][3];
        for (int tap = 0; tap < 9; tap++) {
            float v = 0.0f;
            if (o < outC) v = transpose ? W[(i * outC + o) * 9 + 8 - tap] : W[(o * inC + i) * 9 + tap];
            g[tap / 3][tap % 3] = v;
        }
        // Columns first: c[dy][l] = (g G^T)[dy][l], then rows: u[k][l] = (G c)[k][l].
        float c[3][6];
        for (int dy = 0; dy < 3; dy++) WEIGHT_TRANSFORM(g[dy], c[dy]);
        for (int l = 0; l < 6; l++) {
            const float col[3] = {c[0][l], c[1][l], c[2][l]};
            float u[6];
            WEIGHT_TRANSFORM(col, u);
            for (int k = 0; k < 6; k++) U[(((6 * k + l) * blocks + ob) * inC + i) * TO + oo] = u[k];
        }
    }
}

// Partial vectors in registers: lanes move by shuffles (one permute on AVX-512) and by static
// swizzles, and memory is touched in pieces of 8, 4, 2 and 1 floats, which need no alignment.
#define IOTA16 (uint16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

// v rotated by k lanes towards lane 0: lane j holds v's lane (j + k) mod 16.
static inline __attribute__((always_inline)) float16 rotate_lanes(const float16 v, const int k) {
    return shuffle(v, (IOTA16 + (uint16)(k)) & (uint16)(15));
}

// dst[0 .. n-1] = lanes 0 .. n-1 of v, for 0 <= n < 16.
static inline __attribute__((always_inline)) void store_head(float16 v, const int n, __global float* dst) {
    if (n & 8) { vstore8(v.lo, 0, dst); dst += 8; v = (float16)(v.hi, v.lo); }
    if (n & 4) { vstore4(v.s0123, 0, dst); dst += 4; v = v.s456789abcdef0123; }
    if (n & 2) { vstore2(v.s01, 0, dst); dst += 2; v = v.s23456789abcdef01; }
    if (n & 1) dst[0] = v.s0;
}

// Lanes 0 .. n-1 = src[0 .. n-1] and zeros past them, for 0 <= n < 16: pieces are read from the
// end of the run backwards, each shifting the lanes read so far up.
static inline __attribute__((always_inline)) float16 load_head(const __global float* src, const int n) {
    float16 v = (float16)(0.0f);
    int k = n;
    if (n & 1) { k -= 1; v = (float16)(src[k], v.s0123, v.s4567, v.s89ab, v.scde); }
    if (n & 2) { k -= 2; v = (float16)(vload2(0, src + k), v.s0123, v.s4567, v.s89ab, v.scd); }
    if (n & 4) { k -= 4; v = (float16)(vload4(0, src + k), v.s0123, v.s4567, v.s89ab); }
    if (n & 8) { k -= 8; v = (float16)(vload8(0, src + k), v.lo); }
    return v;
}

// Columns x .. x + 15 of a row, zeros outside 0 .. W-1: the columns inside are read in pieces
// (load_head) and moved up to their lanes, so a span across an edge costs a few vector loads
// rather than 16 guarded scalar ones.
static inline __attribute__((always_inline)) float16 load_columns(const __global float* row, const int x, const int W) {
    if (x >= 0 && x + 16 <= W) return vload16(0, row + x);
    const int lo = max(0, -x), hi = min(16, W - x);
    if (hi <= lo) return (float16)(0.0f);
    return rotate_lanes(load_head(row + x + lo, hi - lo), LANES - lo);
}

// Input columns x0 .. x0 + 65 of one row (zeros outside 0 .. W-1, and where yrow is not positive
// when masked), as four float16 (columns x0 .. x0 + 63) and two scalars.
static inline __attribute__((always_inline)) void load_span(const __global float* row, const __global float* yrow,
                      const int masked, const int x0, const int W, float16 a[4], float* e64, float* e65) {
    for (int k = 0; k < 4; k++) {
        const int x = x0 + 16 * k;
        a[k] = load_columns(row, x, W);
        if (masked) a[k] = select((float16)(0.0f), a[k], isgreater(load_columns(yrow, x, W), (float16)(0.0f)));
    }
    *e64 = x0 + 64 < W && (!masked || yrow[x0 + 64] > 0.0f) ? row[x0 + 64] : 0.0f;
    *e65 = x0 + 65 < W && (!masked || yrow[x0 + 65] > 0.0f) ? row[x0 + 65] : 0.0f;
}

// The transformed patches (B^T d B)[k][l] at v[6k + l] of the 16 tiles tx0 .. tx0 + 15 (lanes)
// of tile row ty in one channel plane: d = plane[4ty-1 .. 4ty+4][4tx-1 .. 4tx+4], zeros outside
// the map (tiles past the right edge get zeros too) and, with masked, where yplane is not positive.
static inline __attribute__((always_inline)) void input_tiles(const __global float* plane, const __global float* yplane,
                        const int masked, const int H, const int W, const int tx0, const int ty, float16 v[36]) {
    // e[r][l]: row r of the patches times B.
    float16 e[6][6];
    for (int r = 0; r < 6; r++) {
        const int y = 4 * ty - 1 + r;
        float16 d[6];
        if (y >= 0 && y < H) {
            float16 a[4];
            float e64, e65;
            load_span(plane + y * W, yplane + y * W, masked, 4 * tx0 - 1, W, a, &e64, &e65);
            // Column j of the span belongs to tile j / 4 at patch column j % 4, and patch columns
            // 4 and 5 are columns 0 and 1 of the next tile.
            d[0] = (float16)(a[0].s048c, a[1].s048c, a[2].s048c, a[3].s048c);
            d[1] = (float16)(a[0].s159d, a[1].s159d, a[2].s159d, a[3].s159d);
            d[2] = (float16)(a[0].s26ae, a[1].s26ae, a[2].s26ae, a[3].s26ae);
            d[3] = (float16)(a[0].s37bf, a[1].s37bf, a[2].s37bf, a[3].s37bf);
            d[4] = (float16)(d[0].s1234, d[0].s5678, d[0].s9abc, d[0].sdef, e64);
            d[5] = (float16)(d[1].s1234, d[1].s5678, d[1].s9abc, d[1].sdef, e65);
        } else {
            for (int j = 0; j < 6; j++) d[j] = (float16)(0.0f);
        }
        INPUT_TRANSFORM(d, e[r]);
    }
    for (int l = 0; l < 6; l++) {
        const float16 col[6] = {e[0][l], e[1][l], e[2][l], e[3][l], e[4][l], e[5][l]};
        float16 t[6];
        INPUT_TRANSFORM(col, t);
        for (int k = 0; k < 6; k++) v[6 * k + l] = t[k];
    }
}

// 16 consecutive pixels of an output row from the columns v[0..3] of its tiles (lanes = tiles),
// starting at the tile of lane q0: v[0].q0, v[1].q0, v[2].q0, v[3].q0, v[0].q1, ...
#define QUAD(v, q) (float4)(v[0].s##q, v[1].s##q, v[2].s##q, v[3].s##q)
#define INTERLEAVE(v, q0, q1, q2, q3) (float16)(QUAD(v, q0), QUAD(v, q1), QUAD(v, q2), QUAD(v, q3))

// plane[4ty + r][4tx + s] = (A^T m A)[r][s] + b, or max(0, that) with relu, for the n <= 16 tiles
// tx0 .. tx0 + n - 1 (lanes 0 .. n - 1) of tile row ty, m[6k + l] their products; pixels past H
// or W, and those of the lanes past n, are dropped.
static inline __attribute__((always_inline)) void output_tiles(const float16 m[36], const float b, const int relu,
                         __global float* plane, const int H, const int W, const int tx0, const int ty, const int n) {
    const int xEnd = min(W, 4 * (tx0 + n));
    // f[k][s]: row k of the products times A.
    float16 f[6][4];
    for (int k = 0; k < 6; k++) OUTPUT_TRANSFORM((m + 6 * k), f[k]);
    // y[s][r]: output row r, column s of each tile.
    float16 y[4][4];
    for (int s = 0; s < 4; s++) {
        const float16 col[6] = {f[0][s], f[1][s], f[2][s], f[3][s], f[4][s], f[5][s]};
        OUTPUT_TRANSFORM(col, y[s]);
    }
    for (int r = 0; r < 4; r++) {
        if (4 * ty + r >= H) break;
        float16 cols[4] = {y[0][r] + b, y[1][r] + b, y[2][r] + b, y[3][r] + b};
        if (relu) {
            for (int s = 0; s < 4; s++) cols[s] = fmax(cols[s], (float16)(0.0f));
        }
        const float16 px[4] = {INTERLEAVE(cols, 0, 1, 2, 3), INTERLEAVE(cols, 4, 5, 6, 7),
                               INTERLEAVE(cols, 8, 9, a, b), INTERLEAVE(cols, c, d, e, f)};
        __global float* row = plane + (4 * ty + r) * W + 4 * tx0;
        for (int q = 0; q < 4; q++) {
            const int x = 4 * tx0 + 16 * q;
            if (x + 16 <= xEnd) {
                vstore16(px[q], 0, row + 16 * q);
            } else if (x < xEnd) {
                store_head(px[q], xEnd - x, row + 16 * q);
            }
        }
    }
}

// Block tb holds the tiles t = 16 tb .. 16 tb + 15 (t = ty * tilesX + tx), which may lie on
// several tile rows. Its segment on row ty is lanes lane .. lane + n - 1 of the block, tiles tx ..
// tx + n - 1 of the row; a segment's transforms are those of the 16 tiles from tx on, its other
// lanes dropped. So every lane of the products works whatever tilesX, and every access to V and M
// is one whole aligned vector. On a CPU, runs of tiles along rows (a fifth of the lanes idle at
// tilesX = 52) and stores of parts of a block (twice the time of whole ones in winograd_input)
// cost more than the segments' extra transforms. block_input and block_output walk the segments.

// Transformed inputs below TINY = 2^-100 in magnitude are stored as 0, so that their products
// with transformed weights of 2^-26 or more are never subnormal: on an x86 core a multiply-add
// with a subnormal operand or result takes a microcode assist of about a hundred cycles, and a
// job's gradients reach such values (docs/algorithm.md section 6, item 15).
#define TINY 0x1p-100f

// v[6k + l] = (B^T d B)[k][l] of block tb's tiles (lanes) in one channel plane, zeros past T
// (see input_tiles) and where below TINY in magnitude.
static inline __attribute__((always_inline)) void block_input(const __global float* plane, const __global float* yplane,
                        const int masked, const int H, const int W, const int tilesX, const int T, const int tb,
                        float16 v[36]) {
    if (LANES * (tb + 1) <= T && (LANES * tb) % tilesX + LANES <= tilesX) {
        input_tiles(plane, yplane, masked, H, W, (LANES * tb) % tilesX, LANES * tb / tilesX, v);
    } else {
        for (int xi = 0; xi < 36; xi++) v[xi] = (float16)(0.0f);
        const int tEnd = min(T, LANES * (tb + 1));
        for (int t = LANES * tb; t < tEnd;) {
            const int ty = t / tilesX, tx = t - ty * tilesX, lane = t - LANES * tb, n = min(tilesX - tx, tEnd - t);
            float16 s[36];
            input_tiles(plane, yplane, masked, H, W, tx, ty, s);
            const int16 mine = IOTA16 >= (uint16)(lane) && IOTA16 < (uint16)(lane + n);
            for (int xi = 0; xi < 36; xi++) v[xi] = select(v[xi], rotate_lanes(s[xi], LANES - lane), mine);
            t += n;
        }
    }
    for (int xi = 0; xi < 36; xi++) v[xi] = select(v[xi], (float16)(0.0f), isless(fabs(v[xi]), (float16)(TINY)));
}

// The pixels of block tb's tiles from their products m (lanes = tiles), see output_tiles.
static inline __attribute__((always_inline)) void block_output(const float16 m[36], const float b, const int relu,
                         __global float* plane, const int H, const int W, const int tilesX, const int T,
                         const int tb) {
    const int tEnd = min(T, LANES * (tb + 1));
    for (int t = LANES * tb; t < tEnd;) {
        const int ty = t / tilesX, tx = t - ty * tilesX, lane = t - LANES * tb, n = min(tilesX - tx, tEnd - t);
        if (lane == 0) {
            output_tiles(m, b, relu, plane, H, W, tx, ty, n);
        } else {
            float16 r[36];
            for (int xi = 0; xi < 36; xi++) r[xi] = rotate_lanes(m[xi], lane);
            output_tiles(r, b, relu, plane, H, W, tx, ty, n);
        }
        t += n;
    }
}

// V[6k + l][tb][c][j] = (B^T d B)[k][l] for tile t = 16 tb + j (zeros past T), in masked by
// reluOut when masked is 1.
__kernel void winograd_input(__global const float* restrict in, __global const float* restrict reluOut,
                             __global float* restrict V, const int C, const int H, const int W, const int tilesX,
                             const int tilesY, const int masked) {
    const int c = get_global_id(0);
    const int tb = get_global_id(1);
    const int T = tilesX * tilesY;
    const int TB = (T + LANES - 1) / LANES;
    if (c >= C || tb >= TB) return;
    float16 v[36];
    block_input(in + c * H * W, reluOut + c * H * W, masked, H, W, tilesX, T, tb, v);
    for (int xi = 0; xi < 36; xi++) vstore16(v[xi], 0, V + ((xi * TB + tb) * C + c) * LANES);
}

// acc[o] = sum_i v[i * 16 .. + 15] * u[i * TO + o] over n input channels: TO float16
// accumulators, one vector load and TO scalar broadcasts per channel.
#define MULTIPLY(acc, v, u, n)                                                   \
    do {                                                                         \
        _Pragma("unroll") for (int o = 0; o < TO; o++) acc[o] = (float16)(0.0f); \
        for (int i = 0; i < n; i++) {                                            \
            const float16 s = vload16(i, v);                                     \
            _Pragma("unroll") for (int o = 0; o < TO; o++)                       \
                acc[o] = fma(s, (float16)(u[i * TO + o]), acc[o]);               \
        }                                                                        \
    } while (0)

// M[xi][tb][o][j] = sum_i U[xi][o / TO][i][o % TO] * V[xi][tb][i][j] for the TO output channels of
// block ob (those below outC are stored).
__kernel void winograd_multiply(__global const float* restrict V, __global const float* restrict U,
                                __global float* restrict M, const int inC, const int outC, const int TB) {
    const int ob = get_global_id(0);
    const int tb = get_global_id(1);
    const int xi = get_global_id(2);
    const int blocks = (outC + TO - 1) / TO;
    if (ob >= blocks || tb >= TB) return;
    const __global float* v = V + (xi * TB + tb) * inC * LANES;
    const __global float* u = U + (xi * blocks + ob) * inC * TO;
    float16 acc[TO];
    MULTIPLY(acc, v, u, inC);
    __global float* m = M + ((xi * TB + tb) * outC + ob * TO) * LANES;
    const int n = min(TO, outC - ob * TO);
#pragma unroll
    for (int o = 0; o < TO; o++) {
        if (o < n) vstore16(acc[o], o, m);
    }
}

// out[o] = the products M[.][tb][o][.] of block tb's tiles turned into pixels (see output_tiles),
// plus bias[o] (ignored when hasBias is 0), through the ReLU when relu is 1.
__kernel void winograd_output(__global const float* restrict M, __global const float* restrict bias,
                              __global float* restrict out, const int outC, const int H, const int W,
                              const int tilesX, const int tilesY, const int hasBias, const int relu) {
    const int o = get_global_id(0);
    const int tb = get_global_id(1);
    const int T = tilesX * tilesY;
    const int TB = (T + LANES - 1) / LANES;
    if (o >= outC || tb >= TB) return;
    float16 m[36];
    for (int xi = 0; xi < 36; xi++) m[xi] = vload16(0, M + ((xi * TB + tb) * outC + o) * LANES);
    block_output(m, hasBias ? bias[o] : 0.0f, relu, out + o * H * W, H, W, tilesX, T, tb);
}

// The three steps in one work-item for the 16 tiles of block tb: transforms every input channel's
// patches into Vl [36][inC][16] (local memory: one work-group's worth, reused by the next
// work-group on the same core, so V never leaves the cache), then per block of TO output channels
// multiplies into Ml [36][TO][16] and turns those into pixels. The flags masked (the input) and
// relu (the output) are those of winograd_input and winograd_output.
__kernel void winograd_fused(__global const float* restrict in, __global const float* restrict reluOut,
                             __global const float* restrict U, __global const float* restrict bias,
                             __global float* restrict out, const int inC, const int outC, const int H, const int W,
                             const int tilesX, const int tilesY, const int hasBias, const int masked, const int relu,
                             __local float* restrict Vl, __local float* restrict Ml) {
    const int tb = get_global_id(0);
    const int T = tilesX * tilesY;
    if (tb * LANES >= T) return;
    for (int c = 0; c < inC; c++) {
        float16 v[36];
        block_input(in + c * H * W, reluOut + c * H * W, masked, H, W, tilesX, T, tb, v);
        for (int xi = 0; xi < 36; xi++) vstore16(v[xi], xi * inC + c, Vl);
    }
    const int blocks = (outC + TO - 1) / TO;
    for (int ob = 0; ob < blocks; ob++) {
        for (int xi = 0; xi < 36; xi++) {
            const __local float* v = Vl + xi * inC * LANES;
            const __global float* u = U + (xi * blocks + ob) * inC * TO;
            float16 acc[TO];
            MULTIPLY(acc, v, u, inC);
#pragma unroll
            for (int o = 0; o < TO; o++) vstore16(acc[o], xi * TO + o, Ml);
        }
        for (int o = 0; o < TO && ob * TO + o < outC; o++) {
            float16 m[36];
            for (int xi = 0; xi < 36; xi++) m[xi] = vload16(xi * TO + o, Ml);
            const int oc = ob * TO + o;
            block_output(m, hasBias ? bias[oc] : 0.0f, relu, out + oc * H * W, H, W, tilesX, T, tb);
        }
    }
}
