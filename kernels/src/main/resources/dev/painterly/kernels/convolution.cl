// convolution.cl: 3x3 convolution, stride 1, zero padding 1, on C x H x W float32 maps; weights
// [out][in][3][3], bias [out].
//
// Computes: the forward convolution twice over (conv3x3_tiled, the fast one, and conv3x3_plain,
// the readable one), the gradient to the input (through conv3x3_tiled on packed transposed and
// flipped weights, or directly by conv3x3_backward_input_plain) and the gradients to the weights
// and the bias. Helpers: pad_input copies a map into a zero-bordered buffer so that the tiled
// kernels read without bounds checks; pack_weights lays weights out for conv3x3_tiled (once per
// weight tensor: the host keeps the result).
//
// The ReLU that follows each convolution in VGG runs inside it, to save a pass over memory each
// way: with relu = 1 the forward kernels store max(0, output); with masked = 1 the kernels that
// read a gradient to the output (pad_input for conv3x3_tiled, conv3x3_backward_input_plain) read
// it as 0 wherever the ReLU's output reluOut is not positive, which is the ReLU's backward. Both
// flags are uniform over a launch; reluOut is not read when masked is 0.
//
// Work-items:
//   conv3x3_tiled: 3-D (block of output channels, x tile, y tile); each work-item computes
//     TO output channels x TY rows x (NV * VEC) consecutive pixels, accumulating in NV * TY * TO
//     floatVEC registers, and loops over the input channels and the 9 taps with vector loads of
//     the padded rows and scalar weight broadcasts. The channel blocks vary fastest, so the
//     blocks of one tile run back to back while its input rows are still in cache.
//   conv3x3_plain, conv3x3_backward_input_plain: 3-D (x, y, channel), one output element each.
//   conv3x3_backward_weight: 2-D (input channel, output channel), the 9 taps of one filter each.
//   conv3x3_backward_bias: 1-D, one output channel each.
//   pad_input: 1-D, one padded row each.
//   pack_weights: 2-D (input channel, block of TO output channels).
//
// Tuning constants (-D build options, chosen per tuning by ClConvolution.Tiling; the #ifndef
// defaults are the CPU tuning's):
//   VEC  vector width of the accumulators and loads (4, 8 or 16)
//   NV   vectors per row of a tile, so a tile row is NV * VEC pixels wide
//   TY   rows per tile
//   TO   output channels per tile

#ifndef VEC
#define VEC 16
#endif
#ifndef NV
#define NV 1
#endif
#ifndef TY
#define TY 1
#endif
#ifndef TO
#define TO 16
#endif

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define floatV CAT(float, VEC)
#define vloadV CAT(vload, VEC)
#define vstoreV CAT(vstore, VEC)
#define TX (NV * VEC)

// P[r][c][x] = in[c][r-1][x-1] inside, 0 on the border and in the slack beyond it; P is
// Hp x C x Wp with Hp >= H + 2 and Wp >= W + 2. Rows are interleaved by channel so that the rows
// a tile reads over all input channels lie in three contiguous runs of memory rather than in
// 3 x C rows a plane apart. A whole row per work-item keeps the copy a plain loop that the
// compiler vectorises. With masked = 1, in is read as 0 where reluOut (shaped as in) is not positive.
__kernel void pad_input(__global const float* restrict in, __global const float* restrict reluOut,
                        __global float* restrict P, const int C, const int H, const int W, const int Wp,
                        const int rows, const int masked) {
    const int rc = get_global_id(0);
    if (rc >= rows) return;
    const int r = rc / C;
    const int c = rc % C;
    __global float* dst = P + rc * Wp;
    int x = 0;
    if (r >= 1 && r <= H) {
        const __global float* src = in + (c * H + r - 1) * W;
        dst[0] = 0.0f;
        if (masked) {
            const __global float* y = reluOut + (c * H + r - 1) * W;
            for (x = 1; x <= W; x++) dst[x] = y[x - 1] > 0.0f ? src[x - 1] : 0.0f;
        } else {
            for (x = 1; x <= W; x++) dst[x] = src[x - 1];
        }
    }
    for (; x < Wp; x++) dst[x] = 0.0f;
}

