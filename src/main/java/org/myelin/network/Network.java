package org.myelin.network;

import org.myelin.kernel.KernelOps;
import org.myelin.kernel.Parallel;
import java.util.Arrays;
import java.util.List;

/**
 * The fused forward and backward pass of the network (docs/MODEL.md) over a batch: the input, L ≥ 1
 * {@link HiddenLayer hidden layers} (delayed synapses → batch norm → LIF → dropout), and the
 * delayed readout synapses into leaky integrators. One implementation serves every depth: hidden
 * layer k reads layer k − 1's output rows (the input for k = 0), and its backward pass computes
 * the input gradient of the synapses above it (layer k + 1's, or the readout's) row block by row
 * block inside its own sweep.
 *
 * <p>Layout of every activation tensor: neuron-major, then time, batch lane innermost
 * ({@code [n][t][b]}, index {@code (n*T + t)*B + b}), so each neuron's history is one contiguous
 * row of T·B values: the LIF and leaky-integrator recurrences run across the B lanes as vectors,
 * and a delay of n steps is a shift of n·B along the row (see {@link SynapseLayer}).
 *
 * <p>Owns its workspace (sized for the last batch size seen) and is therefore not thread-safe; it
 * parallelises internally over neurons with the given {@link Parallel} team, deterministically.
 */
public final class Network {
    private final NetConfig cfg;
    private final List<HiddenLayer> hidden;
    private final SynapseLayer readout;
    private final KernelOps ops;
    private final Parallel par;

    private int lanes = -1;
    // activations, [n][t][b]. The hidden layers' rows live in each HiddenLayer. Neither a hidden
    // membrane nor its spikes are stored: the backward pass recomputes a neuron's membrane from
    // its input row (its batch-norm map kept in bnScale, bnShift) into a per-part scratch row,
    // which saves writing and reading T·B·N floats through memory each step
    private float[] xPad, i2, v2, logits, logitsKB;
    private float[][] uRow;
    private double[] gl;
    private float[] dv2, dI2Pad;
    private float[][] dSRows;               // per part: dL/dS of one block of hidden rows (the input gradient of the synapses above)
    private float[] dIn2Phase;              // the readout's whole input gradient, only for timing that phase alone
    private boolean training;
    private float sigma;
    private volatile boolean badInput;

    /**
     * The paper's network: one hidden layer.
     *
     * @param layer1 inputs → hidden synapses
     * @param layer2 hidden → outputs synapses
     * @param bnGamma batch-norm scale per hidden neuron (live; null when batch norm is off)
     * @param bnBeta batch-norm shift (live; null when off)
     * @param runningMean running mean (live; null when off)
     * @param runningVar running variance (live; null when off)
     * @param ops kernel implementation
     * @param par thread team (not closed by this object)
     */
    public Network(NetConfig cfg, SynapseLayer layer1, SynapseLayer layer2, float[] bnGamma, float[] bnBeta,
                   float[] runningMean, float[] runningVar, KernelOps ops, Parallel par) {
        this(cfg, List.of(new HiddenLayer(layer1, bnGamma, bnBeta, runningMean, runningVar)), layer2, ops, par);
    }

    /**
     * A network of any depth.
     *
     * @param hidden the hidden layers, first (fed by the input) to last, as many as {@code cfg.depth()}
     * @param readout last hidden layer → outputs synapses
     * @param ops kernel implementation
     * @param par thread team (not closed by this object)
     */
    public Network(NetConfig cfg, List<HiddenLayer> hidden, SynapseLayer readout, KernelOps ops, Parallel par) {
        this.cfg = cfg;
        int L = cfg.depth();
        if (hidden.size() != L) throw new IllegalArgumentException("the network has " + L + " hidden layers but " + hidden.size() + " were given");
        for (int k = 0; k <= L; k++) {
            SynapseLayer s = k < L ? hidden.get(k).synapses : readout;
            if (s.pre != cfg.width(k) || s.post != cfg.width(k + 1)) {
                throw new IllegalArgumentException("synapse layer " + (k + 1) + " is " + s.pre + " → " + s.post + " but the network is " + cfg.shape());
            }
            if (s.maxDelay != cfg.maxDelay) {
                throw new IllegalArgumentException("synapse layer " + (k + 1) + " has maximum delay " + s.maxDelay + ", the network " + cfg.maxDelay);
            }
            if (k < L && cfg.batchNorm) {
                HiddenLayer h = hidden.get(k);
                for (float[] a : new float[][] {h.gamma, h.beta, h.runMean, h.runVar}) {
                    if (a == null || a.length != s.post) throw new IllegalArgumentException("batch norm parameters of hidden layer " + (k + 1) + " must have " + s.post + " values each");
                }
            }
        }
        this.hidden = List.copyOf(hidden);
        this.readout = readout;
        this.ops = ops;
        this.par = par;
        this.sigma = cfg.sigma;
    }

