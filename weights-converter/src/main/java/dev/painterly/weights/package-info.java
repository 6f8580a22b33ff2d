/** Converts Caffe and PyTorch VGG-19 weights to our safetensors format. */
package dev.painterly.weights;
