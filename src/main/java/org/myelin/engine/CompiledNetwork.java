package org.myelin.engine;

import java.io.IOException;
import java.nio.file.Path;
import org.myelin.network.CsrSynapses;
import org.myelin.network.DelayKernels;
import org.myelin.kernel.KernelOps;
import org.myelin.kernel.KernelProvider;
import org.myelin.network.NetConfig;
import org.myelin.network.Readout;
import org.myelin.kernel.WindowSynapses;
import org.myelin.model.Model;

/**
 * A trained network compiled for event-driven, step-by-step inference on a device: the form the
 * edge engine runs.
 *
 * <p><b>What compiling does.</b>
 * <ul>
 *   <li><b>Integer delays.</b> Every delay is rounded to the nearest integer with
 *       {@link DelayKernels#intTap} (half to even, as {@code torch.round}) whatever the model's
 *       training delay mode: deployment uses {@code int} kernels (docs/MODEL.md, "Evaluation and
 *       deployment use integer delays"). For a model
 *       saved with delay mode {@code int} this is exactly the trainer's evaluation; for a
 *       {@code gauss} or {@code linear} model it is the deployed approximation of it.</li>
 *   <li><b>Batch norm folded.</b> With running statistics μ, var and parameters γ, β, the
 *       normalised input Î = (I − μ)/√(var + eps)·γ + β becomes w' = w·s and a per-hidden-neuron
 *       bias b = β − μ·s with s = γ/√(var + eps) (computed in the same float steps as the
 *       trainer's evaluation mode); the bias enters the LIF input at every step.</li>
 *   <li><b>Only active synapses</b> (weight ≠ 0), in CSR over presynaptic neurons, each with its
 *       target and delay pre-multiplied into a ring-buffer offset.</li>
 * </ul>
 *
 * <p><b>Threads.</b> Immutable: every array is private, filled once here and never written again,
 * so one instance can be shared by any number of threads. Each stream's mutable state lives in a
 * {@link StreamState} that one thread owns ({@link #newStream()}).
 *
 * <p><b>One step</b> ({@link StreamState#step}) for one stream at step t, with R = Td + 1 ring slots:
 * <ol>
 *   <li>the analog input frame (every channel carries a value every step, so there is no sparsity
 *       to exploit) is written into an input history holding each channel's last R values in one
 *       short row; each hidden neuron gets Σ_j w·x_j[t − d] in ascending j
 *       ({@link WindowSynapses}: with the Vector API, dense blocks of 16 hidden neurons pick their
 *       delayed inputs out of each channel's delay line with register permutations; sparse ones
 *       pull synapse by synapse, sixteen neurons side by side — the same bits either way);</li>
 *   <li>each hidden neuron adds its bias and updates
 *       u = β·u·(1 − S) + I; S = [u &gt; ϑ] ({@link KernelOps#lifStep}, vectorised across neurons);</li>
 *   <li>only the neurons that spiked deliver w into ring-2 slot (t mod R) + d of their targets
 *       (work ∝ spikes × fan-out; the ring has 2R slots so that no write wraps, and the upper R
 *       move down at the start of each cycle of R steps: each target's current sums its inputs in
 *       the order of the steps that sent them, exactly as a wrapping R-slot ring would);</li>
 *   <li>the readout takes its current slot, v = β·v + I2, and the running scores grow by v
 *       ({@code vsum}) or softmax(v) ({@code softmaxsum}).</li>
 * </ol>
 * After T = {@link #steps()} steps the scores are the trainer's logits.
 *
 * <p><b>A stack</b> (L ≥ 2 hidden layers): hidden layers 2 … L are fed by spikes as the readout
 * is. Each spike-fed layer k has its own ring of 2R·N_k slots; at step t the neurons that fired in
 * layer k − 1 deliver into it (step 3), then layer k takes its current slot (its batch norm folded
 * into the weights and a bias as for layer 1), runs the same LIF step (step 2) and passes its own
 * spikes on, until the last hidden layer delivers into the readout's ring. One code path serves
 * every spike-fed layer ({@link #deliver}).
 */
