package dev.painterly.engine.reference;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Pooling;

import java.util.Arrays;

import static dev.painterly.engine.reference.JavaDevice.data;

/** The definition of {@link Pooling}: every window scanned directly. */
public final class PoolingReference implements Pooling {

    private final Precision precision;

    PoolingReference(Precision precision) {
        this.precision = precision;
    }

    /** Index (within the input) of the max of the 2x2 window of output (c, oy, ox); first on ties. */
    private static int argmaxOfWindow(double[] a, int c, int h, int w, int oy, int ox) {
        int best = -1;
        for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
                int y = 2 * oy + dy, x = 2 * ox + dx;
                if (y < h && x < w) {
                    int idx = (c * h + y) * w + x;
                    if (best < 0 || a[idx] > a[best]) {
                        best = idx;
                    }
                }
            }
        }
        return best;
    }

    @Override
    public void maxPool2x2(Tensor x, Tensor out) {
        double[] a = data(x), o = data(out);
        Shape s = x.shape();
        int oh = out.shape().height(), ow = out.shape().width();
        for (int c = 0; c < s.channels(); c++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    o[(c * oh + oy) * ow + ox] = a[argmaxOfWindow(a, c, s.height(), s.width(), oy, ox)];
                }
            }
        }
    }

    @Override
    public void maxPool2x2Backward(Tensor x, Tensor gradOut, Tensor gradIn) {
        double[] a = data(x), g = data(gradOut), gi = data(gradIn);
        Shape s = x.shape();
        int oh = gradOut.shape().height(), ow = gradOut.shape().width();
        Arrays.fill(gi, 0);
        for (int c = 0; c < s.channels(); c++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    gi[argmaxOfWindow(a, c, s.height(), s.width(), oy, ox)] = g[(c * oh + oy) * ow + ox];
                }
            }
        }
    }

    @Override
    public void avgPool3x3(Tensor x, Tensor out) {
        double[] a = data(x), o = data(out);
        Shape s = x.shape();
        int h = s.height(), w = s.width();
        for (int c = 0; c < s.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    double acc = 0;
                    for (int sy = Math.max(0, y - 1); sy <= Math.min(h - 1, y + 1); sy++) {
                        for (int sx = Math.max(0, xx - 1); sx <= Math.min(w - 1, xx + 1); sx++) {
                            acc += a[(c * h + sy) * w + sx];
                        }
                    }
                    o[(c * h + y) * w + xx] = precision.store(acc / 9.0);
                }
            }
        }
    }
}
