// matching_tiled.cl: the patch matching of both passes (Matching.matchNcc, Matching.matchDot) as a
// register-tiled similarity product with a running argmax. matching.cl holds the brute-force
// kernel (one work-item per query) that these are tested beside.
//
// The score of query p against candidate q sums F[c](p+d) * S[c](q+d) over the channels c and the
// 3x3 offsets d, both maps zero outside, so that only the offsets valid for both count. With
// D(p', q') = <F(p'), S(q')>, score(p, q) = sum_d D(p+d, q+d): a dot product D serves every query
// that has p' in its neighbourhood. So the host groups the queries in cells (CELL x CELL
// positions of F, ENTRIES = CELL^2 query entries per block), a block's "slots" being the pixels
// of F in its queries' neighbourhoods (at most (CELL + 2)^2, SLOTS in all), and the kernel
// computes D once per slot, not 9 times per query: about 1.4 slots per query against 9.
//   pack_slots       gathers the slots' vectors into K[block][c][SLOTS] (zero for empty slots);
//   position_squares each position's squared norm, of F and of S;
//   query_norms      each query's border class and patch norms (below);
//   pad_candidates   S into a zero-bordered copy P[row][c][x] (rows interleaved by channel, as
//                    pad_input in convolution.cl does), so the product reads without bounds checks;
//   candidate_norms  the candidates' patch norms, one plane per border class of the query;
//   match_tiled      one block against a run of VEC consecutive candidate columns of some rows:
//                    for each row (and one above and below) D of the slots against the run, TO
//                    slots at a time in TO floatVEC accumulators, kept in private memory for
//                    three rows; then each query's scores, the sum of its nine slots' D shifted
//                    by the offsets (so the run scores its inner VEC - 2 columns), and a
//                    lane-wise running best; at the end each query's best over the lanes (ties:
//                    the smallest q), one partial best per (query, tile), so no score per
//                    (query, candidate) is ever stored;
//   match_reduce     each query's best over its partials, scattered to out[p].
// NCC's norms sum over the offsets valid for both positions. With zero borders that is the sum
// over V(p) of |S(q+d)|^2, V(p) being the offsets that keep p inside F, and the sum over V(q) of
// |F(p+d)|^2. V(x) is a rectangle fixed by x's border class: bit 0 first column, bit 1 last
// column, bit 2 first row, bit 3 last row (16 classes: a 1-pixel map is first and last). So each
// query carries its patch norm for all 16 classes of V(q), and candidate_norms gives 16 planes of
// candidate patch norms, one per class of V(p): a pair's exact norms are two lookups. The same
// class bits give matchDot's border rule: q's bits must be a subset of p's.
// Partial bests merge lexicographically (higher score, then smaller q), so their order does not
// matter; "no candidate" is (-INFINITY, INT_MAX).
//
// Work-items: pack_slots 1-D, one per slot (whole blocks); query_norms 1-D, one per query entry;
// pad_candidates 1-D, one padded row each; position_squares 1-D, one per position;
// candidate_norms 1-D, one per position of S's rows by the runs' columns; match_tiled 3-D (block,
// run of candidates, group of rows); match_reduce 1-D, one per query entry.
// Tuning constants (-D, chosen per tuning by ClMatching.Tiling; the #ifndef defaults are the CPU
// tuning's): VEC (lanes per run, 4, 8 or 16), TO (slots per register tile, dividing SLOTS), SLOTS
// and ENTRIES (per block, from the cell size: 12 x 12 queries, (12 + 2)^2 = 196 slots rounded up
// to whole tiles). The rows per match_tiled work-item (it computes D for two more) are an
// argument: the host takes more than its minimum only to bound the partial bests of large maps.
// CLASSES (-D as well, from ClMatching) is the count of border classes, 16 for the 4 class bits.

#ifndef VEC
#define VEC 16
#endif
#ifndef TO
#define TO 16
#endif
#ifndef SLOTS
#define SLOTS 208
#endif
#ifndef ENTRIES
#define ENTRIES 144
#endif
#ifndef CLASSES
#define CLASSES 16
#endif
#if CLASSES != 16
#error "border_class has 4 bits: CLASSES must be 16"
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define floatV CAT(float, VEC)
#define intV CAT(int, VEC)
#define vloadV CAT(vload, VEC)
#define vstoreV CAT(vstore, VEC)

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

// Slot i (of blocks * SLOTS) holds pixel slotPixels[i] of f (C x h x w), or nothing when
// negative: K[i / SLOTS][c][i % SLOTS] = f[c](pixel), 0 for an empty slot.
__kernel void pack_slots(__global const float* restrict f, __global const float* restrict slotPixels,
                         const int channels, const int plane, __global float* restrict K) {
    const int i = get_global_id(0);
    const int p = (int) slotPixels[i];
    __global float* dst = K + (i / SLOTS) * channels * SLOTS + i % SLOTS;
    for (int c = 0; c < channels; c++) dst[c * SLOTS] = p >= 0 ? f[c * plane + p] : 0.0f;
}