    /** Sets σ of the Gaussian delay kernels for the following passes (the σ schedule). */
    public void setSigma(float sigma) {
        if (!(sigma > 0f) || !Float.isFinite(sigma)) throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        this.sigma = sigma;
    }

    public float sigma() {
        return sigma;
    }

    public NetConfig config() { return cfg; }
    /** Hidden layer k, 0 ≤ k &lt; L (0: fed by the input). */
    public HiddenLayer hidden(int k) { return hidden.get(k); }
    /** The last hidden layer → outputs synapses. */
    public SynapseLayer readout() { return readout; }
    /** Synapse layer s, 0 ≤ s ≤ L: hidden layer s's input synapses, or the readout's for s = L. */
    public SynapseLayer synapses(int s) { return s < hidden.size() ? hidden.get(s).synapses : readout; }
    public KernelOps ops() { return ops; }

    private void ensure(int b) {
        if (b == lanes) return;
        lanes = b;
        int T = cfg.steps, Td = cfg.maxDelay;
        int n = T * b, p = (T + Td) * b;
        xPad = new float[cfg.inputs * p];
        for (HiddenLayer h : hidden) {
            int N = h.size();
            h.in = new float[N * n];
            h.outPad = new float[N * p];
            h.dInPad = new float[N * p];
            h.mask = new float[N * b];
            h.mean = new float[N];
            h.invStd = new float[N];
            h.bnScale = new float[N];
            h.bnShift = new float[N];
            h.bnSums = new double[2 * N];
        }
        uRow = new float[par.threads()][n];
        i2 = new float[cfg.outputs * n];
        v2 = new float[cfg.outputs * n];
        logits = new float[b * cfg.outputs];
        logitsKB = new float[cfg.outputs * b];
        gl = new double[b * cfg.outputs];
        dv2 = new float[cfg.outputs * n];
        dI2Pad = new float[cfg.outputs * p];
        dSRows = new float[par.threads()][SynapseLayer.INPUT_ROW_BLOCK * n];
        dIn2Phase = null;
    }

    /**
     * Runs the forward pass.
     *
     * @param x input, B × T × N_in (sample-major, channel innermost, as x.npy)
     * @param batch B
     * @param train true: batch-norm batch statistics (and running-statistics update); false: running statistics
     * @param dropMask per (hidden neuron, lane) multiplier (0 or 1/(1−p)), or null for none: the
     *                 layers one after another, hidden layer k's neuron h at index
     *                 {@code (o_k + h)*B + b} with o_k = N_1 + … + N_{k} (the widths before it)
     */
    public void forward(float[] x, int batch, boolean train, float[] dropMask) {
        forwardInput(x, batch, train, dropMask);
        prepareLayers();
        for (int k = 0; k < hidden.size(); k++) {
            forwardSynapses(k);
            forwardHidden(k, dropMask);
        }
        forwardLayer2();
        forwardReadout();
    }