public final class CompiledNetwork {
    private final int nIn, nH, nOut, steps, maxDelay, slots;
    private final float beta, threshold;
    private final Readout readout;
    /**
     * Spike-fed synapse layers c = 0 … L − 1 (from hidden layer c + 1 to hidden layer c + 2, the last
     * to the readout), pre-major: the synapses of source h are rowPtr[c][h] .. rowPtr[c][h+1]-1,
     * each with ring offset off = d·post + target and weight w (batch norm's scale folded in).
     */
    private final int[][] rowPtrS, offS;
    private final float[][] wS;
    /** Width of each spike-fed layer's targets (the ring's row length). */
    private final int[] postS;
    /** Folded batch-norm bias of hidden layers 2 … L (index c for layer c + 2), or null entries without batch norm. */
    private final float[][] biasS;
    /** Layer 1, post-major: synapses of hidden neuron h are cPtr1[h] .. cPtr1[h+1]-1, ascending pre. */
    private final int[] cPtr1;
    private final float[] cW1;
    private final float[] bias;
    private final boolean hasBias;
    /** The input layer as the step kernel runs it (history layout and vector split: see its class). */
    private final WindowSynapses window;
    private final KernelOps ops;
    /**
     * With a background warm-up ({@link #compile(Model, boolean)}): {@link #window} and {@link #ops}
     * are the scalar kernels streams start on, and this builds and warms the vector ones (see
     * {@link Warmup}). Null: every step runs {@link #window} and {@link #ops}.
     */
    private final Warmup warmup;

    private CompiledNetwork(Model m, KernelOps ops, java.util.function.Supplier<KernelOps> warmTo) {
        this.ops = ops;
        NetConfig c = m.config;
        this.nIn = c.inputs;
        this.nH = c.hidden(0);
        this.nOut = c.outputs;
        this.steps = c.steps;
        this.maxDelay = c.maxDelay;
        this.slots = c.maxDelay + 1;
        this.beta = c.beta();
        this.threshold = c.threshold;
        this.readout = c.readout;
        int L = c.depth();
        this.bias = new float[nH];
        float[] scale = c.batchNorm ? fold(m.norms.get(0), c.bnEps, bias) : null;
        this.hasBias = c.batchNorm;
        int n1 = active(m.layers.get(0));
        // layer 1 pre-major as read from the model, only to build the post-major view below
        int[] rowPtr1 = new int[nIn + 1], off1 = new int[n1];
        float[] w1 = new float[n1];
        fill(m.layers.get(0), nH, scale, rowPtr1, off1, w1);
        // post-major view (ascending channel per hidden neuron): the input of WindowSynapses
        cPtr1 = new int[nH + 1];
        cW1 = new float[n1];
        for (int q = 0; q < n1; q++) cPtr1[off1[q] % nH + 1]++;
        for (int h = 0; h < nH; h++) cPtr1[h + 1] += cPtr1[h];
        int[] next = java.util.Arrays.copyOf(cPtr1, nH);
        int[] cPre1 = new int[n1], cDel1 = new int[n1];
        for (int j = 0; j < nIn; j++) {
            for (int q = rowPtr1[j]; q < rowPtr1[j + 1]; q++) {
                int h = off1[q] % nH, d = off1[q] / nH;
                int k = next[h]++;
                cW1[k] = w1[q];
                cPre1[k] = j;
                cDel1[k] = d;
            }
        }
        window = ops.windowSynapses(nIn, nH, maxDelay, cPtr1, cPre1, cDel1, cW1);
        warmup = warmTo == null ? null : new Warmup(this, new Warmup.Kernels(window, ops), warmTo, cPtr1, cPre1, cDel1, cW1);
        rowPtrS = new int[L][];
        offS = new int[L][];
        wS = new float[L][];
        postS = new int[L];
        biasS = new float[L][];
        for (int k = 0; k < L; k++) {
            CsrSynapses l = m.layers.get(k + 1);
            int post = l.post, n = active(l);
            float[] sc = null;
            if (k + 1 < L && c.batchNorm) {
                biasS[k] = new float[post];
                sc = fold(m.norms.get(k + 1), c.bnEps, biasS[k]);
            }
            postS[k] = post;
            rowPtrS[k] = new int[l.pre + 1];
            offS[k] = new int[n];
            wS[k] = new float[n];
            fill(l, post, sc, rowPtrS[k], offS[k], wS[k]);
        }
    }

    /**
     * A hidden layer's batch norm as a scale per neuron (returned) and a bias (into {@code bias}),
     * in the same float steps as Network's evaluation mode.
     */
    private static float[] fold(Model.BatchNorm n, float eps, float[] bias) {
        float[] scale = new float[bias.length];
        for (int h = 0; h < bias.length; h++) {
            float inv = (float) (1.0 / Math.sqrt(n.var()[h] + eps));
            float s = inv * n.gamma()[h];
            scale[h] = s;
            bias[h] = n.beta()[h] - n.mean()[h] * s;
        }
        return scale;
    }

    private static int active(CsrSynapses l) {
        int n = 0;
        float[] w = l.weights();
        for (int s = 0; s < l.size(); s++) if (w[s] != 0f) n++;
        return n;
    }

