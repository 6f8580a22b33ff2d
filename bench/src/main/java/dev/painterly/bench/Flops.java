package dev.painterly.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH counters of a compute-bound benchmark. JMH reports an OPERATIONS counter divided by the
 * iteration's time, so with seconds as the output unit {@code gflops} shows GFLOP/s and
 * {@code peakFraction} (GFLOP over the device's peak GFLOP/s) the fraction of the measured peak
 * (both printed with JMH's unit "ops/s").
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Flops {

    public double gflops;
    public double peakFraction;

    @Setup(Level.Iteration)
    public void reset() {
        gflops = 0;
        peakFraction = 0;
    }

    void add(double gigaflop) {
        gflops += gigaflop;
        peakFraction += gigaflop / BenchDevice.peakGflops();
    }
}
