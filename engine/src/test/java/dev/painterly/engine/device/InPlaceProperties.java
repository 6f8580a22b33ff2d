package dev.painterly.engine.device;

import dev.painterly.engine.Device;
import dev.painterly.engine.Shape;
import dev.painterly.engine.Tensor;
import dev.painterly.engine.reference.JavaDevice;
import dev.painterly.engine.testing.AgainstReference.SingleOp;
import dev.painterly.engine.testing.Compare;
import dev.painterly.engine.testing.Poison;
import dev.painterly.engine.testing.RandomTensors;
import dev.painterly.engine.testing.TestDevices;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assertions;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The in-place contract ({@link InPlace}): every op marked in-place-safe gives, with its output
 * the same tensor as the marked input, exactly what it gives into a separate output, on the Java
 * reference and on OpenCL. A second property keeps the list of cases equal to the marks.
 */
class InPlaceProperties {

    private static final List<Class<?>> FAMILIES = List.of(Elementwise.class, Reductions.class, Convolution.class,
            Pooling.class, Gram.class, Matching.class, PostProcess.class);

    /** An op run with its output aliased to input number {@code aliased}, the parameter {@code parameter}. */
    private record Case(String op, String parameter, int inputs, int aliased, SingleOp run) {
        String mark() {
            return op + "(" + parameter + ")";
        }
    }

    /**
     * The masks (maskMultiply's input 1, addMasked's 2, addNormalizedMasked's 3) are 1 x H x W, the
     * squared norms (scaleByNorm's input 1, addNormalizedMasked's 2) one element; every other input
     * has the output's shape.
     */
    private static final List<Case> CASES = List.of(
            new Case("add", "a", 2, 0, (d, in, out) -> d.elementwise().add(in[0], in[1], out)),
            new Case("add", "b", 2, 1, (d, in, out) -> d.elementwise().add(in[0], in[1], out)),
            new Case("multiply", "a", 2, 0, (d, in, out) -> d.elementwise().multiply(in[0], in[1], out)),
            new Case("multiply", "b", 2, 1, (d, in, out) -> d.elementwise().multiply(in[0], in[1], out)),
            new Case("scale", "a", 1, 0, (d, in, out) -> d.elementwise().scale(in[0], -1.7, out)),
            new Case("maskMultiply", "x", 2, 0, (d, in, out) -> d.elementwise().maskMultiply(in[0], in[1], out)),
            new Case("addMasked", "a", 3, 0, (d, in, out) -> d.elementwise().addMasked(in[0], in[1], 0.3, in[2], out)),
            new Case("addMasked", "b", 3, 1, (d, in, out) -> d.elementwise().addMasked(in[0], in[1], 0.3, in[2], out)),
            new Case("addNormalizedMasked", "a", 4, 0,
                    (d, in, out) -> d.elementwise().addNormalizedMasked(in[0], in[1], in[2], 2.5, in[3], out)),
            new Case("addNormalizedMasked", "b", 4, 1,
                    (d, in, out) -> d.elementwise().addNormalizedMasked(in[0], in[1], in[2], 2.5, in[3], out)),
            new Case("scaleByNorm", "a", 2, 0, (d, in, out) -> d.elementwise().scaleByNorm(in[0], in[1], 2.5, out)),
            new Case("relu", "x", 1, 0, (d, in, out) -> d.elementwise().relu(in[0], out)),
            new Case("reluBackward", "gradOut", 2, 1,
                    (d, in, out) -> d.elementwise().reluBackward(in[0], in[1], out)));

    private final List<Device> devices = List.of(JavaDevice.float32(), TestDevices.openCl());

    @Example
    void everyInPlaceMarkHasACase() {
        Set<String> marked = new TreeSet<>();
        for (Class<?> family : FAMILIES) {
            for (Method m : family.getMethods()) {
                InPlace mark = m.getAnnotation(InPlace.class);
                if (mark != null) {
                    for (String parameter : mark.value()) {
                        marked.add(m.getName() + "(" + parameter + ")");
                    }
                }
            }
        }
        Assertions.assertEquals(marked, CASES.stream().map(Case::mark).collect(Collectors.toCollection(TreeSet::new)));
    }

    @Property(tries = 20)
    void inPlaceGivesWhatASeparateOutputGets(@ForAll @IntRange(min = 1, max = 9) int c,
                                              @ForAll @IntRange(min = 1, max = 23) int h,
                                              @ForAll @IntRange(min = 1, max = 29) int w, @ForAll long seed) {
        Shape s = Shape.of(c, h, w);
        for (Device device : devices) {
            for (Case k : CASES) {
                float[] separate;
                Tensor[] in = inputs(device, k, s, seed);
                try (Tensor out = Poison.output(device, s)) {
                    k.run().run(device, in, out);
                    separate = out.toArray();
                } finally {
                    close(in);
                }
                in = inputs(device, k, s, seed);
                try {
                    k.run().run(device, in, in[k.aliased()]);
                    Compare.close(separate, in[k.aliased()].toArray(), 0, 0,
                            k.mark() + " in place on " + device.name() + ", " + s);
                } finally {
                    close(in);
                }
            }
        }
    }

    private static Tensor[] inputs(Device device, Case k, Shape s, long seed) {
        Tensor[] in = new Tensor[k.inputs()];
        for (int i = 0; i < in.length; i++) {
            Shape shape = switch (k.op()) {
                case "maskMultiply" -> i == 1 ? s.withChannels(1) : s;
                case "addMasked" -> i == 2 ? s.withChannels(1) : s;
                case "scaleByNorm" -> i == 1 ? Shape.vector(1) : s;
                case "addNormalizedMasked" -> i == 2 ? Shape.vector(1) : i == 3 ? s.withChannels(1) : s;
                default -> s;
            };
            float[] values = RandomTensors.uniform(seed + i, shape.size());
            if (shape.size() == 1 && (k.op().equals("scaleByNorm") || k.op().equals("addNormalizedMasked"))) {
                values[0] = Math.abs(values[0]);
            }
            in[i] = device.upload(shape, values);
        }
        return in;
    }

    private static void close(Tensor[] tensors) {
        for (Tensor t : tensors) {
            t.close();
        }
    }
}
