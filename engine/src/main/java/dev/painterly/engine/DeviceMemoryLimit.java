package dev.painterly.engine;

import java.util.OptionalLong;

/**
 * An optional cap on the tensor memory a device may hold at once, set by the test hook
 * {@link TestHooks#DEVICE_MEMORY_LIMIT_MIB}. An allocation that would go past it fails with
 * {@link DeviceOutOfMemoryException} exactly as a full device does, so the out-of-memory path can be
 * reached (and tested) on any machine, and painterly can be kept to a share of a GPU used by others.
 */
public final class DeviceMemoryLimit {

    private DeviceMemoryLimit() {
    }

    /** Throws when allocating {@code bytes} more would take the device past the limit, if one is set. */
    public static void check(MemoryLedger ledger, long bytes, String deviceName) {
        OptionalLong limit = TestHooks.deviceMemoryLimitMiB();
        if (limit.isEmpty()) {
            return;
        }
        if (ledger.snapshot().liveBytes() + bytes > limit.getAsLong() << 20) {
            throw new DeviceOutOfMemoryException("the device " + deviceName + " ran out of memory allocating "
                    + (bytes >> 20) + " MiB (limited to " + limit.getAsLong() + " MiB by -D"
                    + TestHooks.DEVICE_MEMORY_LIMIT_MIB + "): try a smaller --size",
                    null);
        }
    }
}
