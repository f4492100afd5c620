package org.myelin.network;

/**
 * Gradients of the mean loss with respect to every parameter, filled by
 * {@link Network#backward}. Per-parameter arrays follow the layers' own order (per synapse
 * in CSR order for {@link CsrSynapses}, per pair i*pre + j for {@link DenseSynapses}).
 */
public final class Gradients {
    public final float[] w1, d1, w2, d2;
    public final float[] bnGamma, bnBeta;
    /** dL/dw for every (post, pre) pair, present or not (post × pre), or null when not requested. */
    public final float[] w1Dense, w2Dense;

    /** Gradient buffers for a network; dense buffers only when {@code dense} is true. */
    public Gradients(Network net, boolean dense) {
        NetConfig c = net.config();
        this.w1 = new float[net.layer1().size()];
        this.d1 = new float[net.layer1().size()];
        this.w2 = new float[net.layer2().size()];
        this.d2 = new float[net.layer2().size()];
        this.bnGamma = new float[c.hidden];
        this.bnBeta = new float[c.hidden];
        this.w1Dense = dense ? new float[c.hidden * c.inputs] : null;
        this.w2Dense = dense ? new float[c.outputs * c.hidden] : null;
    }
}
