/**
 * Benchmarks of the kernels, one class per op family ({@code GramBenchmark}, ...), each variant
 * of each op first checked against the Java reference and then timed, reporting GFLOP/s or GB/s
 * and the fraction of the device's measured peak. {@link dev.painterly.bench.VariantTiming} does
 * the checking and timing for the JMH suite and for {@code painterly bench kernels} alike. Run the
 * suite from the repository root with
 * {@code mvn -B -q -DskipTests -pl bench -am package && java -jar bench/target/benchmarks.jar}
 * (see bench/README.md).
 */
package dev.painterly.bench;
