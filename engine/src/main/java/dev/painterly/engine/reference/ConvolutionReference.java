package dev.painterly.engine.reference;

import dev.painterly.engine.Check;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.device.Convolution;

import java.util.Arrays;
import java.util.stream.IntStream;

import static dev.painterly.engine.reference.JavaDevice.data;

/** The definition of {@link Convolution}: direct sums over the 3x3 taps, in double. */
public final class ConvolutionReference implements Convolution {

    private final Precision precision;

    ConvolutionReference(Precision precision) {
        this.precision = precision;
    }

    @Override
    public void conv3x3(Tensor input, Tensor weight, Tensor bias, Tensor output) {
        double[] in = data(input), w = data(weight), out = data(output);
        double[] b = bias == null ? null : data(bias);
        int ci = input.shape().channels(), h = input.shape().height(), wd = input.shape().width();
        int co = output.shape().channels();
        IntStream.range(0, co).parallel().forEach(o -> {
            double[] acc = new double[h * wd];
            Arrays.fill(acc, b == null ? 0 : b[o]);
            for (int i = 0; i < ci; i++) {
                for (int dy = 0; dy < 3; dy++) {
                    for (int dx = 0; dx < 3; dx++) {
                        double k = w[((o * ci + i) * 3 + dy) * 3 + dx];
                        for (int y = 0; y < h; y++) {
                            int sy = y + dy - 1;
                            if (sy < 0 || sy >= h) {
                                continue;
                            }
                            int row = (i * h + sy) * wd;
                            for (int x = 0; x < wd; x++) {
                                int sx = x + dx - 1;
                                if (sx >= 0 && sx < wd) {
                                    acc[y * wd + x] += k * in[row + sx];
                                }
                            }
                        }
                    }
                }
            }
            for (int p = 0; p < h * wd; p++) {
                out[o * h * wd + p] = precision.store(acc[p]);
            }
        });
    }

    @Override
    public void conv3x3Relu(Tensor input, Tensor weight, Tensor bias, Tensor output) {
        conv3x3(input, weight, bias, output);
        double[] out = data(output);
        for (int p = 0; p < out.length; p++) {
            out[p] = Math.max(0, out[p]);
        }
    }

    @Override
    public void conv3x3BackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput) {
        backwardInput(data(gradOutput), gradOutput, weight, gradInput);
    }

    @Override
    public void conv3x3ReluBackwardInput(Tensor gradOutput, Tensor reluOutput, Tensor weight, Tensor gradInput) {
        Check.sameShape(gradOutput, reluOutput);
        double[] g = data(gradOutput), y = data(reluOutput);
        double[] masked = new double[g.length];
        for (int p = 0; p < g.length; p++) {
            masked[p] = y[p] > 0 ? g[p] : 0;
        }
        backwardInput(masked, gradOutput, weight, gradInput);
    }

    /** conv3x3BackwardInput of the values g, shaped as gradOutput. */
    private void backwardInput(double[] g, Tensor gradOutput, Tensor weight, Tensor gradInput) {
        double[] w = data(weight), gi = data(gradInput);
        int co = gradOutput.shape().channels(), h = gradOutput.shape().height(), wd = gradOutput.shape().width();
        int ci = gradInput.shape().channels();
        IntStream.range(0, ci).parallel().forEach(i -> {
            double[] acc = new double[h * wd];
            for (int o = 0; o < co; o++) {
                for (int dy = 0; dy < 3; dy++) {
                    for (int dx = 0; dx < 3; dx++) {
                        double k = w[((o * ci + i) * 3 + dy) * 3 + dx];
                        for (int y = 0; y < h; y++) {
                            int sy = y - dy + 1;
                            if (sy < 0 || sy >= h) {
                                continue;
                            }
                            int row = (o * h + sy) * wd;
                            for (int x = 0; x < wd; x++) {
                                int sx = x - dx + 1;
                                if (sx >= 0 && sx < wd) {
                                    acc[y * wd + x] += k * g[row + sx];
                                }
                            }
                        }
                    }
                }
            }
            for (int p = 0; p < h * wd; p++) {
                gi[i * h * wd + p] = precision.store(acc[p]);
            }
        });
    }

    @Override
    public void conv3x3BackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias) {
        double[] in = data(input), g = data(gradOutput), gw = data(gradWeight);
        int ci = input.shape().channels(), h = input.shape().height(), wd = input.shape().width();
        int co = gradOutput.shape().channels();
        IntStream.range(0, co).parallel().forEach(o -> {
            for (int i = 0; i < ci; i++) {
                for (int dy = 0; dy < 3; dy++) {
                    for (int dx = 0; dx < 3; dx++) {
                        double acc = 0;
                        for (int y = 0; y < h; y++) {
                            int sy = y + dy - 1;
                            if (sy < 0 || sy >= h) {
                                continue;
                            }
                            for (int x = 0; x < wd; x++) {
                                int sx = x + dx - 1;
                                if (sx >= 0 && sx < wd) {
                                    acc += g[(o * h + y) * wd + x] * in[(i * h + sy) * wd + sx];
                                }
                            }
                        }
                        gw[((o * ci + i) * 3 + dy) * 3 + dx] = precision.store(acc);
                    }
                }
            }
        });
        if (gradBias != null) {
            double[] gb = data(gradBias);
            for (int o = 0; o < co; o++) {
                double acc = 0;
                for (int p = 0; p < h * wd; p++) {
                    acc += g[o * h * wd + p];
                }
                gb[o] = precision.store(acc);
            }
        }
    }
}
