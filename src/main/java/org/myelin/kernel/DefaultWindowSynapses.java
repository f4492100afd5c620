package org.myelin.kernel;

/** The scalar {@link WindowSynapses}: each hidden neuron pulls its synapses' delayed inputs in turn. */
final class DefaultWindowSynapses extends WindowSynapses {
    private final int[] off;

    DefaultWindowSynapses(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w) {
        super(inputs, hidden, maxDelay, ptr, pre, delay, w);
        this.off = offsets();
    }

    @Override
    void accumulateChecked(float[] hist, int slot, float[] in) {
        pull(hist, slot, in, 0, nH, off);
    }

    @Override
    public String describe() {
        return "scalar pull, " + size() + " synapses";
    }
}
