package dev.painterly.engine;

/** A snapshot of a device's allocations and host transfers since it was opened. */
public record DeviceStats(
        long liveAllocations,
        long liveBytes,
        long peakBytes,
        long totalAllocations,
        long uploads,
        long downloads,
        long bytesUploaded,
        long bytesDownloaded) {
}
