package dev.painterly.engine.reference;

import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Gram;

import java.util.stream.IntStream;

import static dev.painterly.engine.reference.JavaDevice.data;

/** The definition of {@link Gram}: every dot product summed in double. */
public final class GramReference implements Gram {

    private final Precision precision;

    GramReference(Precision precision) {
        this.precision = precision;
    }

    @Override
    public void gram(Tensor f, double scale, Tensor out) {
        double[] a = data(f), o = data(out);
        int c = f.shape().channels(), n = f.shape().plane();
        IntStream.range(0, c).parallel().forEach(i -> {
            for (int j = 0; j < c; j++) {
                double acc = 0;
                for (int p = 0; p < n; p++) {
                    acc += a[i * n + p] * a[j * n + p];
                }
                o[i * c + j] = precision.store(scale * acc);
            }
        });
    }

    @Override
    public void gramBackward(Tensor f, Tensor gradGram, double scale, Tensor gradF) {
        double[] a = data(f), g = data(gradGram), o = data(gradF);
        int c = f.shape().channels(), n = f.shape().plane();
        IntStream.range(0, c).parallel().forEach(i -> {
            for (int p = 0; p < n; p++) {
                double acc = 0;
                for (int j = 0; j < c; j++) {
                    acc += (g[i * c + j] + g[j * c + i]) * a[j * n + p];
                }
                o[i * n + p] = precision.store(scale * acc);
            }
        });
    }
}
