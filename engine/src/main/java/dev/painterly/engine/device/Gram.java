package dev.painterly.engine.device;

import dev.painterly.engine.Tensor;

/** The Gram matrix of a feature map and its gradient. Kernels: {@code gram.cl}. */
public interface Gram {

    /** out[i,j] = scale * sum_p f[i,p] f[j,p] for f of shape C x H x W; out has shape 1 x C x C. */
    void gram(Tensor f, double scale, Tensor out);

    /** gradF[i,p] = scale * sum_j (gradGram[i,j] + gradGram[j,i]) f[j,p]. */
    void gramBackward(Tensor f, Tensor gradGram, double scale, Tensor gradF);
}
