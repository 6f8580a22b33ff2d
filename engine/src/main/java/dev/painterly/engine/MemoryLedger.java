package dev.painterly.engine;

/**
 * Counts a device's allocations and host transfers, so that tests can prove that memory does not
 * grow and that transfers happen only where the code says so.
 */
public final class MemoryLedger {

    private long liveAllocations;
    private long liveBytes;
    private long peakBytes;
    private long totalAllocations;
    private long uploads;
    private long downloads;
    private long bytesUploaded;
    private long bytesDownloaded;

    public synchronized void allocated(long bytes) {
        liveAllocations++;
        totalAllocations++;
        liveBytes += bytes;
        peakBytes = Math.max(peakBytes, liveBytes);
    }

    public synchronized void released(long bytes) {
        liveAllocations--;
        liveBytes -= bytes;
    }

    public synchronized void uploaded(long bytes) {
        uploads++;
        bytesUploaded += bytes;
    }

    public synchronized void downloaded(long bytes) {
        downloads++;
        bytesDownloaded += bytes;
    }

    public synchronized DeviceStats snapshot() {
        return new DeviceStats(liveAllocations, liveBytes, peakBytes, totalAllocations,
                uploads, downloads, bytesUploaded, bytesDownloaded);
    }
}