    private void fill(CsrSynapses l, int post, float[] scale, int[] rowPtr, int[] off, float[] w) {
        int[] rp = l.rowPtr(), tg = l.targets();
        float[] lw = l.weights(), ld = l.delays();
        int q = 0;
        for (int j = 0; j < l.pre; j++) {
            rowPtr[j] = q;
            for (int s = rp[j]; s < rp[j + 1]; s++) {
                if (lw[s] == 0f) continue;
                int i = tg[s];
                int d = DelayKernels.intTap(ld[s]);
                if (d < 0 || d > maxDelay) throw new IllegalArgumentException("synapse " + s + ": delay " + ld[s] + " outside [0, " + maxDelay + "]");
                off[q] = d * post + i;
                w[q] = scale == null ? lw[s] : lw[s] * scale[i];
                q++;
            }
        }
        rowPtr[l.pre] = q;
    }

    /** Compiles a model (see the class comment for what changes). The model is not kept. */
    public static CompiledNetwork compile(Model model) {
        return new CompiledNetwork(model, KernelProvider.get(), null);
    }

    /**
     * Compiles for a fast start: when the provider chooses the vector kernels and {@code warmUp} is
     * true, streams start on the scalar kernels and move, at a step boundary, to the vector kernels
     * once a daemon thread has built them and the JIT has compiled them ({@link Warmup}; the thread
     * starts with the first stream). The same bits either way: only the speed of the first steps
     * differs. Otherwise the same as {@link #compile(Model)}. The provider's one log line says
     * when the vector kernels are warmed up in the background.
     */
    public static CompiledNetwork compile(Model model, boolean warmUp) {
        if (warmUp && KernelProvider.vectorWarmedInBackground()) return new CompiledNetwork(model, KernelProvider.scalar(), KernelProvider::get);
        return compile(model);
    }

    /**
     * Compiles with the given kernels ({@link KernelProvider#scalar()} for the reference path).
     * Every choice gives the same bits; only the speed differs.
     */
    public static CompiledNetwork compile(Model model, KernelOps ops) {
        return new CompiledNetwork(model, ops, null);
    }

    /** A network whose streams start on the scalar kernels and warm up toward {@code vector} (tests). */
    static CompiledNetwork warming(Model model, KernelOps vector) {
        return warming(model, () -> vector);
    }

    /** {@link #warming(Model, KernelOps)} with the vector kernels asked for when they are built (tests). */
    static CompiledNetwork warming(Model model, java.util.function.Supplier<KernelOps> vector) {
        return new CompiledNetwork(model, KernelProvider.scalar(), vector);
    }

    /**
     * Loads a model file and compiles it.
     *
     * @throws IllegalArgumentException naming the file when it is not a model file, is from another
     *         format version, is corrupt or inconsistent
     */
    public static CompiledNetwork load(Path modelFile) throws IOException {
        return compile(Model.load(modelFile));
    }

    /**
     * A new stream at step 0 (all membranes, rings and scores zero), owned by one thread. With a
     * background warm-up it starts on the scalar kernels and starts the warm-up (the first time).
     */
    public StreamState newStream() {
        return newStream(true);
    }

    /**
     * {@link #newStream()}; with a background warm-up and {@code warmUp} false the stream runs the
     * vector kernels from its first step instead (built now, on this thread, if not yet built;
     * slow until the JIT has compiled them) and starts no thread.
     */
    public StreamState newStream(boolean warmUp) {
        if (warmup == null) return new StreamState(this);
        if (!warmUp) return newStream(warmup.vector());
        warmup.start();
        return new StreamState(this);
    }

    /** A stream that always runs the given kernels (the warm-up's own streams and tests). */
    StreamState newStream(Warmup.Kernels kernels) {
        StreamState s = new StreamState(this);
        s.kernels = kernels;
        return s;
    }

    /** The background warm-up, or null ({@link #compile(Model, boolean)}). */
    Warmup warmup() {
        return warmup;
    }

