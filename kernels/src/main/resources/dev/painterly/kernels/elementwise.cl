// elementwise.cl: one-element-per-work-item maps over float32 tensors.
//
// Computes: fill, copy, ReLU and its backward, add, multiply, scale, axpy, the scaled difference
// (the squared error's gradient), scaling to a norm kept on the device (pass 2's normalisation,
// without a host round trip), the channel-broadcast mask product, the weighted sum then mask
// product (a loss module's gradient joining the network's, weighted by a number or, in pass 2, by
// its norm), the mask gradient, and the total-variation gradient of docs/algorithm.md.
// Work-items: 1-D, one per output element, global size rounded up to the work-group size, so
// each kernel takes the element count n and returns early past it. The mask products are 2-D
// (position, channel) instead: an index modulo the plane would keep the compiler from
// vectorising them, which made the mask product six times slower than relu per byte on PoCL.
// Tuning constants: none (the host picks a work-group size of 64 under the CPU tuning and 256 under the GPU tuning).

__kernel void fill(__global float* out, const int n, const float value) {
    int i = get_global_id(0);
    if (i < n) out[i] = value;
}

__kernel void copy(__global const float* src, __global float* dst, const int n) {
    int i = get_global_id(0);
    if (i < n) dst[i] = src[i];
}

__kernel void relu(__global const float* x, __global float* out, const int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = fmax(x[i], 0.0f);
}

// gradIn = x > 0 ? gradOut : 0, with x the ReLU's input.
__kernel void relu_backward(__global const float* x, __global const float* gradOut,
                            __global float* gradIn, const int n) {
    int i = get_global_id(0);
    if (i < n) gradIn[i] = x[i] > 0.0f ? gradOut[i] : 0.0f;
}

__kernel void add(__global const float* a, __global const float* b, __global float* out, const int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = a[i] + b[i];
}

__kernel void multiply(__global const float* a, __global const float* b, __global float* out, const int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = a[i] * b[i];
}

__kernel void scale(__global const float* a, const float s, __global float* out, const int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = s * a[i];
}

// y += alpha * x, in place.
__kernel void axpy(const float alpha, __global const float* x, __global float* y, const int n) {
    int i = get_global_id(0);
    if (i < n) y[i] = fma(alpha, x[i], y[i]);
}

// out = s * (a - b).
__kernel void scaled_difference(__global const float* a, __global const float* b, const float s,
                                __global float* out, const int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = s * (a[i] - b[i]);
}

// out = weight * a / (sqrt(squaredNorm[0]) + 1e-8): the norm is read on the device, where a
// reduction left it, so normalising needs no transfer.
__kernel void scale_by_norm(__global const float* a, __global const float* squaredNorm, const float weight,
                            __global float* out, const int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = a[i] * (weight / (sqrt(squaredNorm[0]) + 1e-8f));
}

// out[c,p] = x[c,p] * mask[p]; plane = H*W. Work-item (p, c); dimension 0 rounded up past plane.
__kernel void mask_multiply(__global const float* x, __global const float* mask, __global float* out,
                            const int plane) {
    int p = get_global_id(0);
    if (p >= plane) return;
    size_t i = get_global_id(1) * (size_t) plane + p;
    out[i] = x[i] * mask[p];
}

// out[c,p] = (a[c,p] + weight * b[c,p]) * mask[p]. Work-item (p, c), as mask_multiply.
__kernel void add_masked(__global const float* a, __global const float* b, const float weight,
                         __global const float* mask, __global float* out, const int plane) {
    int p = get_global_id(0);
    if (p >= plane) return;
    size_t i = get_global_id(1) * (size_t) plane + p;
    out[i] = (a[i] + weight * b[i]) * mask[p];
}

// out[c,p] = (a[c,p] + b[c,p] * weight / (sqrt(squaredNorm[0]) + 1e-8)) * mask[p]: add_masked
// with b normalised as scale_by_norm does it, so that pass 2's weighting costs no pass of its own.
__kernel void add_normalized_masked(__global const float* a, __global const float* b,
                                    __global const float* squaredNorm, const float weight,
                                    __global const float* mask, __global float* out, const int plane) {
    int p = get_global_id(0);
    if (p >= plane) return;
    size_t i = get_global_id(1) * (size_t) plane + p;
    out[i] = (a[i] + b[i] * (weight / (sqrt(squaredNorm[0]) + 1e-8f))) * mask[p];
}

// gradMask[p] = sum_c gradOut[c,p] * x[c,p]; one work-item per position p.
__kernel void mask_multiply_backward(__global const float* x, __global const float* gradOut,
                                     __global float* gradMask, const int channels, const int plane) {
    int p = get_global_id(0);
    if (p >= plane) return;
    float acc = 0.0f;
    for (int c = 0; c < channels; c++) acc = fma(gradOut[c * plane + p], x[c * plane + p], acc);
    gradMask[p] = acc;
}

// Gradient of weight * 0.5 * sum(dx^2 + dy^2) over y < H-1, x < W-1, gathered per element:
// element (y,x) receives dx+dy of its own pair (if it has one), -dx from its left neighbour's
// pair and -dy from the pair of the element above.
__kernel void total_variation_gradient(__global const float* a, const float weight, __global float* grad,
                                       const int height, const int width, const int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    int x = i % width;
    int y = (i / width) % height;
    float g = 0.0f;
    if (y < height - 1 && x < width - 1) g += (a[i] - a[i + 1]) + (a[i] - a[i + width]);
    if (x > 0 && y < height - 1) g -= a[i - 1] - a[i];
    if (y > 0 && x < width - 1) g -= a[i - width] - a[i];
    grad[i] = weight * g;
}
