package dev.painterly.bench;

import dev.painterly.engine.opencl.OpenClDevice;

import java.util.List;

/**
 * One op of a family as the benchmarks see it: its name, the variants of its kernels (the plain
 * one first, the one that mirrors the definition), and how to set up a trial of one of them at a
 * size.
 */
record KernelOp(String name, List<String> variants, Setup setup) {

    /** Sets up a trial: inputs made and uploaded, the reference's result computed or kept. */
    @FunctionalInterface
    interface Setup {
        VariantTrial trial(OpenClDevice cl, String variant, String size);
    }

    /** An op with a single kernel, the plain one. */
    static KernelOp plain(String name, Setup setup) {
        return new KernelOp(name, List.of(KernelFamily.PLAIN), setup);
    }

    boolean isPlain(String variant) {
        return variants.get(0).equals(variant);
    }

    /** The trial of {@code variant} at {@code size}; an IllegalArgumentException names the variants if it is none of them. */
    VariantTrial trial(OpenClDevice cl, String variant, String size) {
        if (!variants.contains(variant)) {
            throw new IllegalArgumentException(name + " has no variant " + variant + "; its variants: " + variants);
        }
        return setup.trial(cl, variant, size);
    }
}
