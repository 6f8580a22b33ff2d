package dev.painterly.bench;

import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.opencl.ClConvolution;
import dev.painterly.engine.opencl.OpenClDevice;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The 3x3 convolution (Convolution.conv3x3, forward with bias, and Convolution.conv3x3BackwardInput),
 * and the same with the ReLU after it fused in (conv3x3Relu, conv3x3ReluBackwardInput, as VGG-19
 * runs them; the mask is a ReLU output that is 0 at half the positions), on
 * VGG-sized layers of C input and C output channels, by each variant of ClConvolution's kernels:
 * PLAIN (one output per work-item), TILED (direct, register-tiled), WINOGRAD (three kernels) and
 * WINOGRAD_FUSED (one; it throws, and so fails its check, where its tiles overflow local memory).
 * Every layer is 3.6 GFLOP (2 x C x C x 9 x H x W), the count of the direct convolution whatever
 * the algorithm. Checked against the reference within 1e-4 of the largest |output|.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ConvolutionBenchmark extends VariantBenchmark {

    private static final List<String> VARIANTS = List.of("PLAIN", "TILED", "WINOGRAD", "WINOGRAD_FUSED");

    /** VGG-19's channel counts at the map sizes of a 384 x 512 image: C x H x W. */
    static final KernelFamily FAMILY = new KernelFamily("convolution",
            List.of("64x192x256", "128x96x128", "256x48x64", "512x24x32"), "32x32x48", List.of(
                    new KernelOp("forward", VARIANTS, (cl, v, s) -> forward(cl, v, s, false)),
                    new KernelOp("backwardInput", VARIANTS, (cl, v, s) -> backwardInput(cl, v, s, false)),
                    new KernelOp("forwardRelu", VARIANTS, (cl, v, s) -> forward(cl, v, s, true)),
                    new KernelOp("backwardInputRelu", VARIANTS, (cl, v, s) -> backwardInput(cl, v, s, true))));

    @Param({"PLAIN", "TILED", "WINOGRAD", "WINOGRAD_FUSED"})
    public String variant;

    @Param({"64x192x256", "128x96x128", "256x48x64", "512x24x32"})
    public String size;

    @Override
    KernelFamily family() {
        return FAMILY;
    }

    @Override
    String variant() {
        return variant;
    }

    @Override
    String size() {
        return size;
    }

    @Benchmark
    public void forward(Flops flops) {
        run(flops);
    }

    @Benchmark
    public void backwardInput(Flops flops) {
        run(flops);
    }

    @Benchmark
    public void forwardRelu(Flops flops) {
        run(flops);
    }

    @Benchmark
    public void backwardInputRelu(Flops flops) {
        run(flops);
    }

    private static Work work(Shape s) {
        return Work.gigaflop(2.0 * s.channels() * s.channels() * 9 * s.plane());
    }

    static VariantTrial forward(OpenClDevice cl, String variant, String size, boolean relu) {
        Shape s = BenchDevice.shape(size);
        int c = s.channels();
        Shape ws = Shape.vector(c * c * 9), bs = Shape.vector(c);
        float[] x = BenchDevice.randoms(1, s.size()), w = BenchDevice.randoms(2, ws.size()), b = BenchDevice.randoms(3, c);
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), relu ? "forwardRelu" : "forward", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rx = t.reference.upload(s, x); Tensor rw = t.reference.upload(ws, w);
                 Tensor rb = t.reference.upload(bs, b)) {
                return Expected.relative(t.referenceOutput(s, out -> {
                    if (relu) {
                        t.reference.convolution().conv3x3Relu(rx, rw, rb, out);
                    } else {
                        t.reference.convolution().conv3x3(rx, rw, rb, out);
                    }
                }), 1e-4);
            }
        });
        Tensor cx = t.upload(s, x), cw = t.upload(ws, w), cb = t.upload(bs, b);
        Tensor out = t.output(s);
        ClConvolution conv = new ClConvolution(cl);
        ClConvolution.Variant v = ClConvolution.Variant.valueOf(variant);
        return t.trial(work(s), relu ? () -> conv.conv3x3Relu(cx, cw, cb, out, v) : () -> conv.conv3x3(cx, cw, cb, out, v),
                out, expected);
    }

    static VariantTrial backwardInput(OpenClDevice cl, String variant, String size, boolean relu) {
        Shape s = BenchDevice.shape(size);
        int c = s.channels();
        Shape ws = Shape.vector(c * c * 9);
        float[] g = BenchDevice.randoms(1, s.size()), w = BenchDevice.randoms(2, ws.size());
        float[] y = BenchDevice.randoms(3, s.size());
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(0, y[i]);
        }
        TrialSetup t = new TrialSetup(cl, FAMILY.name(), relu ? "backwardInputRelu" : "backwardInput", variant, size);
        Expected expected = t.expected(() -> {
            try (Tensor rg = t.reference.upload(s, g); Tensor rw = t.reference.upload(ws, w);
                 Tensor ry = t.reference.upload(s, y)) {
                return Expected.relative(t.referenceOutput(s, out -> {
                    if (relu) {
                        t.reference.convolution().conv3x3ReluBackwardInput(rg, ry, rw, out);
                    } else {
                        t.reference.convolution().conv3x3BackwardInput(rg, rw, out);
                    }
                }), 1e-4);
            }
        });
        Tensor cg = t.upload(s, g), cw = t.upload(ws, w), cy = t.upload(s, y);
        Tensor out = t.output(s);
        ClConvolution conv = new ClConvolution(cl);
        ClConvolution.Variant v = ClConvolution.Variant.valueOf(variant);
        return t.trial(work(s), relu ? () -> conv.conv3x3ReluBackwardInput(cg, cy, cw, out, v)
                : () -> conv.conv3x3BackwardInput(cg, cw, out, v), out, expected);
    }
}
