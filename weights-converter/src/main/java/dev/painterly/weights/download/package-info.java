/** Fetches VGG-19 weights over HTTP and converts them while they stream in. */
package dev.painterly.weights.download;
