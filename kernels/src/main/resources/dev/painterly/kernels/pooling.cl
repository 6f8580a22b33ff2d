// pooling.cl: 2x2 max pooling (stride 2, ceil mode) with its backward, and 3x3 average pooling
// (stride 1, zero padding 1, always divided by 9).
//
// Work-items: 1-D. max_pool_2x2 and avg_pool_3x3 take one work-item per output element;
// max_pool_2x2_backward takes one per input element, which looks up whether it is its window's
// argmax, so every element of gradIn is written exactly once and no atomics are needed. The
// host rounds the global size up to the work-group size and passes the element count n.
// For CPUs, max_pool_2x2_rows and max_pool_2x2_backward_rows take one work-item per output row
// (channel, oy) and 16 windows per float16 step, the windows that overhang the right or bottom
// edge one at a time: a work-item per element spent more on its scheduling and index
// arithmetic than on the element.
// Tuning constants: none (the host picks a work-group size of 64 under the CPU tuning and 256 under the GPU tuning).

// Input index of the max of the window of output (c, oy, ox). Overhanging windows look only at
// their in-bounds elements; ties go to the first in row-major window order, as in the reference
// (an element replaces the current best only when strictly greater).
inline int window_argmax(__global const float* x, int c, int oy, int ox, int height, int width) {
    int y0 = 2 * oy, x0 = 2 * ox;
    int best = (c * height + y0) * width + x0;
    float m = x[best];
    bool right = x0 + 1 < width;
    if (right && x[best + 1] > m) {
        best = best + 1;
        m = x[best];
    }
    if (y0 + 1 < height) {
        int below = (c * height + y0 + 1) * width + x0;
        if (x[below] > m) {
            best = below;
            m = x[below];
        }
        if (right && x[below + 1] > m) best = below + 1;
    }
    return best;
}

__kernel void max_pool_2x2(__global const float* x, __global float* out, const int height, const int width,
                           const int outHeight, const int outWidth, const int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    int ox = i % outWidth;
    int t = i / outWidth;
    int oy = t % outHeight;
    int c = t / outHeight;
    out[i] = x[window_argmax(x, c, oy, ox, height, width)];
}

// gradIn[i] = gradOut of i's window if i is that window's argmax, else 0; n = C*H*W.
__kernel void max_pool_2x2_backward(__global const float* x, __global const float* gradOut,
                                    __global float* gradIn, const int height, const int width,
                                    const int outHeight, const int outWidth, const int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    int px = i % width;
    int t = i / width;
    int py = t % height;
    int c = t / height;
    int oy = py / 2, ox = px / 2;
    gradIn[i] = window_argmax(x, c, oy, ox, height, width) == i
            ? gradOut[(c * outHeight + oy) * outWidth + ox] : 0.0f;
}

// The max of 16 whole windows (lanes) given their four elements in row-major order, and which
// of the four it is: as window_argmax, a later element wins only when strictly greater.
inline float16 max16(const float16 x00, const float16 x01, const float16 x10, const float16 x11, int16* best) {
    float16 m = x00;
    int16 b = (int16)(0);
    int16 c = isgreater(x01, m);
    m = select(m, x01, c);
    b = select(b, (int16)(1), c);
    c = isgreater(x10, m);
    m = select(m, x10, c);
    b = select(b, (int16)(2), c);
    c = isgreater(x11, m);
    m = select(m, x11, c);
    *best = select(b, (int16)(3), c);
    return m;
}

// Even and odd elements of 32 consecutive floats, as two float16.
#define EVENS(lo, hi) (float16)(lo.even, hi.even)
#define ODDS(lo, hi) (float16)(lo.odd, hi.odd)
// Elements 0..7 and 8..15 of e and o interleaved: e0, o0, e1, o1, ...
#define ZIP_LO(e, o) (float16)(e.s0, o.s0, e.s1, o.s1, e.s2, o.s2, e.s3, o.s3, \
                               e.s4, o.s4, e.s5, o.s5, e.s6, o.s6, e.s7, o.s7)
#define ZIP_HI(e, o) (float16)(e.s8, o.s8, e.s9, o.s9, e.sa, o.sa, e.sb, o.sb, \
                               e.sc, o.sc, e.sd, o.sd, e.se, o.se, e.sf, o.sf)