    /** The phases of a training step, in order, for timing them one by one with {@link #runPhase}. */
    public enum Phase {
        /** input check and transpose into the padded layer-1 source */
        INPUT,
        /** every synapse layer's tap kernels and entry lists (∝ synapses) */
        PREPARE,
        /** the first hidden layer's synapses (the phases time the first hidden layer) */
        LAYER1_FORWARD,
        /** batch norm, LIF, dropout (density-independent) */
        HIDDEN_FORWARD,
        /** the readout synapses */
        LAYER2_FORWARD,
        /** readout integrators and logits (density-independent) */
        READOUT_FORWARD,
        /** dL/dlogits and the readout integrators' backward (density-independent) */
        READOUT_BACKWARD,
        LAYER2_BACKWARD_INPUT,
        /**
         * the input gradient of the synapses above and, row block by row block while it is in
         * cache, dropout, LIF (membrane recomputed) and batch-norm backward
         */
        HIDDEN_BACKWARD,
        /** layer-1 weight and delay gradients (and the dense one when g asks for it) */
        LAYER1_BACKWARD_PARAMS,
        LAYER2_BACKWARD_PARAMS
    }

    /**
     * Runs one phase of a training step again, on the state that {@code forward(x, batch, true,
     * dropMask)} and {@code backward(y, g)} with the same arguments left (each phase reads what the
     * earlier ones wrote, so repeating one is well defined). For benchmarks of the phases.
     */
    public void runPhase(Phase phase, float[] x, float[] dropMask, int[] y, Gradients g) {
        if (lanes < 0) throw new IllegalStateException("run forward and backward once before timing their phases");
        if (hidden.size() != 1) throw new IllegalStateException("phases are timed on a network of one hidden layer, this one has " + hidden.size());
        switch (phase) {
            case INPUT: forwardInput(x, lanes, true, dropMask); break;
            case PREPARE: prepareLayers(); break;
            case LAYER1_FORWARD: forwardSynapses(0); break;
            case HIDDEN_FORWARD: forwardHidden(0, dropMask); break;
            case LAYER2_FORWARD: forwardLayer2(); break;
            case READOUT_FORWARD: forwardReadout(); break;
            case READOUT_BACKWARD: checkLabels(y); backwardOutput(y, null, null); break;
            case LAYER2_BACKWARD_INPUT: backwardLayer2Input(); break; // in a step it runs inside HIDDEN_BACKWARD
            case HIDDEN_BACKWARD: backwardHidden(0, g); break;
            case LAYER1_BACKWARD_PARAMS: backwardParams(0, g); break;
            case LAYER2_BACKWARD_PARAMS: backwardParams(hidden.size(), g); break;
            default: throw new AssertionError(phase);
        }
    }

    /** Checks the input, sizes the workspace and transposes x into the padded layer-1 source. */
    private void forwardInput(float[] x, int batch, boolean train, float[] dropMask) {
        int T = cfg.steps, Td = cfg.maxDelay, nIn = cfg.inputs;
        if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
        if (x.length != batch * T * nIn) {
            throw new IllegalArgumentException("input has " + x.length + " values; expected B×T×N_in = " + batch + "×" + T + "×" + nIn + " = " + batch * T * nIn);
        }
        if (dropMask != null && dropMask.length != cfg.hiddenTotal() * batch) {
            throw new IllegalArgumentException("dropout mask has " + dropMask.length + " values; expected hidden×B = " + cfg.hiddenTotal() * batch);
        }
        badInput = false;
        par.range(x.length, 1 << 14, (lo, hi) -> {
            for (int q = lo; q < hi; q++) {
                if (!Float.isFinite(x[q])) {
                    badInput = true;
                    return;
                }
            }
        });
        if (badInput) {
            for (int q = 0; q < x.length; q++) {
                if (!Float.isFinite(x[q])) {
                    throw new IllegalArgumentException("input value " + x[q] + " at (sample " + q / (T * nIn) + ", step " + (q / nIn) % T + ", channel " + q % nIn + ") is not finite");
                }
            }
        }
        ensure(batch);
        this.training = train;
        int B = batch, p = (T + Td) * B;
        // x[b][t][j] → xPad[j][(Td + t)·B + b]; the first Td·B of each row stay zero.
        par.range(nIn, 1, (lo, hi) -> {
            for (int j = lo; j < hi; j++) {
                int row = j * p + Td * B;
                for (int t = 0; t < T; t++) {
                    for (int b = 0; b < B; b++) xPad[row + t * B + b] = x[(b * T + t) * nIn + j];
                }
            }
        });
    }

