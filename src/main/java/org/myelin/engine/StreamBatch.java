package org.myelin.engine;

import java.util.Arrays;

/**
 * A fixed pool of S streams stepped together, the streams as lanes: every per-neuron value is
 * stored S wide ({@code [neuron][lane]}), so each synapse event updates S adjacent floats in one
 * loop the JIT can vectorise. One object for many lanes, each resettable on its own. Since the
 * per-stream step gained the vector input layer ({@link org.myelin.kernel.WindowSynapses}), looping
 * over {@link StreamState}s with {@link CompiledNetwork#stepBatch} is faster on the paper's network
 * (2.8× dense, 1.1× sparse at 32 streams, BENCHMARKS.md); prefer that for throughput.
 *
 * <p>Per lane the arithmetic is exactly a {@link StreamState}'s, in the same order, so results are
 * bit-identical to stepping each stream alone. Differences in work: the input layer is dense over
 * lanes (a zero input adds zeros instead of being skipped), and a hidden neuron delivers to all
 * lanes (weighted by each lane's 0/1 spike) when any lane spiked; with sparse spiking and many lanes
 * that is more work than per-stream events but vector-wide.
 *
 * <p>Not thread-safe; allocation-free {@link #step}. Lanes can be reset one by one, so a lane can
 * be recycled for a new utterance while the others continue.
 */
public final class StreamBatch {
    private final CompiledNetwork net;
    private final int S, nIn, nH, nOut, slots;
    /** hist: the input history, [slot (2R, stored twice)][channel][lane]; acc: one hidden input per lane. */
    private final float[] hist, acc, ring2, u, spike, v, score;
    private final boolean[] any;
    private final double[] exp;
    private int slot;
    private final long[] t;

    /** S lanes on the given network, all at step 0. */
    public StreamBatch(CompiledNetwork net, int lanes) {
        if (lanes <= 0) throw new IllegalArgumentException("lanes must be positive, got " + lanes);
        this.net = net;
        this.S = lanes;
        this.nIn = net.inputs();
        this.nH = net.hidden();
        this.nOut = net.outputs();
        this.slots = net.slots();
        hist = new float[2 * slots * nIn * S];
        acc = new float[S];
        ring2 = new float[slots * nOut * S];
        u = new float[nH * S];
        spike = new float[nH * S];
        any = new boolean[nH];
        v = new float[nOut * S];
        score = new float[nOut * S];
        exp = new double[nOut];
        t = new long[S];
    }

    public int lanes() {
        return S;
    }

