package dev.painterly.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JMH classes and the family descriptions that painterly bench kernels runs say the same: one
 * {@code @Benchmark} method per op, the same sizes, and every variant of an op among the JMH
 * variants (JMH's annotations must be constants, so the two are written twice).
 */
class KernelFamilyTest {

    private static final List<Class<? extends VariantBenchmark>> CLASSES = List.of(ElementwiseBenchmark.class,
            ReductionsBenchmark.class, CombinationBenchmark.class, HistogramBenchmark.class,
            GatherBenchmark.class, ConvolutionBenchmark.class,
            PoolingBenchmark.class, GramBenchmark.class, MatchingBenchmark.class, PostProcessBenchmark.class);

    private static List<String> params(Class<?> c, String field) {
        try {
            return List.of(c.getField(field).getAnnotation(Param.class).value());
        } catch (NoSuchFieldException e) {
            return List.of(KernelFamily.PLAIN);
        }
    }

    @Test
    void everyFamilyHasItsJmhClassAndTheySayTheSame() throws ReflectiveOperationException {
        assertEquals(CLASSES.size(), KernelFamily.all().size());
        for (Class<? extends VariantBenchmark> c : CLASSES) {
            KernelFamily family = c.getConstructor().newInstance().family();
            assertEquals(family.sizes(), params(c, "size"), c.getSimpleName());
            Set<String> methods = Arrays.stream(c.getMethods()).filter(m -> m.isAnnotationPresent(Benchmark.class))
                    .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
            Set<String> ops = family.ops().stream().map(KernelOp::name).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(ops, methods, c.getSimpleName());
            List<String> variants = params(c, "variant");
            for (KernelOp op : family.ops()) {
                assertTrue(variants.containsAll(op.variants()), c.getSimpleName() + "." + op.name());
                assertEquals(variants.get(0), op.variants().get(0), "plain first: " + c.getSimpleName() + "." + op.name());
            }
        }
    }
}
