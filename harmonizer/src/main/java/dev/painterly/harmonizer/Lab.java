package dev.painterly.harmonizer;

/**
 * CIE L*a*b* (D65 white) from sRGB in [0,1] and back, by the standard definitions (those of
 * Matlab's rgb2lab and lab2rgb, which the reference used): sRGB companding, the sRGB primaries'
 * matrix to XYZ, then the CIE 1976 cube-root law. Planes are 3 x H x W (L, a, b; L in [0, 100]).
 * Conversions are per pixel and cheap (tens of milliseconds at 700 px), so they run on the host,
 * in double.
 */
public final class Lab {

    /** Linear sRGB to XYZ (IEC 61966-2-1 primaries, D65). */
    private static final double[][] TO_XYZ = {
        {0.4124564, 0.3575761, 0.1804375},
        {0.2126729, 0.7151522, 0.0721750},
        {0.0193339, 0.1191920, 0.9503041},
    };

    /** Its exact inverse, so that a round trip is exact up to rounding. */
    private static final double[][] TO_RGB = invert(TO_XYZ);

    /** The D65 white: what linear RGB (1, 1, 1) maps to. */
    private static final double[] WHITE = {rowSum(0), rowSum(1), rowSum(2)};

    private static final double DELTA = 6.0 / 29.0;

    private Lab() {
    }

    /** Lab planes of sRGB planes of {@code plane} pixels each. */
    public static float[] fromRgb(float[] rgb, int plane) {
        float[] lab = new float[3 * plane];
        double[] linear = new double[3];
        double[] f = new double[3];
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                linear[c] = toLinear(rgb[c * plane + p]);
            }
            for (int i = 0; i < 3; i++) {
                double xyz = TO_XYZ[i][0] * linear[0] + TO_XYZ[i][1] * linear[1] + TO_XYZ[i][2] * linear[2];
                f[i] = f(xyz / WHITE[i]);
            }
            lab[p] = (float) (116 * f[1] - 16);
            lab[plane + p] = (float) (500 * (f[0] - f[1]));
            lab[2 * plane + p] = (float) (200 * (f[1] - f[2]));
        }
        return lab;
    }

    /** sRGB planes of Lab planes; colours outside the sRGB gamut come out outside [0,1], unclamped. */
    public static float[] toRgb(float[] lab, int plane) {
        float[] rgb = new float[3 * plane];
        double[] xyz = new double[3];
        for (int p = 0; p < plane; p++) {
            double fy = (lab[p] + 16) / 116.0;
            double fx = fy + lab[plane + p] / 500.0;
            double fz = fy - lab[2 * plane + p] / 200.0;
            xyz[0] = WHITE[0] * fInverse(fx);
            xyz[1] = WHITE[1] * fInverse(fy);
            xyz[2] = WHITE[2] * fInverse(fz);
            for (int c = 0; c < 3; c++) {
                double linear = TO_RGB[c][0] * xyz[0] + TO_RGB[c][1] * xyz[1] + TO_RGB[c][2] * xyz[2];
                rgb[c * plane + p] = (float) fromLinear(linear);
            }
        }
        return rgb;
    }

    /** sRGB decoding; odd-symmetric so that out-of-gamut negatives survive a round trip. */
    private static double toLinear(double v) {
        double a = Math.abs(v);
        double l = a <= 0.04045 ? a / 12.92 : Math.pow((a + 0.055) / 1.055, 2.4);
        return Math.copySign(l, v);
    }

    private static double fromLinear(double l) {
        double a = Math.abs(l);
        double v = a <= 0.0031308 ? 12.92 * a : 1.055 * Math.pow(a, 1 / 2.4) - 0.055;
        return Math.copySign(v, l);
    }

    private static double f(double t) {
        return t > DELTA * DELTA * DELTA ? Math.cbrt(t) : t / (3 * DELTA * DELTA) + 4.0 / 29.0;
    }

    private static double fInverse(double t) {
        return t > DELTA ? t * t * t : 3 * DELTA * DELTA * (t - 4.0 / 29.0);
    }

    private static double rowSum(int i) {
        return TO_XYZ[i][0] + TO_XYZ[i][1] + TO_XYZ[i][2];
    }

    private static double[][] invert(double[][] m) {
        double[][] inv = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                // Cofactor of m[j][i] (the adjugate is the transposed cofactor matrix).
                int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
                inv[i][j] = m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
            }
        }
        double det = m[0][0] * inv[0][0] + m[0][1] * inv[1][0] + m[0][2] * inv[2][0];
        for (double[] row : inv) {
            for (int j = 0; j < 3; j++) {
                row[j] /= det;
            }
        }
        return inv;
    }
}
