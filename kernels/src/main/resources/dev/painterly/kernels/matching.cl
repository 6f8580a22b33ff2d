// matching.cl: the patch matching of both passes (docs/algorithm.md section 1 step 2, section 2
// matching steps 2-4) and the post-processing of the nearest-neighbour field (NNF).
//
// Computes: pad_with_norms (a zero-bordered copy of a map plus its per-position squared norms),
// match_ncc and match_dot (Matching.matchNcc, matchDot), normalize_positions, refine_matches and
// used_region. Positions are q = y * W + x stored as floats; -1 means "no match".
// Work-items: 1-D, one per query or output position, global size rounded up to the work-group
// size. match_ncc and match_dot keep one running best per query over every candidate (brute
// force; ties go to the smallest q because only a strictly greater score replaces), so no score
// per (query, candidate) pair is ever stored. used_region scatters 1.0f into an output cleared beforehand:
// concurrent writes all store the same value.
// Tuning constants (-D, from ClMatching.PLAIN_DEFINES; the #ifndef default equals it):
// CANDIDATES (8; 2, 4, 8 or 16), the run of horizontally consecutive candidates that match_ncc
// and match_dot score together in one vector, so that each query value it loads serves CANDIDATES
// candidates. The host pads candidate maps to a width of a multiple of CANDIDATES plus 2 so that
// a run never reads past its padded row.
// With one work-item per query, a GPU sees only a few thousand work-items at VGG's map sizes;
// matching_tiled.cl is the fast version (timings of both: bench/RESULTS.md).

#ifndef CANDIDATES
#define CANDIDATES 8
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define floatC CAT(float, CANDIDATES)
#define vloadC CAT(vload, CANDIDATES)
#define vstoreC CAT(vstore, CANDIDATES)

// A zero-bordered copy of x (C x h x w) as C x (h+2) x pw with pw >= w + 2: position (y, x) of
// the map is (y+1, x+1) of the copy, everything else is 0. squares ((h+2) x pw) gets each
// position's sum_c x^2 with the same layout. One work-item per position of the padded plane.
__kernel void pad_with_norms(__global const float* x, __global float* padded, __global float* squares,
                             const int channels, const int h, const int w, const int pw) {
    int i = get_global_id(0);
    int plane = (h + 2) * pw;
    if (i >= plane) return;
    int y = i / pw - 1, xx = i % pw - 1;
    bool inside = y >= 0 && y < h && xx >= 0 && xx < w;
    float acc = 0.0f;
    for (int c = 0; c < channels; c++) {
        float v = inside ? x[(c * h + y) * w + xx] : 0.0f;
        padded[c * plane + i] = v;
        acc = fma(v, v, acc);
    }
    squares[i] = acc;
}

// matchDot's border rule: a candidate on P's outermost column or row needs the query on A's.
bool border_allowed(int px, int py, int w, int h, int qx, int qy, int w2, int h2) {
    return (qx != 0 || px == 0) && (qx != w2 - 1 || px == w - 1)
        && (qy != 0 || py == 0) && (qy != h2 - 1 || py == h - 1);
}

// out[p] = argmax over q of the 3x3 patch score of query p (map f, h x w) against candidate q
// (map s, h2 x w2), both given as pad_with_norms copies: f of padded width fw, s of padded width
// sw = (a multiple of CANDIDATES) + 2. Because the borders are zero, the dot product over all 9
// offsets equals the sum over the offsets valid for both positions; the norms of matchNcc
// (normalised = 1) sum only over those. borderRule = 1 applies matchDot's rule. Queries with
// masked = 1 and queryMask[p] <= 0 get -1 (queryMask is not read when masked = 0).
// Query p's search, shared by the two kernels below.
inline void match_patches(__global const float* f, __global const float* fSquares,
                          __global const float* s, __global const float* sSquares,
                          __global const float* queryMask, const int masked, __global float* out,
                          const int channels, const int h, const int w, const int fw,
                          const int h2, const int w2, const int sw,
                          const int normalised, const int borderRule, const int p) {
    if (p >= h * w) return;
    if (masked && !(queryMask[p] > 0.0f)) {
        out[p] = -1.0f;
        return;
    }
    int py = p / w, px = p % w;
    int fPlane = (h + 2) * fw, sPlane = (h2 + 2) * sw;
    int fc = (py + 1) * fw + px + 1;
    float bestScore = -INFINITY;
    int best = -1;
    for (int qy = 0; qy < h2; qy++) {
        for (int qx0 = 0; qx0 < w2; qx0 += CANDIDATES) {
            int sc = (qy + 1) * sw + qx0 + 1;
            floatC dot = (floatC) 0.0f;
            for (int c = 0; c < channels; c++) {
                __global const float* fp = f + c * fPlane + fc;
                __global const float* sp = s + c * sPlane + sc;
                for (int dy = -1; dy <= 1; dy++) {
                    __global const float* fr = fp + dy * fw;
                    __global const float* sr = sp + dy * sw;
                    dot = fma((floatC) fr[-1], vloadC(0, sr - 1), dot);
                    dot = fma((floatC) fr[0], vloadC(0, sr), dot);
                    dot = fma((floatC) fr[1], vloadC(0, sr + 1), dot);
                }
            }
            float scores[CANDIDATES];
            vstoreC(dot, 0, scores);
            int run = min(CANDIDATES, w2 - qx0);
            for (int k = 0; k < run; k++) {
                int qx = qx0 + k;
                if (borderRule && !border_allowed(px, py, w, h, qx, qy, w2, h2)) continue;
                float score = scores[k];
                if (normalised) {
                    float fSquare = 0.0f, sSquare = 0.0f;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            bool valid = py + dy >= 0 && py + dy < h && px + dx >= 0 && px + dx < w
                                && qy + dy >= 0 && qy + dy < h2 && qx + dx >= 0 && qx + dx < w2;
                            if (valid) {
                                fSquare += fSquares[fc + dy * fw + dx];
                                sSquare += sSquares[sc + k + dy * sw + dx];
                            }
                        }
                    }
                    score = score / (sqrt(fSquare) * sqrt(sSquare) + 1e-9f);
                }
                if (score > bestScore) {
                    bestScore = score;
                    best = qy * w2 + qx;
                }
            }
        }
    }
    out[p] = (float) best;
}

