/** The harmonization algorithm of docs/algorithm.md (both passes and post-processing), built on the engine. */
package dev.painterly.harmonizer;
