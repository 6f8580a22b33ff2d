package dev.painterly.engine;

/** One device a user can choose: an OpenCL device, or the Java reference. */
public record DeviceInfo(
        int index,
        String platform,
        String name,
        String type,
        long globalMemoryBytes,
        int computeUnits) {

    public boolean isGpu() {
        return type.contains("GPU");
    }

    public boolean isCpu() {
        return type.contains("CPU");
    }

    /** What a user types to pick it: the index, or a substring of this. */
    public String label() {
        return platform + " / " + name;
    }
}
