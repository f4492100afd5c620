package org.myelin.network;

import java.util.ArrayList;
import java.util.List;

/**
 * Gradients of the mean loss with respect to every parameter, filled by {@link Network#backward}:
 * per synapse layer s = 0 … L ({@link #synapses(int)}; s = L is the readout) and per hidden layer
 * k = 0 … L − 1 (batch norm). Per-parameter arrays follow the layers' own order (per synapse in
 * CSR order for {@link CsrSynapses}, per pair i*pre + j for {@link DenseSynapses}).
 */
public final class Gradients {
    /** The gradients of one synapse layer. */
    public static final class Layer {
        /** dL/dw and dL/d(delay) per parameter of the layer. */
        public final float[] w, d;
        /** dL/dw for every (post, pre) pair, present or not (post × pre), or null when not requested. */
        public final float[] wDense;

        Layer(SynapseLayer l, boolean dense) {
            this.w = new float[l.size()];
            this.d = new float[l.size()];
            this.wDense = dense ? new float[l.post * l.pre] : null;
        }
    }

    private final List<Layer> synapses = new ArrayList<>();
    private final List<float[]> bnGamma = new ArrayList<>(), bnBeta = new ArrayList<>();

    /** Gradient buffers for a network; dense buffers only when {@code dense} is true. */
    public Gradients(Network net, boolean dense) {
        int L = net.config().depth();
        for (int s = 0; s <= L; s++) synapses.add(new Layer(net.synapses(s), dense));
        for (int k = 0; k < L; k++) {
            bnGamma.add(new float[net.hidden(k).size()]);
            bnBeta.add(new float[net.hidden(k).size()]);
        }
    }

    /** L, the number of hidden layers these gradients are for. */
    public int depth() {
        return bnGamma.size();
    }

    /** Synapse layer s, 0 ≤ s ≤ L (s = L: the readout). */
    public Layer synapses(int s) {
        return synapses.get(s);
    }

    /** The readout synapses' gradients. */
    public Layer readout() {
        return synapses.get(depth());
    }

    /** dL/dγ of hidden layer k's batch norm (zeros when batch norm is off). */
    public float[] bnGamma(int k) {
        return bnGamma.get(k);
    }

    /** dL/dβ of hidden layer k's batch norm. */
    public float[] bnBeta(int k) {
        return bnBeta.get(k);
    }
}