// max_pool_2x2 for output row `row` = c * outHeight + oy; rows = C * outHeight.
__kernel void max_pool_2x2_rows(__global const float* restrict x, __global float* restrict out, const int height,
                                const int width, const int outHeight, const int outWidth, const int rows) {
    const int row = get_global_id(0);
    if (row >= rows) return;
    const int c = row / outHeight;
    const int oy = row % outHeight;
    const __global float* top = x + (c * height + 2 * oy) * width;
    const __global float* bottom = top + width;
    __global float* dst = out + row * outWidth;
    int ox = 0;
    if (2 * oy + 1 < height) {
        for (; 2 * ox + 32 <= width; ox += 16) {
            const float16 t0 = vload16(0, top + 2 * ox), t1 = vload16(0, top + 2 * ox + 16);
            const float16 b0 = vload16(0, bottom + 2 * ox), b1 = vload16(0, bottom + 2 * ox + 16);
            int16 best;
            vstore16(max16(EVENS(t0, t1), ODDS(t0, t1), EVENS(b0, b1), ODDS(b0, b1), &best), 0, dst + ox);
        }
    }
    for (; ox < outWidth; ox++) dst[ox] = x[window_argmax(x, c, oy, ox, height, width)];
}

// max_pool_2x2_backward for the windows of output row `row` = c * outHeight + oy, which cover
// input rows 2oy and 2oy + 1 (when below the edge) completely; rows = C * outHeight.
__kernel void max_pool_2x2_backward_rows(__global const float* restrict x, __global const float* restrict gradOut,
                                         __global float* restrict gradIn, const int height, const int width,
                                         const int outHeight, const int outWidth, const int rows) {
    const int row = get_global_id(0);
    if (row >= rows) return;
    const int c = row / outHeight;
    const int oy = row % outHeight;
    const int topIndex = (c * height + 2 * oy) * width;
    const bool below = 2 * oy + 1 < height;
    const __global float* top = x + topIndex;
    const __global float* bottom = top + width;
    const __global float* g = gradOut + row * outWidth;
    __global float* gTop = gradIn + topIndex;
    __global float* gBottom = gTop + width;
    const float16 zero = (float16)(0.0f);
    int ox = 0;
    if (below) {
        for (; 2 * ox + 32 <= width; ox += 16) {
            const float16 t0 = vload16(0, top + 2 * ox), t1 = vload16(0, top + 2 * ox + 16);
            const float16 b0 = vload16(0, bottom + 2 * ox), b1 = vload16(0, bottom + 2 * ox + 16);
            int16 best;
            max16(EVENS(t0, t1), ODDS(t0, t1), EVENS(b0, b1), ODDS(b0, b1), &best);
            const float16 gv = vload16(0, g + ox);
            const float16 e0 = select(zero, gv, best == 0), o0 = select(zero, gv, best == 1);
            const float16 e1 = select(zero, gv, best == 2), o1 = select(zero, gv, best == 3);
            vstore16(ZIP_LO(e0, o0), 0, gTop + 2 * ox);
            vstore16(ZIP_HI(e0, o0), 0, gTop + 2 * ox + 16);
            vstore16(ZIP_LO(e1, o1), 0, gBottom + 2 * ox);
            vstore16(ZIP_HI(e1, o1), 0, gBottom + 2 * ox + 16);
        }
    }
    for (; ox < outWidth; ox++) {
        const int best = window_argmax(x, c, oy, ox, height, width);
        for (int dy = 0; dy < (below ? 2 : 1); dy++) {
            for (int dx = 0; dx < 2 && 2 * ox + dx < width; dx++) {
                const int i = topIndex + dy * width + 2 * ox + dx;
                gradIn[i] = i == best ? g[ox] : 0.0f;
            }
        }
    }
}

// out[c,y,x] = (sum of the in-bounds x[c, y-1..y+1, x-1..x+1]) / 9; n = C*H*W.
__kernel void avg_pool_3x3(__global const float* x, __global float* out, const int height, const int width,
                           const int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    int px = i % width;
    int t = i / width;
    int py = t % height;
    int plane = (t / height) * height * width;
    int y0 = max(py - 1, 0), y1 = min(py + 1, height - 1);
    int x0 = max(px - 1, 0), x1 = min(px + 1, width - 1);
    float acc = 0.0f;
    for (int y = y0; y <= y1; y++) {
        for (int xx = x0; xx <= x1; xx++) acc += x[plane + y * width + xx];
    }
    out[i] = acc / 9.0f;
}
