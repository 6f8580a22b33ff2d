package dev.painterly.engine;

import dev.painterly.engine.device.Combination;
import dev.painterly.engine.device.Gather;
import dev.painterly.engine.device.Histogram;
import dev.painterly.engine.device.Convolution;
import dev.painterly.engine.device.Elementwise;
import dev.painterly.engine.device.Gram;
import dev.painterly.engine.device.Matching;
import dev.painterly.engine.device.Pooling;
import dev.painterly.engine.device.PostProcess;
import dev.painterly.engine.device.Reductions;

/**
 * Where tensors live and ops run: an OpenCL device, or the plain-Java reference. This interface
 * holds memory and lifecycle; the ops come in families, each behind an accessor named by the
 * family ({@code device.gram().gram(f, scale, out)}), each family's maths in the javadoc of its
 * interface in {@link dev.painterly.engine.device}.
 *
 * <p>Every op writes its whole output (no op reads what its output held before, except
 * {@link Elementwise#axpy}); outputs are allocated by the caller, distinct from the inputs unless
 * the op is marked {@link dev.painterly.engine.device.InPlace}. Shapes are checked by the caller
 * ({@link Check}) before an op is called. Scalar reductions return a double to the host.
 *
 * <p>Conventions: feature maps are C x H x W. Masks are 1 x H x W and are broadcast over
 * channels. Host scalars (fill values, scale factors) are doubles: float32 devices round them,
 * the exact reference keeps them.
 */
public interface Device extends AutoCloseable {

    /** A short human-readable name, e.g. "pthread-skylake-avx512 (Portable Computing Language)". */
    String name();

    /** Allocates an uninitialised tensor. */
    Tensor allocate(Shape shape);

    /** Allocates a tensor and copies {@code data} (length = shape size) into it: one upload. */
    Tensor upload(Shape shape, float[] data);

    /** Overwrites an existing tensor with host data (length = tensor size): one upload. */
    void write(Tensor t, float[] data);

    /** Copies a tensor to the host: one download. */
    float[] download(Tensor t);

    /** Called by {@link Tensor#close()}; releases the device memory at once. */
    void release(Object memory, int floats);

    /** Sets every element of t to value. */
    void fill(Tensor t, double value);

    /** dst = src (same size). */
    void copy(Tensor src, Tensor dst);

    /**
     * Row {@code row} of {@code rows} = x. A matrix of rows of n floats is any tensor of at least
     * count * n elements, row r being its elements [r n, (r + 1) n): one tensor holding many
     * vectors lets one kernel read them all ({@link Reductions#dots}, {@link Combination}).
     */
    void copyToRow(Tensor x, Tensor rows, int row);

    DeviceStats stats();

    /** Waits until every queued operation has finished (a no-op on synchronous devices). */
    void finish();

    @Override
    void close();

    // ---- the op families ------------------------------------------------------------------------

    Elementwise elementwise();

    Reductions reductions();

    Combination combination();

    Histogram histogram();

    Gather gather();

    Convolution convolution();

    Pooling pooling();

    Gram gram();

    Matching matching();

    PostProcess postProcess();
}
