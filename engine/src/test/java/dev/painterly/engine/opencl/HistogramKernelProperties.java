package dev.painterly.engine.opencl;

import dev.painterly.engine.Shape;
import dev.painterly.engine.testing.AgainstReference;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

/**
 * Both sorts of histogram.cl (along the merge path; a radix sort per channel) against the Java
 * reference's keyed sort, exactly: on
 * random feature maps whose values are drawn from a few levels (many ties, -0 and +0 among them;
 * digits every key shares, so the radix sort skips some of its passes and ends after an odd or an
 * even number) or spread over every bit (all passes run), at a random subset of positions in
 * random order, with a random table. The output is poisoned first, so elements off the positions
 * must come back 0.
 */
class HistogramKernelProperties {

    private static final int TRIES = 25;

    private final OpenClDevice cl = TestDevices.openCl();

    @Property(tries = TRIES)
    void remap(@ForAll @IntRange(min = 1, max = 6) int channels, @ForAll @IntRange(min = 1, max = 40) int height,
               @ForAll @IntRange(min = 1, max = 40) int width, @ForAll @IntRange(min = 1, max = 100) int percent,
               @ForAll @IntRange(min = 1, max = 20) int levels, @ForAll boolean spread, @ForAll long seed) {
        int n = height * width;
        Random random = new Random(seed);
        float[] features = new float[channels * n];
        for (int i = 0; i < features.length; i++) {
            int level = random.nextInt(2 * levels + 1) - levels;
            features[i] = spread ? (float) (random.nextGaussian() * Math.pow(10, level % 4))
                    : level == 0 ? (random.nextBoolean() ? 0f : -0f) : level * 0.25f;
        }
        int[] order = shuffled(n, random);
        int m = Math.max(1, n * percent / 100);
        float[] positions = new float[m];
        for (int i = 0; i < m; i++) {
            positions[i] = order[i];
        }
        float[] table = RandomTensors.uniform(seed + 1, channels * m);
        Shape shape = Shape.of(channels, height, width);
        try (AgainstReference run = new AgainstReference(cl).input(shape, features)
                .input(Shape.vector(m), positions).input(Shape.vector(channels * m), table)) {
            float[] expected = run.expected((d, in, out) -> d.histogram().remap(in[0], in[1], in[2], out), shape);
            for (ClHistogram.Variant v : ClHistogram.Variant.values()) {
                float[] actual = run.actual((d, in, out) -> new ClHistogram(cl).remap(in[0], in[1], in[2], out, v), shape);
                Compare.close(expected, actual, 0, 0, "remap " + v + " " + shape + " m=" + m + " levels=" + levels + " spread=" + spread);
            }
        }
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
