package dev.painterly.harmonizer;

/** Host-side helpers on nearest-neighbour fields (indices q = y * W + x stored as floats). */
final class Matches {

    private Matches() {
    }

    /** M[c, p] = S[c, nnf[p]] * weight[p] (weight null: 1); S is C x N', the result C x N. */
    static float[] gather(float[] s, int channels, float[] nnf, float[] weight) {
        int n = nnf.length;
        int ns = s.length / channels;
        float[] out = new float[channels * n];
        for (int p = 0; p < n; p++) {
            int q = (int) nnf[p];
            if (q < 0) {
                continue;
            }
            float w = weight == null ? 1f : weight[p];
            for (int c = 0; c < channels; c++) {
                out[c * n + p] = s[c * ns + q] * w;
            }
        }
        return out;
    }
}
