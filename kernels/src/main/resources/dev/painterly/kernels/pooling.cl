// pooling.cl: 2x2 max pooling (stride 2, ceil mode) with its backward, and 3x3 average pooling
// (stride 1, zero padding 1, always divided by 9).
//
// Work-items: 1-D. max_pool_2x2 and avg_pool_3x3 take one work-item per output element;
// max_pool_2x2_backward takes one per input element, which looks up whether it is its window's
// argmax, so every element of gradIn is written exactly once and no atomics are needed. The
// host rounds the global size up to the work-group size and passes the element count n.
// Tuning constants: none (the host picks a work-group size of 64 on CPUs and 256 on GPUs).

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
