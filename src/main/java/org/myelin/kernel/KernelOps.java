package org.myelin.kernel;

/**
 * The primitive loops every layer is built from. Two implementations compute the same maths:
 * {@link DefaultKernelOps} (plain scalar Java, the reference) and {@code PanamaKernelOps} (the
 * Vector API). {@link KernelProvider} picks one at start-up.
 *
 * <p>Arrays are flat; every method takes explicit offsets, so rows of the activation tensors
 * (laid out neuron-major, then time, batch lane innermost: {@code [n][t][b]}) are addressed
 * without copies. Contiguous work (a row of T·B values) is what the vector path vectorises.
 * No method allocates.
 */
public interface KernelOps {
    /** Zeros stored on each side of every kernel given to {@link #convolve}. */
    int CONV_PAD = 7;

    /** A short name for logs and reports ({@code scalar} or {@code vector-512} etc.). */
    String name();

    /**
     * Gathers weighted shifted rows: for r &lt; rows and from ≤ c &lt; to,
     * {@code dst[dstOff + r*dstStride + c] = D + Σ_{k<count} coef[coefOff + r*coefStride + k] * src[srcOff[offOff + k] + c]}
     * with D = 0, or D = the value in dst when {@code add} is true.
     * Used for the forward pass of a delayed synapse layer (one output row per postsynaptic
     * neuron, one term per synapse tap) and for the input gradient. A column range [from, to) of
     * the rows is what a caller passes to split the columns over a team or to tile them; with
     * {@code add} a caller splits the entries: in the vector implementation each output is one
     * FMA chain in entry order started from D, so gathering entries 0..m then m..count with add
     * gives the same bits as one call over all of them.
     */
    void gather(int rows, int count, int from, int to,
                float[] coef, int coefOff, int coefStride,
                float[] src, int[] srcOff, int offOff,
                float[] dst, int dstOff, int dstStride, boolean add);

    /**
     * Delayed-synapse convolution of one output row over {@code count} synapses that each have all
     * {@code taps} taps: for t &lt; steps and b &lt; lanes,
     * {@code dst[dstOff + t*lanes + b] = Σ_s Σ_{n<taps} kern[kernOff + s*K + CONV_PAD + n] * src[srcRow[rowOff + s] + (taps − 1 − n + t)*lanes + b]}
     * with K = taps + 2·CONV_PAD: each synapse's kernel is stored with {@link #CONV_PAD} zeros on
     * both sides (so a blocked implementation needs no bounds tests).
     * The source rows are front-padded by (taps − 1)·lanes (the layer layout), so tap n of step t
     * reads step t − n. Equivalent to {@link #gather} over every (synapse, tap), but a vector
     * implementation can reuse each loaded source vector across several output steps.
     */
    void convolve(int count, int taps, int steps, int lanes,
                  float[] kern, int kernOff, float[] src, int[] srcRow, int rowOff,
                  float[] dst, int dstOff);

    /**
     * Accumulates correlations: for r &lt; rows and k &lt; count,
     * {@code out[outOff + r*outStride + k] += Σ_{c<len} a[aOff + r*aStride + c] * src[srcOff[offOff + k] + c]}.
     * Used for the weight/tap gradients.
     */
    void correlate(int rows, int count, int len,
                   float[] a, int aOff, int aStride,
                   float[] src, int[] srcOff, int offOff,
                   float[] out, int outOff, int outStride);

    /**
     * The tap correlations of one delayed synapse (its weight-and-delay gradient): for n &lt; taps,
     * {@code out[outOff + n] = Σ_{t<steps} Σ_{b<lanes} a[aOff + t*lanes + b] * src[srcRow + (taps − 1 − n + t)*lanes + b]}
     * (overwritten). {@code a} is the output gradient row, {@code src} the front-padded source row
     * (the layer layout), so tap n pairs step t with source step t − n. The taps are a time shift
     * apart: a vector implementation reuses each loaded source vector for several (t, n) pairs.
     */
    void correlateTaps(int taps, int steps, int lanes, float[] a, int aOff, float[] src, int srcRow, float[] out, int outOff);