    private void prepareLayers() {
        for (HiddenLayer h : hidden) h.synapses.prepare(par, cfg.delayMode, sigma, lanes, cfg.steps);
        readout.prepare(par, cfg.delayMode, sigma, lanes, cfg.steps);
    }

    /** The padded source rows of synapse layer s: the input for s = 0, else hidden layer s − 1's output. */
    private float[] source(int s) {
        return s == 0 ? xPad : hidden.get(s - 1).outPad;
    }

    /** Hidden layer k's synapses: its input rows from the layer below. */
    private void forwardSynapses(int k) {
        HiddenLayer h = hidden.get(k);
        h.synapses.forward(ops, par, source(k), h.in);
    }

    /** Offset of hidden layer k's neurons in a dropout mask, in neurons. */
    private int maskOffset(int k) {
        int o = 0;
        for (int j = 0; j < k; j++) o += hidden.get(j).size();
        return o;
    }

    /**
     * Batch norm (statistics, running statistics, affine map), LIF and dropout of each neuron of
     * hidden layer k in one region of the team: two reading sweeps of its row for the statistics,
     * then one fused sweep that writes the membrane and the next layer's input (spike · mask)
     * directly.
     */
    private void forwardHidden(int k, float[] dropMask) {
        int T = cfg.steps, Td = cfg.maxDelay, B = lanes, n = T * B, p = (T + Td) * B;
        boolean train = training;
        float bt = cfg.beta();
        HiddenLayer L = hidden.get(k);
        float[] in = L.in, out = L.outPad, mask = L.mask, gamma = L.gamma, beta = L.beta, runMean = L.runMean, runVar = L.runVar;
        int maskOff = maskOffset(k) * B;
        par.rangeParts(L.size(), 1, (part, lo, hi) -> {
            float[] u = uRow[part];
            for (int h = lo; h < hi; h++) {
                float scale = 1f, shift = 0f;
                if (cfg.batchNorm) {
                    float m, inv;
                    if (train) {
                        m = (float) (ops.sum(in, h * n, n) / n);
                        float var = (float) (ops.sumSquaredDeviation(in, h * n, n, m) / n);
                        inv = (float) (1.0 / Math.sqrt(var + cfg.bnEps));
                        // running statistics from the batch variance itself (not recovered from
                        // 1/√(var+ε), which can round below 0)
                        double unbiased = n > 1 ? (double) var * n / (n - 1) : var;
                        float mom = cfg.bnMomentum;
                        runMean[h] = (1 - mom) * runMean[h] + mom * m;
                        runVar[h] = (float) ((1 - mom) * runVar[h] + mom * unbiased);
                    } else {
                        m = runMean[h];
                        inv = (float) (1.0 / Math.sqrt(runVar[h] + cfg.bnEps));
                    }
                    L.mean[h] = m;
                    L.invStd[h] = inv;
                    scale = inv * gamma[h];
                    shift = beta[h] - m * scale;
                }
                L.bnScale[h] = scale;
                L.bnShift[h] = shift;
                if (dropMask == null) {
                    Arrays.fill(mask, h * B, (h + 1) * B, 1f);
                } else {
                    System.arraycopy(dropMask, maskOff + h * B, mask, h * B, B);
                }
                ops.lifForward(T, B, bt, cfg.threshold, in, h * n, scale, shift, u, 0,
                        dropMask == null ? null : mask, h * B, out, h * p + Td * B);
            }
        });
    }

    private void forwardLayer2() {
        readout.forward(ops, par, source(hidden.size()), i2);
    }

