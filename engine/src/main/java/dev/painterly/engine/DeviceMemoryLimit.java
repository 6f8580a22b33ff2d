package dev.painterly.engine;

/**
 * An optional cap on the tensor memory a device may hold at once, set by the system property
 * {@value #PROPERTY} (MiB). An allocation that would go past it fails with
 * {@link DeviceOutOfMemoryException} exactly as a full device does, so the out-of-memory path can be
 * reached (and tested) on any machine, and painterly can be kept to a share of a GPU used by others.
 */
public final class DeviceMemoryLimit {

    public static final String PROPERTY = "painterly.deviceMemoryLimitMiB";

    private DeviceMemoryLimit() {
    }

    /** Throws when allocating {@code bytes} more would take the device past the limit, if one is set. */
    public static void check(MemoryLedger ledger, long bytes, String deviceName) {
        String limit = System.getProperty(PROPERTY);
        if (limit == null || limit.isBlank()) {
            return;
        }
        long limitBytes = Long.parseLong(limit.trim()) << 20;
        if (ledger.snapshot().liveBytes() + bytes > limitBytes) {
            throw new DeviceOutOfMemoryException("the device " + deviceName + " ran out of memory allocating "
                    + (bytes >> 20) + " MiB (limited to " + limit.trim() + " MiB by -D" + PROPERTY + "): try a smaller --size",
                    null);
        }
    }
}