// Packs the weights of a convolution with outC outputs and inC inputs as
// K[ob][i][tap][TO] (ob = block of TO output channels, zeros past outC). With transpose = 1 the
// source W is the [inC][outC][3][3] weight of the adjoint convolution, and
// K[o][i][dy][dx] = W[i][o][2-dy][2-dx]: the weights that turn conv3x3_tiled into the gradient
// to the input.
__kernel void pack_weights(__global const float* restrict W, __global float* restrict K, const int outC,
                           const int inC, const int transpose) {
    const int i = get_global_id(0);
    const int ob = get_global_id(1);
    const int blocks = (outC + TO - 1) / TO;
    if (i >= inC || ob >= blocks) return;
    __global float* dst = K + (ob * inC + i) * 9 * TO;
    for (int oo = 0; oo < TO; oo++) {
        const int o = ob * TO + oo;
        for (int tap = 0; tap < 9; tap++) {
            float v = 0.0f;
            if (o < outC) v = transpose ? W[(i * outC + o) * 9 + 8 - tap] : W[(o * inC + i) * 9 + tap];
            dst[tap * TO + oo] = v;
        }
    }
}

// out[o,y,x] = bias[o] + sum_{i,dy,dx} K[o,i,dy,dx] * P[y+dy][i][x+dx], over the tile of this
// work-item, or max(0, that) with relu = 1; P from pad_input (Hp >= roundUp(H, TY) + 2,
// Wp >= roundUp(W, TX) + 2), K from pack_weights, bias ignored when hasBias is 0. Pixels and
// channels past the edge are computed from the zero slack and dropped.
__kernel void conv3x3_tiled(__global const float* restrict P, __global const float* restrict K,
                            __global const float* restrict bias, __global float* restrict out, const int inC,
                            const int outC, const int H, const int W, const int Wp, const int hasBias,
                            const int relu) {
    const int ob = get_global_id(0);
    const int x0 = get_global_id(1) * TX;
    const int y0 = get_global_id(2) * TY;

    floatV acc[TO][TY][NV];
#pragma unroll
    for (int o = 0; o < TO; o++) {
        const int oc = ob * TO + o;
        const floatV b = (floatV)(hasBias && oc < outC ? bias[oc] : 0.0f);
#pragma unroll
        for (int t = 0; t < TY; t++) {
#pragma unroll
            for (int v = 0; v < NV; v++) acc[o][t][v] = b;
        }
    }

    const __global float* k = K + ob * inC * 9 * TO;
    const int pitch = inC * Wp;
    const __global float* src = P + y0 * pitch + x0;
    for (int i = 0; i < inC; i++, src += Wp, k += 9 * TO) {
        // Padded row r feeds output row t through tap row dy = r - t.
#pragma unroll
        for (int r = 0; r < TY + 2; r++) {
#pragma unroll
            for (int v = 0; v < NV; v++) {
                const __global float* row = src + r * pitch + v * VEC;
                const floatV s0 = vloadV(0, row);
                const floatV s1 = vloadV(0, row + 1);
                const floatV s2 = vloadV(0, row + 2);
#pragma unroll
                for (int t = 0; t < TY; t++) {
                    const int dy = r - t;
                    if (dy < 0 || dy > 2) continue;
                    const __global float* kt = k + dy * 3 * TO;
#pragma unroll
                    for (int o = 0; o < TO; o++) {
                        floatV a = acc[o][t][v];
                        a = fma(s0, (floatV)(kt[o]), a);
                        a = fma(s1, (floatV)(kt[TO + o]), a);
                        a = fma(s2, (floatV)(kt[2 * TO + o]), a);
                        acc[o][t][v] = a;
                    }
                }
            }
        }
    }

#pragma unroll
    for (int o = 0; o < TO; o++) {
        const int oc = ob * TO + o;
        if (oc >= outC) break;
#pragma unroll
        for (int t = 0; t < TY; t++) {
            const int y = y0 + t;
            if (y >= H) break;
            __global float* dst = out + (oc * H + y) * W;
#pragma unroll
            for (int v = 0; v < NV; v++) {
                const int x = x0 + v * VEC;
                const floatV a = relu ? fmax(acc[o][t][v], (floatV)(0.0f)) : acc[o][t][v];
                if (x + VEC <= W) {
                    vstoreV(a, 0, dst + x);
                } else if (x < W) {
                    float tail[VEC];
                    vstoreV(a, 0, tail);
                    for (int j = 0; j < W - x; j++) dst[x + j] = tail[j];
                }
            }
        }
    }
}

