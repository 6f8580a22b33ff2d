package dev.painterly.engine.device;

import dev.painterly.engine.Tensor;

/**
 * 3x3 convolution, stride 1, zero padding 1, and its gradients. Weights are a vector laid out
 * [out][in][3][3] (PyTorch's order), biases a vector [out]. Each convolution of VGG is followed by
 * a ReLU, which runs inside it ({@link #conv3x3Relu}, {@link #conv3x3ReluBackwardInput}) so that
 * neither way makes a pass of its own over the map. Kernels: {@code convolution.cl} and
 * {@code convolution_winograd.cl}.
 */
public interface Convolution {

    /** out[o,y,x] = bias[o] + sum_{i,dy,dx} w[o,i,dy,dx] * in[i, y+dy-1, x+dx-1]; bias may be null. */
    void conv3x3(Tensor input, Tensor weight, Tensor bias, Tensor output);

    /** out = max(0, conv3x3(input, weight, bias)): the convolution and the ReLU after it. */
    void conv3x3Relu(Tensor input, Tensor weight, Tensor bias, Tensor output);

    /** gradIn[i,y,x] = sum_{o,dy,dx} w[o,i,dy,dx] * gradOut[o, y-dy+1, x-dx+1]. */
    void conv3x3BackwardInput(Tensor gradOutput, Tensor weight, Tensor gradInput);

    /**
     * The gradient to the input of {@link #conv3x3Relu}, given its output y: conv3x3BackwardInput
     * of gradOut where y &gt; 0 and of 0 elsewhere (the ReLU's gradient).
     */
    void conv3x3ReluBackwardInput(Tensor gradOutput, Tensor reluOutput, Tensor weight, Tensor gradInput);

    /**
     * gradW[o,i,dy,dx] = sum_{y,x} gradOut[o,y,x] * in[i, y+dy-1, x+dx-1];
     * gradBias[o] = sum_{y,x} gradOut[o,y,x] (skipped when gradBias is null).
     */
    void conv3x3BackwardWeight(Tensor input, Tensor gradOutput, Tensor gradWeight, Tensor gradBias);
}
