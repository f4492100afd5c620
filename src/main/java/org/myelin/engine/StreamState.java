package org.myelin.engine;

import java.util.Arrays;

/**
 * The mutable state of one input stream running through a {@link CompiledNetwork}: hidden
 * membranes and last spikes, readout membranes, the running scores, the input history of the
 * last Td + 1 frames (stored twice, so that step t − d is never a wrap-around) from which the
 * analog input layer pulls, and a ring buffer holding the output-layer currents still in flight.
 *
 * <p>Ring layout, one ring per spike-fed layer ({@code rings[k]}: hidden layer k + 2, the last the
 * readout): {@code rings[k][slot·N + i]}, 2R slots (R = Td + 1) of the layer's N neurons. A spike
 * at step t on a synapse with delay d adds to slot (t mod R) + d, which never wraps; at the start
 * of each cycle (t mod R = 0) slots R..2R−1 move to 0..R−1 and are cleared. Read at step t: slot
 * t mod R. Hidden layers 2 … L also keep membranes, spikes and the list of neurons that fired.
 *
 * <p>Not thread-safe: one thread owns a stream. Any number of streams may share one network.
 * Memory: about (Td + 1)·2·(N_in + N_2 + … + N_L + N_out) + 4·(N_1 + … + N_L) + 3·N_out values.
 *
 * <p>Every method that changes the state checks its arguments first; when it throws, the state is
 * exactly as it was.
 */
public final class StreamState {
    final CompiledNetwork net;
    /** Input history of the last R = Td + 1 frames, in the layout of {@link org.myelin.kernel.WindowSynapses}. */
    final float[] hist;
    /** Hidden input currents of the current step (scratch). */
    final float[] in;
    final float[] u, spike, v, score;
    final int[] fired;
    final double[] exp;
    /** Per spike-fed layer k (hidden layer k + 2, the last the readout): its ring of 2R·N slots. */
    final float[][] rings;
    /** Per spike-fed hidden layer k (hidden layer k + 2): input scratch, membranes, spikes, who fired. */
    final float[][] inS, uS, spikeS;
    final int[][] firedS;
    final int[] nFiredS;
    int slot, nFired;
    long t;
    /**
     * The kernels this stream runs, once fixed: null while it follows its network's (with a
     * background warm-up, the scalar ones until the vector ones are ready: {@link Warmup}).
     */
    Warmup.Kernels kernels;

    StreamState(CompiledNetwork net) {
        this.net = net;
        int nH = net.hidden(), nOut = net.outputs(), R = net.slots();
        hist = new float[net.window().historyLength()];
        in = new float[net.window().accumulatorLength()];
        int L = net.depth();
        rings = new float[L][];
        inS = new float[L - 1][];
        uS = new float[L - 1][];
        spikeS = new float[L - 1][];
        firedS = new int[L - 1][];
        nFiredS = new int[L - 1];
        for (int k = 0; k < L; k++) {
            int n = k + 1 < L ? net.hidden(k + 1) : nOut;
            rings[k] = new float[2 * R * n];
            if (k + 1 < L) {
                inS[k] = new float[n];
                uS[k] = new float[n];
                spikeS[k] = new float[n];
                firedS[k] = new int[n];
            }
        }
        u = new float[nH];
        spike = new float[nH];
        fired = new int[nH];
        v = new float[nOut];
        score = new float[nOut];
        exp = new double[nOut];
    }

    /** The network this stream runs on. */
    public CompiledNetwork network() {
        return net;
    }

    /**
     * Advances this stream by one time step. Allocates nothing.
     *
     * @param frame the N_in input values of this step (analog; each non-zero channel is an event)
     * @param out receives the N_out running scores (the logits so far), or null
     * @throws IllegalArgumentException when a length is wrong or a value is NaN or infinite; the
     *         state is then unchanged
     */
    public void step(float[] frame, float[] out) {
        int nIn = net.inputs();
        if (frame.length != nIn) throw new IllegalArgumentException("frame: expected N_in = " + nIn + " values, got " + frame.length);
        if (out != null && out.length != net.outputs()) {
            throw new IllegalArgumentException("scores: expected N_out = " + net.outputs() + " values, got " + out.length);
        }
        CompiledNetwork.checkFrame(frame, 0, nIn);
        net.advance(this, frame, 0, out, 0);
    }

    /**
     * Runs a whole utterance (T' × N_in frames, frame-major) from a reset state and returns the
     * predicted class; {@code out} (N_out, or null) receives the final scores. Allocates nothing.
     * The frames are all checked before anything changes.
     */
    public int run(float[] frames, float[] out) {
        int nIn = net.inputs();
        if (frames.length == 0 || frames.length % nIn != 0) {
            throw new IllegalArgumentException("utterance: expected a multiple of N_in = " + nIn + " values, got " + frames.length);
        }
        if (out != null && out.length != net.outputs()) {
            throw new IllegalArgumentException("scores: expected N_out = " + net.outputs() + " values, got " + out.length);
        }
        CompiledNetwork.checkFrame(frames, 0, frames.length);
        reset();
        for (int off = 0; off < frames.length; off += nIn) net.advance(this, frames, off, null, 0);
        if (out != null) System.arraycopy(score, 0, out, 0, score.length);
        return predict();
    }

    /** Back to step 0: membranes, spikes, rings and scores zero. */
    public void reset() {
        Arrays.fill(hist, 0f);
        for (float[] r : rings) Arrays.fill(r, 0f);
        for (int k = 0; k < uS.length; k++) {
            Arrays.fill(uS[k], 0f);
            Arrays.fill(spikeS[k], 0f);
            nFiredS[k] = 0;
        }
        Arrays.fill(u, 0f);
        Arrays.fill(spike, 0f);
        Arrays.fill(v, 0f);
        Arrays.fill(score, 0f);
        slot = 0;
        nFired = 0;
        t = 0;
    }

    /** Steps taken since creation or the last reset. */
    public long steps() {
        return t;
    }

    /** Copies the running scores (N_out) into {@code dst}. */
    public void scores(float[] dst) {
        if (dst.length != score.length) throw new IllegalArgumentException("scores: expected " + score.length + " values, got " + dst.length);
        System.arraycopy(score, 0, dst, 0, score.length);
    }

    /** The class with the largest running score (first on ties). */
    public int predict() {
        return CompiledNetwork.argmax(score);
    }

    /** Membrane u of hidden neuron h after the last step. */
    public float membrane(int h) {
        return u[h];
    }

    /** Whether hidden neuron h spiked in the last step. */
    public boolean spiked(int h) {
        return spike[h] != 0f;
    }

    /** Number of hidden neurons that spiked in the last step. */
    public int spikeCount() {
        return nFired;
    }

    /** Membrane u of neuron h of hidden layer k (0 ≤ k &lt; L) after the last step. */
    public float membrane(int k, int h) {
        return k == 0 ? u[h] : uS[k - 1][h];
    }

    /** Whether neuron h of hidden layer k spiked in the last step. */
    public boolean spiked(int k, int h) {
        return (k == 0 ? spike[h] : spikeS[k - 1][h]) != 0f;
    }

    /** Readout membrane v of class k after the last step. */
    public float readoutMembrane(int k) {
        return v[k];
    }
}
