// matching_tiled.cl: the patch matching of both passes (Device.matchNcc, Device.matchDot) as a
// register-tiled similarity product with a running argmax. matching.cl holds the brute-force
// kernels (one work-item per query) that these are tested beside.
//
// The score of query p against candidate q sums F[c](p+d) * S[c](q+d) over the channels c and the
// 3x3 offsets d, with both maps zero outside, so that only the offsets valid for both count. That
// is a 3x3 convolution of S whose output channels are the queries and whose weights are the
// queries' patches, and the kernels are shaped like conv3x3_tiled (conv3x3.cl) on those terms:
//   pack_queries     gathers the patches of a list of query positions into K[block][c][tap][TO]
//                    (zero outside F and for the padding slots of the last block), with each
//                    query's border class and patch norms (below);
//   pad_candidates   S into a zero-bordered copy P[row][c][x] (rows interleaved by channel, as
//                    pad_input does), so the product reads without bounds checks;
//   candidate_norms  the candidates' patch norms, one plane per border class of the query;
//   match_tiled      one block of TO queries against VEC consecutive candidates of ROWS rows:
//                    per row, the scores in TO floatVEC accumulators over channels and offsets,
//                    then each query's best so far (ties: the smallest q); writes one partial
//                    best per (query, tile), so no score per (query, candidate) is stored;
//   match_reduce     each query's best over its partials, scattered to out[p].
// NCC's norms sum over the offsets valid for both positions. With zero borders that is the sum
// over V(p) of |S(q+d)|^2, V(p) being the offsets that keep p inside F, and the sum over V(q) of
// |F(p+d)|^2. V(x) is a rectangle fixed by x's border class: bit 0 first column, bit 1 last
// column, bit 2 first row, bit 3 last row (16 classes: a 1-pixel map is first and last). So each
// query carries its patch norm for all 16 classes of V(q), and candidate_norms gives 16 planes of
// candidate patch norms, one per class of V(p): a pair's exact norms are two lookups. The same
// class bits give matchDot's border rule: q's bits must be a subset of p's.
// Partial bests are merged lexicographically (higher score, then smaller q), so their order does
// not matter; "no candidate" is (-INFINITY, INT_MAX).
//
// Work-items: pack_queries 1-D, one per query slot (whole blocks of TO); pad_candidates 1-D, one
// padded row each; candidate_norms 2-D over the tiled extent of S (x, y); match_tiled 3-D (run of
// VEC candidates, group of ROWS rows, block of TO queries); match_reduce 1-D, one per query.
// Tuning constants (-D, chosen per device by ClMatching.Tiling): VEC (candidates per run, 4, 8 or
// 16), TO (queries per block), ROWS (rows per work-item: more rows, fewer partials).

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define floatV CAT(float, VEC)
#define vloadV CAT(vload, VEC)
#define vstoreV CAT(vstore, VEC)

#define CLASSES 16

// Border class of position (y, x) of an h x w map.
int border_class(int y, int x, int h, int w) {
    return (x == 0 ? 1 : 0) | (x == w - 1 ? 2 : 0) | (y == 0 ? 4 : 0) | (y == h - 1 ? 8 : 0);
}

// sqrt of the sum of tapSq[(dy + 1) * 3 + dx + 1] over the offsets of class k's rectangle.
float rect_norm(const float* tapSq, int k) {
    int dx0 = (k & 1) ? 0 : -1, dx1 = (k & 2) ? 0 : 1;
    int dy0 = (k & 4) ? 0 : -1, dy1 = (k & 8) ? 0 : 1;
    float acc = 0.0f;
    for (int dy = dy0; dy <= dy1; dy++) {
        for (int dx = dx0; dx <= dx1; dx++) acc += tapSq[(dy + 1) * 3 + dx + 1];
    }
    return sqrt(acc);
}

