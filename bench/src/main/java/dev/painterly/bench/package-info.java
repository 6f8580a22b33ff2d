/**
 * JMH benchmarks of the kernels, one class per family, each reporting GFLOP/s or GB/s and the
 * fraction of the device's measured peak. Run the suite from the repository root with
 * {@code mvn -B -q -DskipTests -pl bench -am package && java -jar bench/target/benchmarks.jar}
 * (see bench/README.md).
 */
package dev.painterly.bench;
