package dev.painterly.bench;

/**
 * What one run of an op does, in the unit its speed is judged by: GFLOP for compute-bound ops
 * (rates in GFLOP/s), GB for memory-bound ones (the bytes the op must read and write at least
 * once; rates in GB/s), megapixels for the post-processing (rates in Mpx/s).
 */
record Work(double amount, String unit) {

    static Work gigaflop(double flops) {
        return new Work(flops / 1e9, "GFLOP");
    }

    static Work gigabytes(double bytes) {
        return new Work(bytes / 1e9, "GB");
    }

    /** Bytes of {@code floats} float32 values, as GB. */
    static Work floats(double floats) {
        return gigabytes(4 * floats);
    }

    /** Positions of an image, as megapixels: for ops judged by neither count (post-processing). */
    static Work megapixels(double positions) {
        return new Work(positions / 1e6, "Mpx");
    }

    /** Keys sorted, in millions: for the histogram remap, a sort of each channel's values. */
    static Work keys(double count) {
        return new Work(count / 1e6, "Mkey");
    }

    /** The key of the rate in report lines: gflop_per_s, gb_per_s, ... */
    String rateKey() {
        return unit.toLowerCase() + "_per_s";
    }
}