// matchNcc: normalised scores, every candidate admitted.
__kernel void match_ncc(__global const float* f, __global const float* fSquares,
                        __global const float* s, __global const float* sSquares,
                        __global const float* queryMask, const int masked, __global float* out,
                        const int channels, const int h, const int w, const int fw,
                        const int h2, const int w2, const int sw) {
    match_patches(f, fSquares, s, sSquares, queryMask, masked, out, channels, h, w, fw, h2, w2, sw, 1, 0,
                  get_global_id(0));
}

// matchDot: plain sums under the border rule.
__kernel void match_dot(__global const float* f, __global const float* fSquares,
                        __global const float* s, __global const float* sSquares,
                        __global const float* queryMask, const int masked, __global float* out,
                        const int channels, const int h, const int w, const int fw,
                        const int h2, const int w2, const int sw) {
    match_patches(f, fSquares, s, sSquares, queryMask, masked, out, channels, h, w, fw, h2, w2, sw, 0, 1,
                  get_global_id(0));
}

// out[c,p] = x[c,p] / (sqrt(sum_c x[c,p]^2) + 1e-8); one work-item per position p.
__kernel void normalize_positions(__global const float* x, __global float* out,
                                  const int channels, const int plane) {
    int p = get_global_id(0);
    if (p >= plane) return;
    float acc = 0.0f;
    for (int c = 0; c < channels; c++) acc = fma(x[c * plane + p], x[c * plane + p], acc);
    float norm = sqrt(acc) + 1e-8f;
    for (int c = 0; c < channels; c++) out[c * plane + p] = x[c * plane + p] / norm;
}

// One round of the 5x5 consistency refinement (Matching.refineMatches); nnf, guide (3 planes) and
// tight are h x w. One work-item per position p.
__kernel void refine_matches(__global const float* nnf, __global const float* guide,
                             __global const float* tight, __global float* out, const int h, const int w) {
    int p = get_global_id(0);
    int plane = h * w;
    if (p >= plane) return;
    float own = nnf[p];
    if (!(tight[p] > 0.1f)) {
        out[p] = own;
        return;
    }
    int py = p / w, px = p % w;
    // guide(NNF(p+e) - e): the colour each neighbour's match implies at p.
    float3 implied[25];
    int count = 0;
    for (int ey = -2; ey <= 2; ey++) {
        for (int ex = -2; ex <= 2; ex++) {
            int ny = py + ey, nx = px + ex;
            if (ny < 0 || ny >= h || nx < 0 || nx >= w || nnf[ny * w + nx] < 0.0f) continue;
            int match = (int) nnf[ny * w + nx];
            int ry = match / w - ey, rx = match % w - ex;
            if (ry >= 0 && ry < h && rx >= 0 && rx < w) {
                int r = ry * w + rx;
                implied[count++] = (float3) (guide[r], guide[plane + r], guide[2 * plane + r]);
            }
        }
    }
    float bestScore = INFINITY;
    int best = -1;
    for (int dy = -2; dy <= 2 && count > 0; dy++) {
        for (int dx = -2; dx <= 2; dx++) {
            int ny = py + dy, nx = px + dx;
            if (ny < 0 || ny >= h || nx < 0 || nx >= w || nnf[ny * w + nx] < 0.0f) continue;
            int match = (int) nnf[ny * w + nx];
            int qy = match / w - dy, qx = match % w - dx;
            if (qx < 2 || qx >= w - 3 || qy < 2 || qy >= h - 3) continue;
            int q = qy * w + qx;
            float3 g = (float3) (guide[q], guide[plane + q], guide[2 * plane + q]);
            float distances = 0.0f;
            for (int i = 0; i < count; i++) {
                float3 d = g - implied[i];
                distances += sqrt(d.x * d.x + d.y * d.y + d.z * d.z);
            }
            float score = distances / count;
            if (score < bestScore) {
                bestScore = score;
                best = q;
            }
        }
    }
    out[p] = best >= 0 ? (float) best : own;
}

// The used-region mask (Matching.usedRegion), scattered into out (h2 x w2) after the host cleared
// it: work-item p (of n = h * w) sets the 3x3 block around NNF(p) when tight[p] > 0.1.
__kernel void used_region(__global const float* nnf, __global const float* tight, __global float* out,
                          const int n, const int h2, const int w2) {
    int p = get_global_id(0);
    if (p >= n || !(tight[p] > 0.1f) || nnf[p] < 0.0f) return;
    int q = (int) nnf[p];
    int qy = q / w2, qx = q % w2;
    for (int y = max(0, qy - 1); y <= min(h2 - 1, qy + 1); y++) {
        for (int x = max(0, qx - 1); x <= min(w2 - 1, qx + 1); x++) out[y * w2 + x] = 1.0f;
    }
}