// Query entry i (of count) is position positions[i] of an h x w map whose positions' squared
// norms are squares (position_squares), or nothing when negative: cls[i] gets its border class and
// norms[i][k] its patch norm over class k's offsets (0 for an empty entry).
__kernel void query_norms(__global const float* restrict squares, __global const float* restrict positions,
                          const int count, const int h, const int w,
                          __global float* restrict norms, __global int* restrict cls) {
    const int i = get_global_id(0);
    if (i >= count) return;
    const int p = (int) positions[i];
    const int py = p / w, px = p % w;
    float tapSq[9];
    for (int tap = 0; tap < 9; tap++) {
        const int y = py + tap / 3 - 1, x = px + tap % 3 - 1;
        tapSq[tap] = p >= 0 && y >= 0 && y < h && x >= 0 && x < w ? squares[y * w + x] : 0.0f;
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

// squares[p] = sum_c s[c][p]^2 for the plane positions p of s (C x plane).
__kernel void position_squares(__global const float* restrict s, const int channels, const int plane,
                               __global float* restrict squares) {
    const int p = get_global_id(0);
    if (p >= plane) return;
    float acc = 0.0f;
    for (int c = 0; c < channels; c++) acc = fma(s[c * plane + p], s[c * plane + p], acc);
    squares[p] = acc;
}

// norms[k][y][x] (planes of h x tw, tw >= w) = the patch norm of candidate (y, x) of an h x w map,
// from its positions' squared norms (position_squares), over class k's offsets; 0 beyond the map.
__kernel void candidate_norms(__global const float* restrict squares, const int h, const int w,
                              const int tw, __global float* restrict norms) {
    const int i = get_global_id(0);
    if (i >= h * tw) return;
    const int y = i / tw, x = i % tw;
    float tapSq[9];
    for (int tap = 0; tap < 9; tap++) {
        const int yy = y + tap / 3 - 1, xx = x + tap % 3 - 1;
        const bool inside = x < w && yy >= 0 && yy < h && xx >= 0 && xx < w;
        tapSq[tap] = inside ? squares[yy * w + xx] : 0.0f;
    }
    for (int k = 0; k < CLASSES; k++) norms[k * h * tw + i] = rect_norm(tapSq, k);
}

// Block get_global_id(0) against the candidates cx .. cx + VEC - 3 (cx = (VEC - 2) *
// get_global_id(1)) of the rows rows * get_global_id(2) .. + rows - 1 of the h2 x w2 candidate
// map, given as P (pad_candidates, h2 + 2 rows of padded width pw >= (VEC - 2) * runs + 2) and
// norm planes cn (candidate_norms, h2 x tw with tw >= pw; read only when normalised). K[block][c][SLOTS] holds the block's slots,
// the first slotCounts[block] of them in use; entrySlots[entry][9] is each entry's slot per 3x3
// offset, row-major (-1 for a neighbour outside F; all -1 for an empty entry). Writes partial
// bests [entry][tile], tile = the work-item's linear index over dimensions 1 and 2.
// The blocks vary fastest, so that the blocks of one tile run back to back while its strip of P
// (rows + 2 rows of C x VEC floats) is in cache and only the packed blocks stream.
__kernel void match_tiled(__global const float* restrict P, __global const float* restrict K,
                          __global const float* restrict slotCounts, __global const float* restrict entrySlots,
                          __global const float* restrict qNorms, __global const int* restrict qCls,
                          __global const float* restrict cn, const int channels, const int h2, const int w2,
                          const int pw, const int tw, const int rows, const int normalised, const int borderRule,
                          __global float* restrict partScore, __global int* restrict partIndex) {
    const int block = get_global_id(0), run = get_global_id(1), rowGroup = get_global_id(2);
    const int tiles = get_global_size(1) * get_global_size(2);
    const int tile = rowGroup * get_global_size(1) + run;
    // Lane l holds candidate column x = cx - 1 + l; lanes 0 and VEC - 1 only feed their neighbours.
    const int cx = run * (VEC - 2);
    const int pitch = channels * pw;
    const int used = (int) slotCounts[block];
    const __global float* kBlock = K + block * channels * SLOTS;
    // Whether every scored lane is off column 0 and column w2 - 1 (and inside the map).
    const bool interior = cx > 0 && cx + VEC - 3 < w2 - 1;
    int edgeLanes[VEC];
    for (int l = 0; l < VEC; l++) edgeLanes[l] = l == 0 || l == VEC - 1 ? -1 : 0;
    const intV outer = vloadV(0, edgeLanes);

    floatV best[ENTRIES];
    intV bestRow[ENTRIES];
    for (int e = 0; e < ENTRIES; e++) {
        best[e] = (floatV)(-INFINITY);
        bestRow[e] = (intV)(-1);
    }

    // D(slot, row yr) for three consecutive rows of S: row yr in ring[(yr + 1) % 3], lane l at
    // [slot][l + 1], with a zero on either side for the shifted reads.
    float ring[3][SLOTS][VEC + 2];
    for (int r = 0; r < 3; r++) {
        for (int s = 0; s < used; s++) {
            ring[r][s][0] = 0.0f;
            ring[r][s][VEC + 1] = 0.0f;
        }
    }
    const int y0 = rowGroup * rows;
    const int yEnd = min(h2, y0 + rows);
    for (int yr = y0 - 1; yr <= yEnd && cx < w2; yr++) {
        float (*row)[VEC + 2] = ring[(yr + 1) % 3];
        const bool inside = yr >= 0 && yr < h2;
        for (int s0 = 0; s0 < used; s0 += TO) {
            floatV acc[TO];
#pragma unroll
            for (int o = 0; o < TO; o++) acc[o] = (floatV)(0.0f);
            if (inside) {
                const __global float* src = P + (yr + 1) * pitch + cx;
                const __global float* k = kBlock + s0;
                for (int c = 0; c < channels; c++, src += pw, k += SLOTS) {
                    const floatV v = vloadV(0, src);
#pragma unroll
                    for (int o = 0; o < TO; o++) acc[o] = fma(v, (floatV)(k[o]), acc[o]);
                }
            }
            for (int o = 0; o < TO && s0 + o < used; o++) vstoreV(acc[o], 0, row[s0 + o] + 1);
        }

        // Row y = yr - 1 now has its three rows of D.
        const int y = yr - 1;
        if (y < y0) continue;
        const int rowBits = (y == 0 ? 4 : 0) | (y == h2 - 1 ? 8 : 0);
        // cn index of lane 0's candidate (column cx - 1) in plane 0.
        const int cnLane0 = y * tw + cx - 1;
        for (int e = 0; e < ENTRIES; e++) {
            const int entry = block * ENTRIES + e;
            const __global float* slots = entrySlots + entry * 9;
            if (slots[4] < 0.0f) continue;
            const int pc = qCls[entry];
            if (borderRule && (rowBits & ~pc)) continue;
            floatV v = (floatV)(0.0f);
            for (int d = 0; d < 9; d++) {
                const int s = (int) slots[d];
                if (s >= 0) v += vloadV(0, ring[(y + d / 3) % 3][s] + d % 3);
            }
            if (interior) {
                if (normalised) {
                    const floatV fn = (floatV)(qNorms[entry * CLASSES + rowBits]);
                    v = v / (fn * vloadV(0, cn + pc * h2 * tw + cnLane0) + 1e-9f);
                }
                v = select(v, (floatV)(-INFINITY), outer);
            } else {
                float score[VEC];
                vstoreV(v, 0, score);
                for (int l = 0; l < VEC; l++) {
                    const int x = cx - 1 + l;
                    const int qc = rowBits | (x == 0 ? 1 : 0) | (x == w2 - 1 ? 2 : 0);
                    if (l == 0 || l == VEC - 1 || x >= w2 || (borderRule && (qc & ~pc))) {
                        score[l] = -INFINITY;
                    } else if (normalised) {
                        score[l] = score[l] / (qNorms[entry * CLASSES + qc] * cn[pc * h2 * tw + cnLane0 + l] + 1e-9f);
                    }
                }
                v = vloadV(0, score);
            }
            // Rows in increasing order: a strictly better score keeps each lane's smallest row.
            const intV better = isgreater(v, best[e]);
            best[e] = select(best[e], v, better);
            bestRow[e] = select(bestRow[e], (intV)(y), better);
        }
    }

    for (int e = 0; e < ENTRIES; e++) {
        float score[VEC];
        int row[VEC];
        vstoreV(best[e], 0, score);
        vstoreV(bestRow[e], 0, row);
        float s = -INFINITY;
        int q = INT_MAX;
        for (int l = 0; l < VEC; l++) {
            const int at = row[l] * w2 + cx - 1 + l;
            if (row[l] >= 0 && (score[l] > s || (score[l] == s && at < q))) {
                s = score[l];
                q = at;
            }
        }
        partScore[(block * ENTRIES + e) * tiles + tile] = s;
        partIndex[(block * ENTRIES + e) * tiles + tile] = q;
    }
}

// out[positions[i]] = the best of entry i's partials (tiles of them), or -1 when none has a
// candidate; entries with a negative position are empty.
__kernel void match_reduce(__global const float* restrict partScore, __global const int* restrict partIndex,
                           const int tiles, __global const float* restrict positions, const int entries,
                           __global float* restrict out) {
    const int i = get_global_id(0);
    if (i >= entries || positions[i] < 0.0f) return;
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