// Slot i (of blocks * TO) holds query positions[i] (i < count) or nothing. K[block][c][tap][TO]
// gets F[c](p + d_tap) (0 outside F or for an empty slot), cls[i] p's border class and
// norms[i][k] the patch norm of p over class k's offsets.
__kernel void pack_queries(__global const float* restrict f, __global const float* restrict positions,
                           const int count, const int channels, const int h, const int w,
                           __global float* restrict K, __global float* restrict norms, __global int* restrict cls) {
    const int i = get_global_id(0);
    const int block = i / TO, o = i % TO;
    const int plane = h * w;
    const int p = i < count ? (int) positions[i] : -1;
    const int py = p / w, px = p % w;
    __global float* dst = K + block * channels * 9 * TO + o;
    float tapSq[9];
    for (int tap = 0; tap < 9; tap++) {
        const int y = py + tap / 3 - 1, x = px + tap % 3 - 1;
        const bool inside = p >= 0 && y >= 0 && y < h && x >= 0 && x < w;
        const int at = y * w + x;
        float acc = 0.0f;
        for (int c = 0; c < channels; c++) {
            const float v = inside ? f[c * plane + at] : 0.0f;
            dst[(c * 9 + tap) * TO] = v;
            acc = fma(v, v, acc);
        }
        tapSq[tap] = acc;
    }
    cls[i] = p >= 0 ? border_class(py, px, h, w) : 0;
    for (int k = 0; k < CLASSES; k++) norms[i * CLASSES + k] = rect_norm(tapSq, k);
}

// P[r][c][x] = s[c][r-1][x-1] inside, 0 elsewhere; P is rows x C x pw (one row per work-item).
__kernel void pad_candidates(__global const float* restrict s, __global float* restrict P, const int channels,
                             const int h, const int w, const int pw, const int rows) {
    const int rc = get_global_id(0);
    if (rc >= rows) return;
    const int r = rc / channels, c = rc % channels;
    __global float* dst = P + rc * pw;
    int x = 0;
    if (r >= 1 && r <= h) {
        const __global float* src = s + (c * h + r - 1) * w;
        dst[0] = 0.0f;
        for (x = 1; x <= w; x++) dst[x] = src[x - 1];
    }
    for (; x < pw; x++) dst[x] = 0.0f;
}

// norms[k][y][x] (planes of th x tw) = the patch norm of candidate (y, x) of s (C x h x w) over
// class k's offsets; 0 beyond the map.
__kernel void candidate_norms(__global const float* restrict s, const int channels, const int h, const int w,
                              const int tw, const int th, __global float* restrict norms) {
    const int x = get_global_id(0), y = get_global_id(1);
    if (x >= tw || y >= th) return;
    const int plane = h * w;
    float tapSq[9];
    for (int tap = 0; tap < 9; tap++) {
        const int yy = y + tap / 3 - 1, xx = x + tap % 3 - 1;
        float acc = 0.0f;
        if (y < h && x < w && yy >= 0 && yy < h && xx >= 0 && xx < w) {
            for (int c = 0; c < channels; c++) {
                const float v = s[c * plane + yy * w + xx];
                acc = fma(v, v, acc);
            }
        }
        tapSq[tap] = acc;
    }
    for (int k = 0; k < CLASSES; k++) norms[(k * th + y) * tw + x] = rect_norm(tapSq, k);
}