    /** Input channels per frame (N_in). */
    public int inputs() { return nIn; }
    /** Hidden LIF neurons of the first hidden layer. */
    public int hidden() { return nH; }
    /** L, the number of hidden layers. */
    public int depth() { return postS.length; }
    /** Width of hidden layer k, 0 ≤ k &lt; L. */
    public int hidden(int k) { return k == 0 ? nH : postS[k - 1]; }
    /** Output classes (length of the score vector). */
    public int outputs() { return nOut; }
    /** Steps per utterance the model was trained for (T); streams may run longer. */
    public int steps() { return steps; }
    /** Largest delay Td; each ring buffer has Td + 1 slots. */
    public int maxDelay() { return maxDelay; }
    /** How scores accumulate. */
    public Readout readout() { return readout; }
    /** Active input → hidden synapses. */
    public int synapses1() { return cW1.length; }
    /** Active synapses into the readout (from the last hidden layer). */
    public int synapses2() { return wS[wS.length - 1].length; }
    /** Active synapses of every synapse layer, input side first. */
    public int[] synapses() {
        int[] n = new int[wS.length + 1];
        n[0] = cW1.length;
        for (int k = 0; k < wS.length; k++) n[k + 1] = wS[k].length;
        return n;
    }

    /**
     * Advances every stream by one step: {@code frames} holds S frames (S × N_in, stream-major),
     * {@code out} (S × N_out, or null) receives each stream's running scores. All inputs are checked
     * before any stream changes, so on an exception no stream has moved.
     *
     * <p>Implemented as a loop over the streams: each stream's step is already event-driven and
     * touches only its own rings, so one stream after another keeps each state hot in cache.
     *
     * @throws IllegalArgumentException on wrong lengths, a stream of another network, a repeated
     *         stream or a non-finite frame value
     */
    public void stepBatch(StreamState[] streams, float[] frames, float[] out) {
        stepBatch(streams, frames, out, null);
    }

    /**
     * {@link #stepBatch(StreamState[], float[], float[])} with the streams split over a thread team
     * (contiguous chunks, one per thread; null or a one-thread team runs them on the caller). Each
     * stream is advanced by exactly one thread and the network is immutable, so the results are the
     * same bits for any thread count. The team's hand-off allocates a few objects per call (not per
     * stream) and costs tens of µs of thread wake-up, so it pays only for large batches: on the
     * paper's network with 2 threads, 1.5× the throughput at 128 dense streams, none at 32
     * (BENCHMARKS.md, StreamBatchBenchmark).
     *
     * @throws IllegalArgumentException as the serial variant, before any stream moves
     */
    public void stepBatch(StreamState[] streams, float[] frames, float[] out, org.myelin.kernel.Parallel team) {
        int S = streams.length;
        if (frames.length != S * nIn) {
            throw new IllegalArgumentException("frames: expected S×N_in = " + S + "×" + nIn + " = " + S * nIn + " values, got " + frames.length);
        }
        if (out != null && out.length != S * nOut) {
            throw new IllegalArgumentException("scores: expected S×N_out = " + S + "×" + nOut + " = " + S * nOut + " values, got " + out.length);
        }
        for (int s = 0; s < S; s++) {
            StreamState st = streams[s];
            if (st == null || st.net != this) throw new IllegalArgumentException("stream " + s + " does not belong to this network");
            for (int r = 0; r < s; r++) {
                if (streams[r] == st) throw new IllegalArgumentException("stream " + s + " is the same object as stream " + r);
            }
        }
        checkFrame(frames, 0, frames.length);
        if (team == null) {
            for (int s = 0; s < S; s++) advance(streams[s], frames, s * nIn, out, s * nOut);
        } else {
            team.range(S, 1, (lo, hi) -> {
                for (int s = lo; s < hi; s++) advance(streams[s], frames, s * nIn, out, s * nOut);
            });
        }
    }

    /**
     * Runs one utterance (T' × N_in frames, any T' ≥ 1) on a fresh stream and returns its scores.
     * Allocates the stream; for repeated use keep a {@link StreamState} and call
     * {@link StreamState#reset()}.
     */
    public float[] classify(float[] frames) {
        return classify(frames, true);
    }

    /** {@link #classify(float[])} on a stream of {@link #newStream(boolean)}. */
    public float[] classify(float[] frames, boolean warmUp) {
        if (frames.length == 0 || frames.length % nIn != 0) {
            throw new IllegalArgumentException("utterance: expected a multiple of N_in = " + nIn + " values, got " + frames.length);
        }
        checkFrame(frames, 0, frames.length);
        StreamState st = newStream(warmUp);
        float[] out = new float[nOut];
        for (int off = 0; off < frames.length; off += nIn) advance(st, frames, off, null, 0);
        st.scores(out);
        return out;
    }

    /** Index of the largest score (the first on ties), as the trainer predicts. */
    public static int argmax(float[] scores) {
        return Readout.argmax(scores);
    }

