package dev.painterly.cli;

import dev.painterly.bench.VariantTiming;
import dev.painterly.engine.Device;
import dev.painterly.engine.io.RgbImage;
import dev.painterly.harmonizer.IndependentMapping;
import dev.painterly.harmonizer.Mask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Times pass 1's matching (relu3_1, relu4_1, relu5_1) on a generated or given example. */
@Command(name = "match", mixinStandardHelpOptions = true,
        description = "Time pass-1 matching (NCC at relu3_1, relu4_1, relu5_1, queries under the mask); prints median_s.")
final class BenchMatchCommand implements Callable<Integer> {

    @Option(names = "--size", defaultValue = "700", description = "working size, longer side (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--painting", description = "painting of a given example (default: the generated demo scene)")
    Path painting;

    @Option(names = "--composite", description = "its composite")
    Path composite;

    @Option(names = "--mask", description = "its tight mask")
    Path mask;

    @Option(names = "--loose-mask", description = "its loose mask (default: derived from the tight mask)")
    Path looseMask;

    @Option(names = "--repeat", defaultValue = "3", description = "timed runs after one warm-up (default: ${DEFAULT-VALUE})")
    int repeat;

    @Mixin
    WeightsOption weights;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() throws Exception {
        RgbImage p, c;
        Mask tight, loose = null;
        if (painting != null || composite != null || mask != null) {
            if (painting == null || composite == null || mask == null) {
                throw new IllegalArgumentException("give --painting, --composite and --mask together");
            }
            p = RgbImage.read(painting);
            c = RgbImage.read(composite);
            tight = Mask.read(mask);
            loose = looseMask == null ? null : Mask.read(looseMask);
        } else {
            DemoScene scene = DemoScene.generate(size, size * 3 / 4, 1);
            p = scene.painting();
            c = scene.composite();
            tight = scene.mask();
        }
        JobWeights vgg = weights.load();
        try (Device d = device.open();
             IndependentMapping mapping = IndependentMapping.prepare(d, vgg.forJob(d, size, p, c), p, c, tight, loose, size)) {
            double[] t = VariantTiming.time(1, repeat, mapping::matchAll);
            System.out.printf("painterly-match device=\"%s\" size=%dx%d queries=%d median_s=%.4f%n",
                    d.name(), mapping.height(), mapping.width(), mapping.queries(), VariantTiming.median(t));
        }
        return 0;
    }
}
