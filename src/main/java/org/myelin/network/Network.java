package org.myelin.network;

import org.myelin.kernel.KernelOps;
import org.myelin.kernel.Parallel;
import java.util.Arrays;

/**
 * The fused forward and backward pass of the paper's network (MODEL.md) over a batch.
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
    private final SynapseLayer l1, l2;
    private final float[] gamma, beta, runMean, runVar;
    private final KernelOps ops;
    private final Parallel par;

    private int lanes = -1;
    // activations, [n][t][b]; in2Pad holds S·mask. Neither the hidden membrane nor its spikes are
    // stored: the backward pass recomputes a neuron's membrane from i1 (its batch-norm map kept in
    // bnScale, bnShift) into a per-part scratch row, which saves writing and reading T·B·N_h floats
    // through memory each step
    private float[] xPad, i1, in2Pad, i2, v2, logits, logitsKB;
    private float[][] uRow;
    private float[] mean, invStd, bnScale, bnShift;
    private double[] gl, bnSums;
    private float[] dv2, dI2Pad, dI1Pad;
    private float[][] dSRows;               // per part: dL/dS of one block of hidden rows (layer 2's input gradient)
    private float[] dIn2Phase;              // layer 2's whole input gradient, only for timing that phase alone
    private float[] mask;
    private boolean training;
    private float sigma;
    private volatile boolean badInput;

    /**
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
        this.cfg = cfg;
        if (layer1.pre != cfg.inputs || layer1.post != cfg.hidden) {
            throw new IllegalArgumentException("layer 1 is " + layer1.pre + " → " + layer1.post + " but the network is " + cfg.inputs + " → " + cfg.hidden);
        }
        if (layer2.pre != cfg.hidden || layer2.post != cfg.outputs) {
            throw new IllegalArgumentException("layer 2 is " + layer2.pre + " → " + layer2.post + " but the network is " + cfg.hidden + " → " + cfg.outputs);
        }
        if (layer1.maxDelay != cfg.maxDelay || layer2.maxDelay != cfg.maxDelay) {
            throw new IllegalArgumentException("layer maximum delays (" + layer1.maxDelay + ", " + layer2.maxDelay + ") differ from the network's " + cfg.maxDelay);
        }
        if (cfg.batchNorm) {
            for (float[] a : new float[][] {bnGamma, bnBeta, runningMean, runningVar}) {
                if (a == null || a.length != cfg.hidden) throw new IllegalArgumentException("batch norm parameters must have " + cfg.hidden + " values each");
            }
        }
        this.l1 = layer1;
        this.l2 = layer2;
        this.gamma = bnGamma;
        this.beta = bnBeta;
        this.runMean = runningMean;
        this.runVar = runningVar;
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
    public SynapseLayer layer1() { return l1; }
    public SynapseLayer layer2() { return l2; }
    public KernelOps ops() { return ops; }

    private void ensure(int b) {
        if (b == lanes) return;
        lanes = b;
        int T = cfg.steps, Td = cfg.maxDelay;
        int n = T * b, p = (T + Td) * b;
        xPad = new float[cfg.inputs * p];
        i1 = new float[cfg.hidden * n];
        uRow = new float[par.threads()][n];
        in2Pad = new float[cfg.hidden * p];
        i2 = new float[cfg.outputs * n];
        v2 = new float[cfg.outputs * n];
        logits = new float[b * cfg.outputs];
        logitsKB = new float[cfg.outputs * b];
        mean = new float[cfg.hidden];
        invStd = new float[cfg.hidden];
        bnScale = new float[cfg.hidden];
        bnShift = new float[cfg.hidden];
        bnSums = new double[2 * cfg.hidden];
        gl = new double[b * cfg.outputs];
        dv2 = new float[cfg.outputs * n];
        dI2Pad = new float[cfg.outputs * p];
        dSRows = new float[par.threads()][SynapseLayer.INPUT_ROW_BLOCK * n];
        dIn2Phase = null;
        dI1Pad = new float[cfg.hidden * p];
        mask = new float[cfg.hidden * b];
    }

    /**
     * Runs the forward pass.
     *
     * @param x input, B × T × N_in (sample-major, channel innermost, as x.npy)
     * @param batch B
     * @param train true: batch-norm batch statistics (and running-statistics update); false: running statistics
     * @param dropMask per (hidden neuron, lane) multiplier, index h*B + b (0 or 1/(1−p)), or null for none
     */
    public void forward(float[] x, int batch, boolean train, float[] dropMask) {
        forwardInput(x, batch, train, dropMask);
        prepareLayers();
        forwardLayer1();
        forwardHidden(dropMask);
        forwardLayer2();
        forwardReadout();
    }

    /** The phases of a training step, in order, for timing them one by one with {@link #runPhase}. */
    public enum Phase {
        /** input check and transpose into the padded layer-1 source */
        INPUT,
        /** both layers' tap kernels and entry lists (∝ synapses) */
        PREPARE,
        LAYER1_FORWARD,
        /** batch norm, LIF, dropout (density-independent) */
        HIDDEN_FORWARD,
        LAYER2_FORWARD,
        /** readout integrators and logits (density-independent) */
        READOUT_FORWARD,
        /** dL/dlogits and the readout integrators' backward (density-independent) */
        READOUT_BACKWARD,
        LAYER2_BACKWARD_INPUT,
        /**
         * layer 2's input gradient and, row block by row block while it is in cache, dropout, LIF
         * (membrane recomputed) and batch-norm backward
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
        switch (phase) {
            case INPUT: forwardInput(x, lanes, true, dropMask); break;
            case PREPARE: prepareLayers(); break;
            case LAYER1_FORWARD: forwardLayer1(); break;
            case HIDDEN_FORWARD: forwardHidden(dropMask); break;
            case LAYER2_FORWARD: forwardLayer2(); break;
            case READOUT_FORWARD: forwardReadout(); break;
            case READOUT_BACKWARD: checkLabels(y); backwardOutput(y); break;
            case LAYER2_BACKWARD_INPUT: backwardLayer2Input(); break; // in a step it runs inside HIDDEN_BACKWARD
            case HIDDEN_BACKWARD: backwardHidden(g); break;
            case LAYER1_BACKWARD_PARAMS: backwardParams1(g); break;
            case LAYER2_BACKWARD_PARAMS: backwardParams2(g); break;
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
        if (dropMask != null && dropMask.length != cfg.hidden * batch) {
            throw new IllegalArgumentException("dropout mask has " + dropMask.length + " values; expected hidden×B = " + cfg.hidden * batch);
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
        l1.prepare(par, cfg.delayMode, sigma, lanes, cfg.steps);
        l2.prepare(par, cfg.delayMode, sigma, lanes, cfg.steps);
    }

    private void forwardLayer1() {
        l1.forward(ops, par, xPad, i1);
    }

    /**
     * Batch norm (statistics, running statistics, affine map), LIF and dropout of each hidden
     * neuron in one region of the team: two reading sweeps of its row for the statistics, then one
     * fused sweep that writes the membrane and the layer-2 input (spike · mask) directly.
     */
    private void forwardHidden(float[] dropMask) {
        int T = cfg.steps, Td = cfg.maxDelay, B = lanes, n = T * B, p = (T + Td) * B;
        boolean train = training;
        float bt = cfg.beta();
        par.rangeParts(cfg.hidden, 1, (part, lo, hi) -> {
            float[] u = uRow[part];
            for (int h = lo; h < hi; h++) {
                float scale = 1f, shift = 0f;
                if (cfg.batchNorm) {
                    float m, inv;
                    if (train) {
                        m = (float) (ops.sum(i1, h * n, n) / n);
                        float var = (float) (ops.sumSquaredDeviation(i1, h * n, n, m) / n);
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
                    mean[h] = m;
                    invStd[h] = inv;
                    scale = inv * gamma[h];
                    shift = beta[h] - m * scale;
                }
                bnScale[h] = scale;
                bnShift[h] = shift;
                if (dropMask == null) {
                    Arrays.fill(mask, h * B, (h + 1) * B, 1f);
                } else {
                    System.arraycopy(dropMask, h * B, mask, h * B, B);
                }
                ops.lifForward(T, B, bt, cfg.threshold, i1, h * n, scale, shift, u, 0,
                        dropMask == null ? null : mask, h * B, in2Pad, h * p + Td * B);
            }
        });
    }

    private void forwardLayer2() {
        l2.forward(ops, par, in2Pad, i2);
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
        checkLabels(y);
        int nOut = cfg.outputs;
        double total = 0;
        for (int b = 0; b < lanes; b++) total += crossEntropy(logits, b * nOut, nOut, y[b]);
        return total / lanes;
    }

    /** Cross-entropy of one sample: log Σ_k exp(logits[off + k]) − logits[off + label], computed stably in double. */
    public static double crossEntropy(float[] logits, int off, int n, int label) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) mx = Math.max(mx, logits[off + k]);
        double z = 0;
        for (int k = 0; k < n; k++) z += Math.exp(logits[off + k] - mx);
        return mx + Math.log(z) - logits[off + label];
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
        checkLabels(y);
        backwardOutput(y);
        backwardHidden(g);
        backwardParams1(g);
        backwardParams2(g);
    }

    /** dL/dlogits, dL/dv2 and the readout integrators' backward, into the padded layer-2 output gradient. */
    private void backwardOutput(int[] y) {
        int T = cfg.steps, Td = cfg.maxDelay, B = lanes, n = T * B, p = (T + Td) * B, nOut = cfg.outputs;
        float bt = cfg.beta();
        boolean vsum = cfg.readout == Readout.VSUM;
        // dL/dlogits = (softmax − onehot) / B per sample; for softmaxsum also dL/dv[t]
        par.range(B, 8, (lo, hi) -> {
            double[] e = vsum ? null : new double[nOut];
            for (int b = lo; b < hi; b++) {
                int o = b * nOut;
                double mx = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < nOut; k++) mx = Math.max(mx, logits[o + k]);
                double z = 0;
                for (int k = 0; k < nOut; k++) z += gl[o + k] = Math.exp(logits[o + k] - mx);
                for (int k = 0; k < nOut; k++) gl[o + k] = (gl[o + k] / z - (k == y[b] ? 1 : 0)) / B;
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

    /** Layer 2's input gradient alone, into a scratch of its own: for timing that part of {@link Phase#HIDDEN_BACKWARD}. */
    private void backwardLayer2Input() {
        if (dIn2Phase == null) dIn2Phase = new float[cfg.hidden * cfg.steps * lanes];
        l2.backwardInput(ops, par, dI2Pad, dIn2Phase);
    }

    /**
     * Layer 2's input gradient dL/dS, dropout mask, LIF backward and batch-norm backward of the
     * hidden neurons in one region, block by block of {@link SynapseLayer#INPUT_ROW_BLOCK} rows:
     * the block's dL/dS rows go to a per-part scratch (not through memory), then per neuron the
     * membrane is recomputed into another, one fused sweep writes dL/d(normalised input) into the
     * padded layer-1 output gradient, one reads it for the two batch-norm sums, and one maps it in
     * place to dL/dI.
     */
    private void backwardHidden(Gradients g) {
        int T = cfg.steps, Td = cfg.maxDelay, B = lanes, n = T * B, p = (T + Td) * B;
        float bt = cfg.beta();
        int rb = SynapseLayer.INPUT_ROW_BLOCK;
        par.rangeParts(cfg.hidden, rb, (part, lo, hi) -> {
            float[] u = uRow[part], dS = dSRows[part];
            for (int h = lo; h < hi; h++) {
                if ((h - lo) % rb == 0) l2.backwardInputRows(ops, h, Math.min(hi, h + rb), dI2Pad, dS, 0);
                membrane(h, u, 0);
                ops.lifBackward(T, B, bt, cfg.threshold, cfg.alpha, dS, (h - lo) % rb * n, mask, h * B, u, 0, dI1Pad, h * p);
                if (!cfg.batchNorm) continue;
                // Batch norm backward, written as dI = P·g + Q·I + R per neuron.
                ops.sumAndDot(dI1Pad, h * p, i1, h * n, n, bnSums, 2 * h);
                double sg = bnSums[2 * h], sgi = bnSums[2 * h + 1];
                double m = mean[h], inv = invStd[h], gm = gamma[h];
                double dGamma = inv * (sgi - m * sg);
                g.bnBeta[h] = (float) sg;
                g.bnGamma[h] = (float) dGamma;
                if (training) {
                    double mg = sg / n, mgx = dGamma / n;
                    double pp = gm * inv;
                    double qq = -gm * inv * inv * mgx;
                    double rr = -gm * inv * mg + gm * inv * inv * mgx * m;
                    ops.linear2(dI1Pad, h * p, i1, h * n, n, (float) pp, (float) qq, (float) rr, dI1Pad, h * p);
                } else {
                    ops.scaleShift(dI1Pad, h * p, n, (float) (gm * inv), 0f, dI1Pad, h * p);
                }
            }
        });
    }

    private void backwardParams1(Gradients g) {
        l1.backwardParams(ops, par, dI1Pad, xPad, g.w1, g.d1);
        if (g.w1Dense != null) l1.denseWeightGradient(ops, par, dI1Pad, xPad, g.w1Dense);
    }

    private void backwardParams2(Gradients g) {
        l2.backwardParams(ops, par, dI2Pad, in2Pad, g.w2, g.d2);
        if (g.w2Dense != null) l2.denseWeightGradient(ops, par, dI2Pad, in2Pad, g.w2Dense);
    }

    /**
     * dL/dw of listed (post, pre) pairs of one layer from the last backward pass, each at its stored
     * delay — what {@link Gradients#w1Dense}/{@link Gradients#w2Dense} hold for those pairs, at a
     * cost proportional to the list: RigL's signal for a sampled set of dormant candidates.
     *
     * @param layer 1 (inputs → hidden) or 2 (hidden → outputs)
     * @param pairs pair indices post·pre + j
     * @param count how many of {@code pairs} to use
     * @param out receives dL/dw of pair c at index c
     */
    public void pairWeightGradient(int layer, int[] pairs, int count, float[] out) {
        if (lanes < 0) throw new IllegalStateException("no backward pass has run");
        if (layer != 1 && layer != 2) throw new IllegalArgumentException("layer must be 1 or 2, got " + layer);
        if (count < 0 || count > pairs.length || count > out.length) {
            throw new IllegalArgumentException("count " + count + " does not fit the pair list (" + pairs.length + ") and output (" + out.length + ")");
        }
        if (layer == 1) l1.pairWeightGradient(ops, par, cfg.delayMode, sigma, cfg.steps, lanes, dI1Pad, xPad, pairs, count, out);
        else l2.pairWeightGradient(ops, par, cfg.delayMode, sigma, cfg.steps, lanes, dI2Pad, in2Pad, pairs, count, out);
    }

    /** Hidden neuron h's membrane of the last forward pass into u[off ..] (T·B values): the forward sweep again, the same bits. */
    private void membrane(int h, float[] u, int off) {
        int n = cfg.steps * lanes;
        ops.lifForward(cfg.steps, lanes, cfg.beta(), cfg.threshold, i1, h * n, bnScale[h], bnShift[h], u, off, null, 0, null, 0);
    }

    /** The hidden membrane of the last forward pass, [h][t][b]. */
    private float[] membrane() {
        int n = cfg.steps * lanes;
        float[] u = new float[cfg.hidden * n];
        for (int h = 0; h < cfg.hidden; h++) membrane(h, u, h * n);
        return u;
    }

    // ---------------------------------------------------------------- results, in the golden layout

    /** Hidden spikes of the last forward pass, B × T × N_h. */
    public float[] spikes() {
        float[] s = toSampleMajor(membrane(), cfg.hidden);
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

    /** Number of hidden spikes in the last forward pass. */
    public long spikeCount() {
        long c = 0;
        float[] u = membrane();
        for (float v : u) if (v > cfg.threshold) c++;
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