// The definition, one output element per work-item; bias is ignored when hasBias is 0, and
// relu = 1 stores max(0, output).
__kernel void conv3x3_plain(__global const float* in, __global const float* w, __global const float* bias,
                            __global float* out, const int inC, const int outC, const int H, const int W,
                            const int hasBias, const int relu) {
    const int x = get_global_id(0);
    const int y = get_global_id(1);
    const int o = get_global_id(2);
    if (x >= W || y >= H || o >= outC) return;
    float acc = hasBias ? bias[o] : 0.0f;
    for (int i = 0; i < inC; i++) {
        for (int dy = 0; dy < 3; dy++) {
            const int sy = y + dy - 1;
            if (sy < 0 || sy >= H) continue;
            for (int dx = 0; dx < 3; dx++) {
                const int sx = x + dx - 1;
                if (sx < 0 || sx >= W) continue;
                acc = fma(w[((o * inC + i) * 3 + dy) * 3 + dx], in[(i * H + sy) * W + sx], acc);
            }
        }
    }
    out[(o * H + y) * W + x] = relu ? fmax(acc, 0.0f) : acc;
}

// gradIn[i,y,x] = sum_{o,dy,dx} w[o,i,dy,dx] * gradOut[o, y-dy+1, x-dx+1], one element each;
// with masked = 1, over the terms where reluOut[o, y-dy+1, x-dx+1] > 0 only.
__kernel void conv3x3_backward_input_plain(__global const float* gradOut, __global const float* reluOut,
                                           __global const float* w, __global float* gradIn, const int inC,
                                           const int outC, const int H, const int W, const int masked) {
    const int x = get_global_id(0);
    const int y = get_global_id(1);
    const int i = get_global_id(2);
    if (x >= W || y >= H || i >= inC) return;
    float acc = 0.0f;
    for (int o = 0; o < outC; o++) {
        for (int dy = 0; dy < 3; dy++) {
            const int sy = y - dy + 1;
            if (sy < 0 || sy >= H) continue;
            for (int dx = 0; dx < 3; dx++) {
                const int sx = x - dx + 1;
                if (sx < 0 || sx >= W) continue;
                const int s = (o * H + sy) * W + sx;
                if (masked && !(reluOut[s] > 0.0f)) continue;
                acc = fma(w[((o * inC + i) * 3 + dy) * 3 + dx], gradOut[s], acc);
            }
        }
    }
    gradIn[(i * H + y) * W + x] = acc;
}

// gradW[o,i,dy,dx] = sum_{y,x} gradOut[o,y,x] * P[y+dy][i][x+dx] with P from pad_input. Each row
// is summed on its own before joining the total, which keeps the rounding error of the long
// sum near that of a sum of H row sums.
__kernel void conv3x3_backward_weight(__global const float* P, __global const float* gradOut,
                                      __global float* gradW, const int inC, const int outC,
                                      const int H, const int W, const int Wp) {
    const int i = get_global_id(0);
    const int o = get_global_id(1);
    if (i >= inC || o >= outC) return;
    float total[9];
    for (int t = 0; t < 9; t++) total[t] = 0.0f;
    const __global float* src = P + i * Wp;
    const int pitch = inC * Wp;
    const __global float* g = gradOut + o * H * W;
    for (int y = 0; y < H; y++) {
        float rowSum[9];
        for (int t = 0; t < 9; t++) rowSum[t] = 0.0f;
        for (int x = 0; x < W; x++) {
            const float gv = g[y * W + x];
#pragma unroll
            for (int dy = 0; dy < 3; dy++) {
#pragma unroll
                for (int dx = 0; dx < 3; dx++) {
                    rowSum[dy * 3 + dx] = fma(gv, src[(y + dy) * pitch + x + dx], rowSum[dy * 3 + dx]);
                }
            }
        }
        for (int t = 0; t < 9; t++) total[t] += rowSum[t];
    }
    for (int t = 0; t < 9; t++) gradW[(o * inC + i) * 9 + t] = total[t];
}

// gradBias[o] = sum_{y,x} gradOut[o,y,x], summed row by row as above.
__kernel void conv3x3_backward_bias(__global const float* gradOut, __global float* gradBias,
                                    const int outC, const int H, const int W) {
    const int o = get_global_id(0);
    if (o >= outC) return;
    const __global float* g = gradOut + o * H * W;
    float total = 0.0f;
    for (int y = 0; y < H; y++) {
        float rowSum = 0.0f;
        for (int x = 0; x < W; x++) rowSum += g[y * W + x];
        total += rowSum;
    }
    gradBias[o] = total;
}