    /**
     * Advances every lane by one step.
     *
     * @param frames S × N_in, lane-major
     * @param out S × N_out running scores, or null
     * @throws IllegalArgumentException on a wrong length or a non-finite value (nothing changes)
     */
    public void step(float[] frames, float[] out) {
        if (frames.length != S * nIn) throw new IllegalArgumentException("frames: expected S×N_in = " + S + "×" + nIn + " = " + S * nIn + " values, got " + frames.length);
        if (out != null && out.length != S * nOut) throw new IllegalArgumentException("scores: expected S×N_out = " + S * nOut + " values, got " + out.length);
        CompiledNetwork.checkFrame(frames, 0, frames.length);
        // the frames into the input history, transposed to [channel][lane], at slots p and p + R
        int h0 = slot * nIn * S, h1 = (slot + slots) * nIn * S;
        for (int s = 0; s < S; s++) {
            for (int j = 0; j < nIn; j++) {
                float x = frames[s * nIn + j];
                hist[h0 + j * S + s] = x;
                hist[h1 + j * S + s] = x;
            }
        }
        final int[] cp1 = net.cPtr1(), ci1 = net.cIdx1(), rp2 = net.rowPtr2(), o2 = net.off2();
        final float[] cw1 = net.cW1(), w2 = net.w2(), bias = net.bias();
        final int len2 = slots * nOut;
        final int base2 = slot * nOut;
        final float bt = net.beta(), thr = net.threshold();
        for (int h = 0; h < nH; h++) {
            // I_h = Σ_j w·x_j[t − d], per lane in the same order as StreamState
            Arrays.fill(acc, 0f);
            for (int k = cp1[h], e = cp1[h + 1]; k < e; k++) {
                float w = cw1[k];
                int row = h0 + ci1[k] * S;
                for (int s = 0; s < S; s++) acc[s] += w * hist[row + s];
            }
            int ho = h * S;
            float b = bias == null ? 0f : bias[h];
            boolean fired = false;
            for (int s = 0; s < S; s++) {
                float in = acc[s];
                if (bias != null) in = in + b;
                float m = u[ho + s] * bt;
                m = m * (1f - spike[ho + s]);
                m = m + in;
                u[ho + s] = m;
                float sp = m > thr ? 1f : 0f;
                spike[ho + s] = sp;
                fired |= sp != 0f;
            }
            any[h] = fired;
        }
        for (int h = 0; h < nH; h++) {
            if (!any[h]) continue;
            int ho = h * S;
            for (int q = rp2[h], e = rp2[h + 1]; q < e; q++) {
                int c = base2 + o2[q];
                c -= len2 & ((len2 - 1 - c) >> 31);
                int ro = c * S;
                float w = w2[q];
                for (int s = 0; s < S; s++) ring2[ro + s] += w * spike[ho + s];
            }
        }
        for (int k = 0; k < nOut; k++) {
            int ro = (base2 + k) * S, ko = k * S;
            for (int s = 0; s < S; s++) {
                v[ko + s] = v[ko + s] * bt + ring2[ro + s];
                ring2[ro + s] = 0f;
            }
        }
        if (net.readout() == org.myelin.kernel.Readout.VSUM) {
            for (int q = 0; q < nOut * S; q++) score[q] += v[q];
        } else {
            for (int s = 0; s < S; s++) {
                double mx = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < nOut; k++) mx = Math.max(mx, v[k * S + s]);
                double z = 0;
                for (int k = 0; k < nOut; k++) {
                    exp[k] = Math.exp(v[k * S + s] - mx);
                    z += exp[k];
                }
                for (int k = 0; k < nOut; k++) score[k * S + s] += (float) (exp[k] / z);
            }
        }
        slot = slot + 1 == slots ? 0 : slot + 1;
        for (int s = 0; s < S; s++) t[s]++;
        if (out != null) {
            for (int s = 0; s < S; s++) {
                for (int k = 0; k < nOut; k++) out[s * nOut + k] = score[k * S + s];
            }
        }
    }

    /**
     * Resets one lane to step 0. Its pending ring entries are cleared in every slot, so the lane
     * starts clean whatever the shared slot position is.
     */
    public void reset(int lane) {
        checkLane(lane);
        for (int q = lane; q < hist.length; q += S) hist[q] = 0f;
        for (int q = lane; q < ring2.length; q += S) ring2[q] = 0f;
        for (int h = 0; h < nH; h++) {
            u[h * S + lane] = 0f;
            spike[h * S + lane] = 0f;
        }
        for (int k = 0; k < nOut; k++) {
            v[k * S + lane] = 0f;
            score[k * S + lane] = 0f;
        }
        t[lane] = 0;
    }

    /** Resets every lane. */
    public void resetAll() {
        Arrays.fill(hist, 0f);
        Arrays.fill(ring2, 0f);
        Arrays.fill(u, 0f);
        Arrays.fill(spike, 0f);
        Arrays.fill(v, 0f);
        Arrays.fill(score, 0f);
        Arrays.fill(t, 0);
        slot = 0;
    }

    /** Steps lane {@code lane} has taken since its last reset. */
    public long steps(int lane) {
        checkLane(lane);
        return t[lane];
    }

    /** Copies lane {@code lane}'s running scores into dst (N_out). */
    public void scores(int lane, float[] dst) {
        checkLane(lane);
        if (dst.length != nOut) throw new IllegalArgumentException("scores: expected " + nOut + " values, got " + dst.length);
        for (int k = 0; k < nOut; k++) dst[k] = score[k * S + lane];
    }

    /** The leading class of lane {@code lane} (first on ties). */
    public int predict(int lane) {
        checkLane(lane);
        int best = 0;
        for (int k = 1; k < nOut; k++) if (score[k * S + lane] > score[best * S + lane]) best = k;
        return best;
    }

    /** Whether hidden neuron h of lane {@code lane} spiked in the last step. */
    public boolean spiked(int lane, int h) {
        checkLane(lane);
        return spike[h * S + lane] != 0f;
    }

    private void checkLane(int lane) {
        if (lane < 0 || lane >= S) throw new IllegalArgumentException("lane " + lane + " outside [0, " + S + ")");
    }
}
