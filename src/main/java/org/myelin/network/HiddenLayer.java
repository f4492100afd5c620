package org.myelin.network;

/**
 * One hidden layer of a {@link Network}: the delayed synapses that feed it (from the input or the
 * layer before), its batch-norm parameters, and — owned by the network, sized for the last batch —
 * the activation and gradient rows of a training step. The parameter arrays are live (the
 * optimiser updates them in place); batch-norm arrays are null when batch norm is off.
 *
 * <p>Rows follow the network's layout ({@code [n][t][b]}): {@code in} holds the synaptic input I
 * (N × T·B); {@code outPad} the layer's output S·mask, padded by Td·B zeros in front of each row
 * (N × (T + Td)·B, the next synapse layer's source); {@code dInPad} dL/dI, padded by Td·B zeros
 * behind each row (this layer's synapses' output gradient).
 */
public final class HiddenLayer {
    /** The synapses into this layer: {@code synapses.post} is its width. */
    public final SynapseLayer synapses;
    final float[] gamma, beta, runMean, runVar;

    // workspace of the owning network, sized by Network.ensure
    float[] in, outPad, dInPad, mask;
    float[] mean, invStd, bnScale, bnShift;
    double[] bnSums;

    /**
     * @param synapses     the synapses into the layer
     * @param gamma        batch-norm scale per neuron (live; null when batch norm is off)
     * @param beta         batch-norm shift (live; null when off)
     * @param runningMean  running mean (live; null when off)
     * @param runningVar   running variance (live; null when off)
     */
    public HiddenLayer(SynapseLayer synapses, float[] gamma, float[] beta, float[] runningMean, float[] runningVar) {
        this.synapses = synapses;
        this.gamma = gamma;
        this.beta = beta;
        this.runMean = runningMean;
        this.runVar = runningVar;
    }

    /** Number of neurons. */
    public int size() {
        return synapses.post;
    }
}