    /**
     * The hidden layer's forward sweep for one neuron over T steps and B lanes (row layout
     * {@code [t][b]}), in one pass: batch-norm affine map x[t] = in[t]·scale + shift (a multiply,
     * then an add), LIF u[t] = beta·u[t−1]·(1 − S[t−1]) + x[t], S[t] = u[t] &gt; thr, and dropout:
     * {@code out[outOff + t*lanes + b] = S[t]·mask[maskOff + b]} (S[t] itself when mask is null).
     * The spikes are not stored: they are u &gt; thr, which {@link #lifBackward} recomputes.
     * Pass scale 1, shift 0 without batch norm. {@code out} null: only the membrane is written
     * (the training pass recomputes it in the backward pass rather than keep it in memory).
     */
    void lifForward(int steps, int lanes, float beta, float thr, float[] in, int inOff, float scale, float shift,
                    float[] u, int uOff, float[] mask, int maskOff, float[] out, int outOff);

    /**
     * The hidden layer's backward sweep (BPTT, arctan surrogate, reset detached) of one neuron:
     * with S[t] = u[t] &gt; thr and dS'[t] = dS[t]·mask[maskOff + b] (dS when mask is null),
     * writes dL/dI[t] = g[t] where g[t] = dS'[t]·σ'(u[t]) + beta·(1 − S[t])·g[t+1].
     * {@code dIn} may be {@code dS} itself.
     */
    void lifBackward(int steps, int lanes, float beta, float thr, float alpha,
                     float[] dS, int dSOff, float[] mask, int maskOff, float[] u, int uOff,
                     float[] dIn, int dInOff);

    /** Leaky integrator v[t] = beta·v[t−1] + in[t] over one row {@code [t][b]}. */
    void leakyForward(int steps, int lanes, float beta, float[] in, int inOff, float[] v, int vOff);

    /** Its backward: g[t] = dv[t] + beta·g[t+1], written to dIn. */
    void leakyBackward(int steps, int lanes, float beta, float[] dv, int dvOff, float[] dIn, int dInOff);

    /** Σ a[off..off+len). */
    double sum(float[] a, int off, int len);

    /** Σ (a[i] − mean)². */
    double sumSquaredDeviation(float[] a, int off, int len, float mean);

    /**
     * Σ a[i] and Σ a[i]·b[i] in one pass, into {@code out[outOff]} and {@code out[outOff + 1]}; each
     * is accumulated in the order {@link #sum} uses (so the first equals {@code sum(a, aOff, len)}).
     */
    void sumAndDot(float[] a, int aOff, float[] b, int bOff, int len, double[] out, int outOff);

    /** out[i] = a[i]·scale + shift ({@code out} may be {@code a}). */
    void scaleShift(float[] a, int aOff, int len, float scale, float shift, float[] out, int outOff);

    /** out[i] = p·x[i] + q·y[i] + r ({@code out} may be {@code x}). */
    void linear2(float[] x, int xOff, float[] y, int yOff, int len, float p, float q, float r, float[] out, int outOff);

    /**
     * One LIF step of n neurons (the edge engine): with I = in[i] + bias[i] (bias may be null),
     * u[i] = beta·u[i]·(1 − s[i]) + I; s[i] = u[i] &gt; thr ? 1 : 0 — the same operations in the
     * same order as {@link #lifForward}, so every implementation gives the same bits. The indices
     * of the neurons that spiked are written to {@code fired} in ascending order (it needs n
     * entries; those past the returned count are scratch); their number is returned.
     */
    int lifStep(int n, float beta, float thr, float[] in, float[] bias, float[] u, float[] s, int[] fired);

    /**
     * Builds the input → hidden synapses of a step-by-step network (see {@link WindowSynapses})
     * from a post-major CSR: the synapses of hidden neuron h are {@code ptr[h] .. ptr[h+1]-1}, in
     * ascending channel {@code pre[k]}, with integer delay {@code delay[k]} ∈ [0, maxDelay] and
     * weight {@code w[k]}. The arrays are copied.
     *
     * @throws IllegalArgumentException naming the synapse when an argument is out of range
     */
    WindowSynapses windowSynapses(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w);
}
