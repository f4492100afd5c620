package org.myelin.network;

import org.myelin.kernel.KernelOps;
import org.myelin.kernel.Parallel;
import java.util.Arrays;

/**
 * Dense delayed synapses: full post × pre matrices of weights and delays, computed as the
 * convolution of each pair's expanded tap kernel W_ij[n] = w_ij·k_ij[n] (the formulation of the
 * paper's PyTorch code). Every pair costs Td+1 taps whatever the delay mode: this is the
 * reference point the sparse {@link CsrSynapses} is measured against.
 *
 * <p>Layouts: {@code w}, {@code d}: index i*pre + j. Expanded kernels {@code wk}: post rows of
 * (j, n) with n innermost ({@code (i*pre + j)*taps + n}), so a block of 4 post rows shares one
 * list of shifted source rows — a register-blocked matrix product. {@code wkT} is the pre-major
 * transpose ({@code (j*post + i)*taps + n}) used for the input gradient.
 */
public final class DenseSynapses extends SynapseLayer {
    private final float[] w;
    private final float[] d;

    private DelayMode mode;
    private float[] wk = new float[0];
    private float[] wkT = new float[0];
    private float[] k = new float[0];
    private float[] dk = new float[0];
    private float[] gwk = new float[0];
    private int[] fOff = new int[0];
    private int[] bOff = new int[0];

    /**
     * @param w effective weights post × pre (copied); zeros are simply zero weights
     * @param d delay positions post × pre (copied), each in [0, Td]
     */
    public DenseSynapses(int pre, int post, int maxDelay, float[] w, float[] d) {
        super(pre, post, maxDelay);
        if (w.length != post * pre) throw new IllegalArgumentException("weights: expected " + post + "×" + pre + " = " + post * pre + " values, got " + w.length);
        if (d.length != post * pre) throw new IllegalArgumentException("delays: expected " + post + "×" + pre + " = " + post * pre + " values, got " + d.length);
        for (int q = 0; q < w.length; q++) {
            checkWeight(w[q], "weight (" + q / pre + ", " + q % pre + ")");
            checkDelay(d[q], maxDelay, "delay (" + q / pre + ", " + q % pre + ")");
        }
        this.w = w.clone();
        this.d = d.clone();
    }

    @Override
    public int size() {
        return post * pre;
    }

    /** Weights (live), post × pre. */
    public float[] weights() { return w; }
    /** Delays (live), post × pre. */
    public float[] delays() { return d; }

    @Override
    void prepare(Parallel par, DelayMode mode, float sigma, int lanes, int steps) {
        this.mode = mode;
        this.lanes = lanes;
        this.steps = steps;
        int taps = taps();
        int n = post * pre * taps;
        if (wk.length != n) {
            wk = new float[n]; wkT = new float[n]; k = new float[n]; dk = new float[n]; gwk = new float[n];
        }
        if (fOff.length != pre * taps) fOff = new int[pre * taps];
        if (bOff.length != post * taps) bOff = new int[post * taps];
        int stride = (maxDelay + steps) * lanes;
        // the kernels of every pair (Td + 1 exponentials each in gauss mode), split over the team
        par.range(post, 1, (lo, hi) -> {
            double[] scratch = new double[taps]; // once per chunk, not per pair
            for (int i = lo; i < hi; i++) {
                for (int j = 0; j < pre; j++) {
                    int q = i * pre + j;
                    DelayKernels.fill(mode, d[q], sigma, maxDelay, k, dk, q * taps, scratch);
                    for (int t = 0; t < taps; t++) {
                        float v = w[q] * k[q * taps + t];
                        wk[q * taps + t] = v;
                        wkT[(j * post + i) * taps + t] = v;
                    }
                }
            }
        });
        for (int j = 0; j < pre; j++) for (int t = 0; t < taps; t++) fOff[j * taps + t] = j * stride + (maxDelay - t) * lanes;
        for (int i = 0; i < post; i++) for (int t = 0; t < taps; t++) bOff[i * taps + t] = i * stride + t * lanes;
    }

    @Override
    void forward(KernelOps ops, Parallel par, float[] src, float[] dst) {
        int cnt = pre * taps();
        gatherRows(ops, par, post, cnt, steps * lanes, wk, 0, src, fOff, 0, dst);
    }

    @Override
    void backwardInputRows(KernelOps ops, int j0, int j1, float[] dOut, float[] dIn, int dInOff) {
        int len = steps * lanes;
        int cnt = post * taps();
        ops.gather(j1 - j0, cnt, 0, len, wkT, j0 * cnt, cnt, dOut, bOff, 0, dIn, dInOff, len, false);
    }


    @Override
    void backwardParams(KernelOps ops, Parallel par, float[] dOut, float[] src, float[] gw, float[] gd) {
        int len = steps * lanes;
        int taps = taps();
        int cnt = pre * taps;
        int stride = (maxDelay + steps) * lanes;
        Arrays.fill(gwk, 0f);
        // chunks of whole 5-row blocks, correlate's widest register block (a 4-row chunk boundary
        // would leave rows to its single-row path)
        par.range(post, 5, (lo, hi) -> ops.correlate(hi - lo, cnt, len, dOut, lo * stride, stride, src, fOff, 0, gwk, lo * cnt, cnt));
        // each pair's taps reduced to dL/dw and dL/dd, split over the team (one pair, one owner)
        par.range(post * pre, 64, (lo, hi) -> {
            for (int q = lo; q < hi; q++) {
                double a = 0, b = 0;
                for (int t = 0; t < taps; t++) {
                    a += (double) gwk[q * taps + t] * k[q * taps + t];
                    b += (double) gwk[q * taps + t] * dk[q * taps + t];
                }
                gw[q] = (float) a;
                if (gd != null) gd[q] = mode == DelayMode.INT ? 0f : (float) (b * w[q]);
            }
        });
    }

    @Override
    void denseWeightGradient(KernelOps ops, Parallel par, float[] dOut, float[] src, float[] out) {
        backwardParams(ops, par, dOut, src, out, null);
    }

    @Override
    float pairDelay(int q) {
        return d[q];
    }

    @Override
    public float[] denseWeights() {
        return w.clone();
    }

    @Override
    public float[] denseDelays() {
        return d.clone();
    }
}