// Block get_global_id(2) of TO queries against candidates x0 .. x0 + VEC - 1 (x0 = VEC *
// get_global_id(0)) of rows ROWS * get_global_id(1) onwards, of the h2 x w2 candidate map given
// as P (pad_candidates, padded width pw >= tw + 2) with norm planes cn (candidate_norms, th x tw,
// read only when normalised). Writes partial bests [query slot][tile], tile = the work-item's
// linear index over dimensions 0 and 1.
__kernel void match_tiled(__global const float* restrict P, __global const float* restrict K,
                          __global const float* restrict qNorms, __global const int* restrict qCls,
                          __global const float* restrict cn, const int channels, const int h2, const int w2,
                          const int pw, const int tw, const int th, const int normalised, const int borderRule,
                          __global float* restrict partScore, __global int* restrict partIndex) {
    const int run = get_global_id(0), rowGroup = get_global_id(1), block = get_global_id(2);
    const int tiles = get_global_size(0) * get_global_size(1);
    const int tile = rowGroup * get_global_size(0) + run;
    const int x0 = run * VEC;
    const int pitch = channels * pw;
    const __global float* kBlock = K + block * channels * 9 * TO;
    // A run that touches column 0, column w2 - 1 or lies partly past the map needs per-lane rules.
    const bool interior = x0 > 0 && x0 + VEC < w2;

    float best[TO];
    int bestAt[TO];
    for (int o = 0; o < TO; o++) {
        best[o] = -INFINITY;
        bestAt[o] = INT_MAX;
    }

    const int yEnd = min(h2, (rowGroup + 1) * ROWS);
    for (int y = rowGroup * ROWS; y < yEnd && x0 < w2; y++) {
        floatV acc[TO];
#pragma unroll
        for (int o = 0; o < TO; o++) acc[o] = (floatV)(0.0f);
        const __global float* src = P + y * pitch + x0;
        const __global float* k = kBlock;
        for (int c = 0; c < channels; c++, src += pw, k += 9 * TO) {
            // Padded row y + r holds the candidates' offset dy = r - 1.
#pragma unroll
            for (int r = 0; r < 3; r++) {
                const __global float* row = src + r * pitch;
                const floatV s0 = vloadV(0, row);
                const floatV s1 = vloadV(0, row + 1);
                const floatV s2 = vloadV(0, row + 2);
                const __global float* kt = k + r * 3 * TO;
#pragma unroll
                for (int o = 0; o < TO; o++) {
                    floatV a = acc[o];
                    a = fma(s0, (floatV)(kt[o]), a);
                    a = fma(s1, (floatV)(kt[TO + o]), a);
                    a = fma(s2, (floatV)(kt[2 * TO + o]), a);
                    acc[o] = a;
                }
            }
        }

        const int rowBits = (y == 0 ? 4 : 0) | (y == h2 - 1 ? 8 : 0);
        const __global float* cnRow = cn + y * tw + x0;
        for (int o = 0; o < TO; o++) {
            const int slot = block * TO + o;
            const int pc = qCls[slot];
            if (borderRule && (rowBits & ~pc)) continue;
            float score[VEC];
            if (interior) {
                floatV v = acc[o];
                if (normalised) {
                    const floatV fn = (floatV)(qNorms[slot * CLASSES + rowBits]);
                    v = v / (fn * vloadV(0, cnRow + pc * th * tw) + 1e-9f);
                }
                vstoreV(v, 0, score);
            } else {
                vstoreV(acc[o], 0, score);
                for (int l = 0; l < VEC; l++) {
                    const int x = x0 + l;
                    const int qc = rowBits | (x == 0 ? 1 : 0) | (x == w2 - 1 ? 2 : 0);
                    if (x >= w2 || (borderRule && (qc & ~pc))) {
                        score[l] = -INFINITY;
                    } else if (normalised) {
                        score[l] = score[l] / (qNorms[slot * CLASSES + qc] * cnRow[pc * th * tw + l] + 1e-9f);
                    }
                }
            }
            // Rows and lanes in increasing q: a strictly better score keeps the smallest q on ties.
            for (int l = 0; l < VEC; l++) {
                if (score[l] > best[o]) {
                    best[o] = score[l];
                    bestAt[o] = y * w2 + x0 + l;
                }
            }
        }
    }
    for (int o = 0; o < TO; o++) {
        const int at = (block * TO + o) * tiles + tile;
        partScore[at] = best[o];
        partIndex[at] = bestAt[o];
    }
}

// out[positions[i]] = the best of query i's partials (tiles of them), or -1 when none has a
// candidate.
__kernel void match_reduce(__global const float* restrict partScore, __global const int* restrict partIndex,
                           const int tiles, __global const float* restrict positions, const int count,
                           __global float* restrict out) {
    const int i = get_global_id(0);
    if (i >= count) return;
    float best = -INFINITY;
    int at = INT_MAX;
    for (int t = 0; t < tiles; t++) {
        const float s = partScore[i * tiles + t];
        const int q = partIndex[i * tiles + t];
        if (s > best || (s == best && q < at)) {
            best = s;
            at = q;
        }
    }
    out[(int) positions[i]] = at == INT_MAX ? -1.0f : (float) at;
}
