/** The harmonization algorithm of ALGORITHM.md (both passes and post-processing), built on the engine. */
package dev.painterly.harmonizer;
