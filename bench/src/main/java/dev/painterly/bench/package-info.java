/** JMH benchmarks. */
package dev.painterly.bench;