    static void checkFrame(float[] x, int off, int len) {
        // branch-free first (C2 vectorizes it): an exponent field of all ones (NaN or ±∞) is the
        // one that makes (bits & 0x7f800000) + 2^23 negative; then find the value to name it
        int bad = 0;
        for (int q = off; q < off + len; q++) bad |= (Float.floatToRawIntBits(x[q]) & 0x7f800000) + 0x00800000;
        if (bad >= 0) return;
        for (int q = off; q < off + len; q++) {
            if (!Float.isFinite(x[q])) throw new IllegalArgumentException("frame value " + x[q] + " at index " + q + " is not finite");
        }
    }

    /** One step of one stream; inputs already validated. Allocates nothing. */
    void advance(StreamState st, float[] x, int xOff, float[] out, int outOff) {
        // 0. this step's kernels (they shadow the fields): the network's, or with a background
        //    warm-up the scalar ones until the vector ones are ready (one volatile read a step until
        //    then; the stream keeps them). Every set gives the same bits (Warmup).
        Warmup.Kernels kn = st.kernels;
        if (kn == null && warmup != null && (kn = warmup.ready()) != null) st.kernels = kn;
        final WindowSynapses window = kn == null ? this.window : kn.window;
        final KernelOps ops = kn == null ? this.ops : kn.ops;
        final int slot = st.slot;
        // 1. the frame into the input history, then every hidden input I_h = Σ_j w·x_j[t − d]
        //    (WindowSynapses: scalar lanes or vector permutations of each channel's delay line)
        window.push(st.hist, slot, x, xOff);
        window.accumulate(st.hist, slot, st.in);
        // 2. LIF update of the hidden layer and the list of neurons that fired
        final float[] sp = st.spike;
        final int[] fired = st.fired;
        final float bt = beta;
        int nf = ops.lifStep(nH, bt, threshold, st.in, hasBias ? bias : null, st.u, sp, fired);
        st.nFired = nf;
        // 3. spike events → the next layer's ring; each spike-fed hidden layer then steps as layer 1 did
        int[] src = fired;
        final int L = postS.length;
        for (int k = 0; k + 1 < L; k++) {
            int post = postS[k];
            float[] ring = st.rings[k], in = st.inS[k];
            deliver(k, ring, slot, src, nf);
            int base = slot * post;
            System.arraycopy(ring, base, in, 0, post);
            java.util.Arrays.fill(ring, base, base + post, 0f);
            nf = ops.lifStep(post, bt, threshold, in, biasS[k], st.uS[k], st.spikeS[k], st.firedS[k]);
            st.nFiredS[k] = nf;
            src = st.firedS[k];
        }
        final float[] r2 = st.rings[L - 1];
        deliver(L - 1, r2, slot, src, nf);
        final int base2 = slot * nOut;
        // 4. leaky-integrator readout and running scores
        final float[] vo = st.v, sc = st.score;
        for (int k = 0; k < nOut; k++) {
            float i2 = r2[base2 + k];
            r2[base2 + k] = 0f;
            vo[k] = vo[k] * bt + i2;
        }
        if (readout == Readout.VSUM) {
            for (int k = 0; k < nOut; k++) sc[k] += vo[k];
        } else {
            double[] e = st.exp;
            Readout.softmax(vo, 0, 1, nOut, e);
            for (int k = 0; k < nOut; k++) sc[k] += (float) e[k];
        }
        st.slot = slot + 1 == slots ? 0 : slot + 1;
        st.t++;
        if (out != null) System.arraycopy(sc, 0, out, outOff, nOut);
    }

    /**
     * Spike events of {@code n} neurons ({@code fired}) on spike-fed synapse layer k into its ring
     * (2R slots: slot + d never wraps). At the start of a cycle (slot 0) what the last cycle wrote past
     * its end is older than anything this cycle adds, so it becomes the start of each cell (the
     * sums keep time order).
     */
    private void deliver(int k, float[] ring, int slot, int[] fired, int n) {
        int half = slots * postS[k];
        if (slot == 0) {
            System.arraycopy(ring, half, ring, 0, half);
            java.util.Arrays.fill(ring, half, 2 * half, 0f);
        }
        int base = slot * postS[k];
        int[] rowPtr = rowPtrS[k], off = offS[k];
        float[] w = wS[k];
        for (int f = 0; f < n; f++) {
            int h = fired[f];
            for (int s = rowPtr[h], e = rowPtr[h + 1]; s < e; s++) ring[base + off[s]] += w[s];
        }
    }

    int slots() {
        return slots;
    }

    WindowSynapses window() {
        return window;
    }

    /** How the input layer's work is split between vector and scalar code (for logs and benchmarks). */
    public String describeKernels() {
        return warmup == null ? ops.name() + ": " + window.describe() : warmup.describe();
    }

}
