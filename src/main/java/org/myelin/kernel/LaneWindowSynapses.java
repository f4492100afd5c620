package org.myelin.kernel;

/**
 * A {@link WindowSynapses} with every hidden neuron in {@link Lanes}: what the Vector API
 * implementations run where vector cells do not apply (a width below 512 bits, a delay line longer
 * than two registers, or a layer too sparse for any cell block). Plain Java; the same bits as the
 * scalar reference ({@link DefaultWindowSynapses}), which stays the plain pull.
 */
final class LaneWindowSynapses extends WindowSynapses {
    private final Lanes lanes;

    LaneWindowSynapses(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w) {
        super(inputs, hidden, maxDelay, ptr, pre, delay, w);
        int[] all = new int[nH];
        for (int h = 0; h < nH; h++) all[h] = h;
        lanes = new Lanes(this, offsets(), all);
    }

    @Override
    void accumulateChecked(float[] hist, int slot, float[] in) {
        lanes.accumulate(hist, slot, in);
    }

    @Override
    public String describe() {
        return "scalar lanes: " + lanes.describe();
    }
}
