package dev.painterly.engine.opencl;

import org.jocl.cl_mem;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Weights rearranged for a kernel (packed for conv3x3_tiled, or Winograd-transformed), made once
 * per weight tensor and layout, and reused while the weights cannot have changed. Network weights
 * are constants during a job, so each layer's weights are rearranged once instead of on every
 * call.
 *
 * <p>What keeps an entry from going stale: it is keyed on the identity of the tensor's memory
 * handle (the {@code cl_mem} object a tensor holds for its whole life; not on
 * {@code cl_mem.equals}, which compares native addresses), and {@link OpenClDevice} drops it
 * whenever that memory may change or pass to another tensor: when it is released
 * ({@code Tensor.close}, after which the device may hand the same buffer to a new tensor),
 * written from the host, or passed to a kernel argument that is not a {@code const} pointer.
 * Every write to device memory takes one of those paths. Not thread-safe: the device calls it
 * under its own lock.
 */
final class PackedWeights {

    private final Map<cl_mem, Map<String, cl_mem>> entries = new IdentityHashMap<>();
    private final OpenClDevice device;

    PackedWeights(OpenClDevice device) {
        this.device = device;
    }

    /** The rearrangement of {@code source} named {@code layout}, made by {@code make} if absent. */
    cl_mem get(cl_mem source, String layout, Supplier<cl_mem> make) {
        Map<String, cl_mem> layouts = entries.get(source);
        cl_mem packed = layouts == null ? null : layouts.get(layout);
        if (packed == null) {
            packed = make.get();
            entries.computeIfAbsent(source, s -> new HashMap<>()).put(layout, packed);
        }
        return packed;
    }

    /** Drops (and releases) everything made from {@code source}. */
    void invalidate(cl_mem source) {
        if (entries.isEmpty()) {
            return;
        }
        Map<String, cl_mem> layouts = entries.remove(source);
        if (layouts != null) {
            layouts.values().forEach(device::releaseScratch);
        }
    }

    /** Rearrangements held, over all sources and layouts. */
    int size() {
        return entries.values().stream().mapToInt(Map::size).sum();
    }
}
