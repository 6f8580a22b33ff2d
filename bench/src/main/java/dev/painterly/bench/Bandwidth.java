package dev.painterly.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH counters of a memory-bound benchmark, as {@link Flops}: {@code gbps} shows GB/s (the bytes
 * an op must read and write at least once, per second) and {@code copyFraction} the fraction of
 * the device's measured copy bandwidth ({@link BenchDevice#copyGbps()}); both printed with JMH's
 * unit "ops/s".
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Bandwidth {

    public double gbps;
    public double copyFraction;

    @Setup(Level.Iteration)
    public void reset() {
        gbps = 0;
        copyFraction = 0;
    }

    void add(double gigabytes) {
        gbps += gigabytes;
        copyFraction += gigabytes / BenchDevice.copyGbps();
    }
}