    /** The readout integrators and the logits, split over the outputs. */
    private void forwardReadout() {
        int T = cfg.steps, B = lanes, n = T * B, nOut = cfg.outputs;
        float bt = cfg.beta();
        boolean vsum = cfg.readout == Readout.VSUM;
        par.range(nOut, 1, (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                ops.leakyForward(T, B, bt, i2, k * n, v2, k * n);
                if (!vsum) continue;
                // logits[b][k] = Σ_t v2[k][t][b], summed over t in order, one output row at a time
                int o = k * B;
                Arrays.fill(logitsKB, o, o + B, 0f);
                for (int t = 0; t < T; t++) {
                    int v = k * n + t * B;
                    for (int b = 0; b < B; b++) logitsKB[o + b] += v2[v + b];
                }
                for (int b = 0; b < B; b++) logits[b * nOut + k] = logitsKB[o + b];
            }
        });
        if (!vsum) {
            par.range(B, 8, (lo, hi) -> {
                double[] e = new double[nOut];
                for (int b = lo; b < hi; b++) {
                    Arrays.fill(logits, b * nOut, (b + 1) * nOut, 0f);
                    for (int t = 0; t < T; t++) {
                        softmaxAt(t, b, e);
                        for (int k = 0; k < nOut; k++) logits[b * nOut + k] += (float) e[k];
                    }
                }
            });
        }
    }

    private void softmaxAt(int t, int b, double[] e) {
        Readout.softmax(v2, t * lanes + b, cfg.steps * lanes, cfg.outputs, e);
    }

    /** Mean cross-entropy of the last forward pass against labels y (length B). */
    public double loss(int[] y) {
        return loss(y, null, null);
    }

    /**
     * Mean cross-entropy of the last forward pass against soft targets: sample b's target is
     * t = (1 − λ_b)·onehot(y_b) + λ_b·onehot(y2_b) (CutMix's mixed labels), its loss −Σ_k t_k log p_k.
     * With {@code mix} null (λ = 0 everywhere) the targets are the labels y, with the bits of the
     * hard-label loss.
     *
     * @param mix   y2, the second label of each sample (length B), or null
     * @param share λ, the second label's share of each target (length B, each in [0, 1]), or null
     */
    public double loss(int[] y, int[] mix, double[] share) {
        checkLabels(y);
        checkMix(mix, share);
        int nOut = cfg.outputs;
        double total = 0;
        for (int b = 0; b < lanes; b++) {
            total += crossEntropy(logits, b * nOut, nOut, y[b], mix == null ? y[b] : mix[b], share == null ? 0 : share[b]);
        }
        return total / lanes;
    }

    /** Cross-entropy of one sample against its label: the soft form with λ = 0 (the same bits). */
    public static double crossEntropy(float[] logits, int off, int n, int label) {
        return crossEntropy(logits, off, n, label, label, 0);
    }

    /**
     * Cross-entropy of one sample against the soft target (1 − λ)·onehot(label) + λ·onehot(label2):
     * −Σ_k t_k log p_k = (1 − λ)·(lse − logits[label]) + λ·(lse − logits[label2]), lse =
     * log Σ_k exp(logits[off + k]), computed stably in double. At λ = 0 it is lse − logits[label]
     * to the bit (1·a + 0·b = a for finite b).
     */
    public static double crossEntropy(float[] logits, int off, int n, int label, int label2, double lambda) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) mx = Math.max(mx, logits[off + k]);
        double z = 0;
        for (int k = 0; k < n; k++) z += Math.exp(logits[off + k] - mx);
        double lse = mx + Math.log(z);
        return (1 - lambda) * (lse - logits[off + label]) + lambda * (lse - logits[off + label2]);
    }

    /** The second labels and shares of soft targets: both null, or B labels in range and B shares in [0, 1]. */
    private void checkMix(int[] mix, double[] share) {
        if (mix == null && share == null) return;
        if (mix == null || share == null || mix.length != lanes || share.length != lanes) {
            throw new IllegalArgumentException("soft targets: expected " + lanes + " second labels and " + lanes + " shares");
        }
        for (int b = 0; b < lanes; b++) {
            if (mix[b] < 0 || mix[b] >= cfg.outputs) throw new IllegalArgumentException("second label " + mix[b] + " of sample " + b + " is outside [0, " + cfg.outputs + ")");
            if (!(share[b] >= 0 && share[b] <= 1)) throw new IllegalArgumentException("share " + share[b] + " of sample " + b + " is outside [0, 1]");
        }
    }

    private void checkLabels(int[] y) {
        if (lanes < 0) throw new IllegalStateException("no forward pass has run");
        if (y.length != lanes) throw new IllegalArgumentException("labels: expected " + lanes + " values, got " + y.length);
        for (int b = 0; b < lanes; b++) {
            if (y[b] < 0 || y[b] >= cfg.outputs) throw new IllegalArgumentException("label " + y[b] + " of sample " + b + " is outside [0, " + cfg.outputs + ")");
        }
    }

    /** Number of samples in the last forward pass whose argmax logit equals the label. */
    public int correct(int[] y) {
        checkLabels(y);
        int c = 0;
        for (int b = 0; b < lanes; b++) if (predict(b) == y[b]) c++;
        return c;
    }

    /** Argmax of the logits of sample b (first maximum on ties). */
    public int predict(int b) {
        return Readout.argmax(logits, b * cfg.outputs, 1, cfg.outputs);
    }

    /**
     * Backward pass (BPTT) of the mean cross-entropy of the last forward pass.
     *
     * @param y labels
     * @param g receives every gradient; its dense arrays, when present, receive dL/dw of every pair
     */
    public void backward(int[] y, Gradients g) {
        backward(y, null, null, g);
    }

    /**
     * Backward pass of the mean soft-target cross-entropy ({@link #loss(int[], int[], double[])}):
     * dL/dlogits = (p − t) / B; {@code mix} and {@code share} null give the hard labels' bits.
     */
    public void backward(int[] y, int[] mix, double[] share, Gradients g) {
        checkLabels(y);
        checkMix(mix, share);
        if (g.depth() != hidden.size()) throw new IllegalArgumentException("gradients are for " + g.depth() + " hidden layers, the network has " + hidden.size());
        backwardOutput(y, mix, share);
        for (int k = hidden.size() - 1; k >= 0; k--) backwardHidden(k, g);
        for (int s = 0; s <= hidden.size(); s++) backwardParams(s, g);
    }

    /** dL/dlogits, dL/dv2 and the readout integrators' backward, into the padded layer-2 output gradient. */
    private void backwardOutput(int[] y, int[] mix, double[] share) {
        int T = cfg.steps, Td = cfg.maxDelay, B = lanes, n = T * B, p = (T + Td) * B, nOut = cfg.outputs;
        float bt = cfg.beta();
        boolean vsum = cfg.readout == Readout.VSUM;
        // dL/dlogits = (softmax − target) / B per sample, target (1 − λ)·onehot(y) + λ·onehot(y2)
        // (λ = 0 without a mix: exactly the one-hot); for softmaxsum also dL/dv[t]
        par.range(B, 8, (lo, hi) -> {
            double[] e = vsum ? null : new double[nOut];
            for (int b = lo; b < hi; b++) {
                int o = b * nOut;
                double mx = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < nOut; k++) mx = Math.max(mx, logits[o + k]);
                double z = 0;
                for (int k = 0; k < nOut; k++) z += gl[o + k] = Math.exp(logits[o + k] - mx);
                double l = share == null ? 0 : share[b];
                int y2 = mix == null ? y[b] : mix[b];
                for (int k = 0; k < nOut; k++) gl[o + k] = (gl[o + k] / z - ((k == y[b] ? 1 - l : 0) + (k == y2 ? l : 0))) / B;
                if (vsum) continue;
                for (int t = 0; t < T; t++) {
                    softmaxAt(t, b, e);
                    double dotPG = 0;
                    for (int k = 0; k < nOut; k++) dotPG += e[k] * gl[o + k];
                    for (int k = 0; k < nOut; k++) dv2[k * n + t * B + b] = (float) (e[k] * (gl[o + k] - dotPG));
                }
            }
        });
        par.range(nOut, 1, (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                if (vsum) {
                    // dL/dv[t] = dL/dlogit for every t
                    for (int b = 0; b < B; b++) dv2[k * n + b] = (float) gl[b * nOut + k];
                    for (int t = 1; t < T; t++) System.arraycopy(dv2, k * n, dv2, k * n + t * B, B);
                }
                ops.leakyBackward(T, B, bt, dv2, k * n, dI2Pad, k * p);
            }
        });
    }

    /** The readout's input gradient alone, into a scratch of its own: for timing that part of {@link Phase#HIDDEN_BACKWARD}. */
    private void backwardLayer2Input() {
        if (dIn2Phase == null) dIn2Phase = new float[readout.pre * cfg.steps * lanes];
        readout.backwardInput(ops, par, dI2Pad, dIn2Phase);
    }

    /** The output gradient of synapse layer s (padded rows): hidden layer s's dL/dI, or the readout's for s = L. */
    private float[] outputGradient(int s) {
        return s < hidden.size() ? hidden.get(s).dInPad : dI2Pad;
    }

    /**
     * For hidden layer k: the input gradient dL/dS of the synapses above it (layer k + 1's or the
     * readout's), dropout mask, LIF backward and batch-norm backward, in one region, block by
     * block of {@link SynapseLayer#INPUT_ROW_BLOCK} rows: the block's dL/dS rows go to a per-part
     * scratch (not through memory), then per neuron the membrane is recomputed into another, one
     * fused sweep writes dL/d(normalised input) into the layer's padded output gradient, one reads
     * it for the two batch-norm sums, and one maps it in place to dL/dI. Runs after layer k + 1's
     * own backward pass (its dL/dI is this one's source).
     */
    private void backwardHidden(int k, Gradients g) {
        int T = cfg.steps, B = lanes, n = T * B, p = (T + cfg.maxDelay) * B;
        float bt = cfg.beta();
        int rb = SynapseLayer.INPUT_ROW_BLOCK;
        HiddenLayer L = hidden.get(k);
        SynapseLayer above = synapses(k + 1);
        float[] dAbove = outputGradient(k + 1), dIn = L.dInPad, in = L.in, mask = L.mask;
        float[] gGamma = g.bnGamma(k), gBeta = g.bnBeta(k);
        par.rangeParts(L.size(), rb, (part, lo, hi) -> {
            float[] u = uRow[part], dS = dSRows[part];
            for (int h = lo; h < hi; h++) {
                if ((h - lo) % rb == 0) above.backwardInputRows(ops, h, Math.min(hi, h + rb), dAbove, dS, 0);
                membrane(L, h, u, 0);
                ops.lifBackward(T, B, bt, cfg.threshold, cfg.alpha, dS, (h - lo) % rb * n, mask, h * B, u, 0, dIn, h * p);
                if (!cfg.batchNorm) continue;
                // Batch norm backward, written as dI = P·g + Q·I + R per neuron.
                ops.sumAndDot(dIn, h * p, in, h * n, n, L.bnSums, 2 * h);
                double sg = L.bnSums[2 * h], sgi = L.bnSums[2 * h + 1];
                double m = L.mean[h], inv = L.invStd[h], gm = L.gamma[h];
                double dGamma = inv * (sgi - m * sg);
                gBeta[h] = (float) sg;
                gGamma[h] = (float) dGamma;
                if (training) {
                    double mg = sg / n, mgx = dGamma / n;
                    double pp = gm * inv;
                    double qq = -gm * inv * inv * mgx;
                    double rr = -gm * inv * mg + gm * inv * inv * mgx * m;
                    ops.linear2(dIn, h * p, in, h * n, n, (float) pp, (float) qq, (float) rr, dIn, h * p);
                } else {
                    ops.scaleShift(dIn, h * p, n, (float) (gm * inv), 0f, dIn, h * p);
                }
            }
        });
    }

    /** Weight and delay gradients of synapse layer s (and the dense one when g asks for it). */
    private void backwardParams(int s, Gradients g) {
        SynapseLayer l = synapses(s);
        Gradients.Layer gs = g.synapses(s);
        l.backwardParams(ops, par, outputGradient(s), source(s), gs.w, gs.d);
        if (gs.wDense != null) l.denseWeightGradient(ops, par, outputGradient(s), source(s), gs.wDense);
    }

    /**
     * dL/dw of listed (post, pre) pairs of one layer from the last backward pass, each at its stored
     * delay — what {@link Gradients.Layer#wDense} holds for those pairs, at a cost proportional
     * to the list: RigL's signal for a sampled set of dormant candidates.
     *
     * @param layer synapse layer 1 … L + 1 (1: inputs → first hidden layer; L + 1: the readout)
     * @param pairs pair indices post·pre + j
     * @param count how many of {@code pairs} to use
     * @param out receives dL/dw of pair c at index c
     */
    public void pairWeightGradient(int layer, int[] pairs, int count, float[] out) {
        if (lanes < 0) throw new IllegalStateException("no backward pass has run");
        if (layer < 1 || layer > hidden.size() + 1) throw new IllegalArgumentException("layer must be 1 to " + (hidden.size() + 1) + ", got " + layer);
        if (count < 0 || count > pairs.length || count > out.length) {
            throw new IllegalArgumentException("count " + count + " does not fit the pair list (" + pairs.length + ") and output (" + out.length + ")");
        }
        synapses(layer - 1).pairWeightGradient(ops, par, cfg.delayMode, sigma, cfg.steps, lanes, outputGradient(layer - 1), source(layer - 1), pairs, count, out);
    }

    /** Neuron h's membrane of hidden layer L in the last forward pass into u[off ..] (T·B values): the forward sweep again, the same bits. */
    private void membrane(HiddenLayer L, int h, float[] u, int off) {
        int n = cfg.steps * lanes;
        ops.lifForward(cfg.steps, lanes, cfg.beta(), cfg.threshold, L.in, h * n, L.bnScale[h], L.bnShift[h], u, off, null, 0, null, 0);
    }

    /** Hidden layer k's membrane of the last forward pass, [h][t][b]. */
    private float[] membrane(int k) {
        if (lanes < 0) throw new IllegalStateException("no forward pass has run");
        HiddenLayer L = hidden.get(k);
        int n = cfg.steps * lanes;
        float[] u = new float[L.size() * n];
        for (int h = 0; h < L.size(); h++) membrane(L, h, u, h * n);
        return u;
    }

    // ---------------------------------------------------------------- results, in the golden layout

    /** Spikes of the first hidden layer in the last forward pass, B × T × N_1. */
    public float[] spikes() {
        return spikes(0);
    }

    /** Spikes of hidden layer k in the last forward pass, B × T × N_k. */
    public float[] spikes(int k) {
        float[] s = toSampleMajor(membrane(k), hidden.get(k).size());
        for (int q = 0; q < s.length; q++) s[q] = s[q] > cfg.threshold ? 1f : 0f;
        return s;
    }

    /** Readout membrane of the last forward pass, B × T × N_out. */
    public float[] readoutMembrane() {
        return toSampleMajor(v2, cfg.outputs);
    }

    /** Logits of the last forward pass, B × N_out. */
    public float[] logits() {
        return Arrays.copyOf(logits, lanes * cfg.outputs);
    }

    /** Number of hidden spikes (every hidden layer) in the last forward pass. */
    public long spikeCount() {
        long c = 0;
        for (int k = 0; k < hidden.size(); k++) {
            for (float v : membrane(k)) if (v > cfg.threshold) c++;
        }
        return c;
    }

    private float[] toSampleMajor(float[] a, int neurons) {
        int T = cfg.steps, B = lanes;
        float[] out = new float[B * T * neurons];
        for (int h = 0; h < neurons; h++) {
            for (int t = 0; t < T; t++) {
                for (int b = 0; b < B; b++) out[(b * T + t) * neurons + h] = a[(h * T + t) * B + b];
            }
        }
        return out;
    }
}
