package org.myelin.kernel;

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
public final class NetworkKernel {
    private final NetConfig cfg;
    private final SynapseLayer l1, l2;
    private final float[] gamma, beta, runMean, runVar;
    private final KernelOps ops;
    private final Parallel par;

    private int lanes = -1;
    private float[] xPad, i1, in1, u1, s1, in2Pad, i2, v2, logits;
    private float[] mean, invStd, batchVar;
    private float[] dv2, dI2Pad, dIn2, dIn1, dI1Pad;
    private float[] mask;
    private boolean training;
    private float sigma;

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
    public NetworkKernel(NetConfig cfg, SynapseLayer layer1, SynapseLayer layer2, float[] bnGamma, float[] bnBeta,
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
        in1 = cfg.batchNorm ? new float[cfg.hidden * n] : i1;
        u1 = new float[cfg.hidden * n];
        s1 = new float[cfg.hidden * n];
        in2Pad = new float[cfg.hidden * p];
        i2 = new float[cfg.outputs * n];
        v2 = new float[cfg.outputs * n];
        logits = new float[b * cfg.outputs];
        mean = new float[cfg.hidden];
        invStd = new float[cfg.hidden];
        batchVar = new float[cfg.hidden];
        dv2 = new float[cfg.outputs * n];
        dI2Pad = new float[cfg.outputs * p];
        dIn2 = new float[cfg.hidden * n];
        dIn1 = new float[cfg.hidden * n];
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
        int T = cfg.steps, Td = cfg.maxDelay, nIn = cfg.inputs;
        if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
        if (x.length != batch * T * nIn) {
            throw new IllegalArgumentException("input has " + x.length + " values; expected B×T×N_in = " + batch + "×" + T + "×" + nIn + " = " + batch * T * nIn);
        }
        if (dropMask != null && dropMask.length != cfg.hidden * batch) {
            throw new IllegalArgumentException("dropout mask has " + dropMask.length + " values; expected hidden×B = " + cfg.hidden * batch);
        }
        for (int q = 0; q < x.length; q++) {
            if (!Float.isFinite(x[q])) {
                throw new IllegalArgumentException("input value " + x[q] + " at (sample " + q / (T * nIn) + ", step " + (q / nIn) % T + ", channel " + q % nIn + ") is not finite");
            }
        }
        ensure(batch);
        this.training = train;
        int B = batch, n = T * B, p = (T + Td) * B;
        // x[b][t][j] → xPad[j][(Td + t)·B + b]; the first Td·B of each row stay zero.
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                int xo = (b * T + t) * nIn;
                int po = (Td + t) * B + b;
                for (int j = 0; j < nIn; j++) xPad[j * p + po] = x[xo + j];
            }
        }
        l1.prepare(cfg.delayMode, sigma, B, T);
        l2.prepare(cfg.delayMode, sigma, B, T);
        l1.forward(ops, par, xPad, i1);
        if (cfg.batchNorm) {
            par.range(cfg.hidden, 1, (lo, hi) -> {
                for (int h = lo; h < hi; h++) {
                    float m, inv;
                    if (train) {
                        m = (float) (ops.sum(i1, h * n, n) / n);
                        float var = (float) (ops.sumSquaredDeviation(i1, h * n, n, m) / n);
                        batchVar[h] = var;
                        inv = (float) (1.0 / Math.sqrt(var + cfg.bnEps));
                    } else {
                        m = runMean[h];
                        inv = (float) (1.0 / Math.sqrt(runVar[h] + cfg.bnEps));
                    }
                    mean[h] = m;
                    invStd[h] = inv;
                    float scale = inv * gamma[h];
                    ops.scaleShift(i1, h * n, n, scale, beta[h] - m * scale, in1, h * n);
                }
            });
            if (train) {
                float mom = cfg.bnMomentum;
                for (int h = 0; h < cfg.hidden; h++) {
                    // the batch variance itself (not recovered from 1/√(var+ε), which can round below 0)
                    double var = batchVar[h];
                    double unbiased = n > 1 ? var * n / (n - 1) : var;
                    runMean[h] = (1 - mom) * runMean[h] + mom * mean[h];
                    runVar[h] = (float) ((1 - mom) * runVar[h] + mom * unbiased);
                }
            }
        }
        float bt = cfg.beta();
        par.range(cfg.hidden, 1, (lo, hi) -> {
            for (int h = lo; h < hi; h++) {
                ops.lifForward(T, B, bt, cfg.threshold, in1, h * n, u1, h * n, s1, h * n);
                int po = h * p + Td * B;
                if (dropMask == null) {
                    System.arraycopy(s1, h * n, in2Pad, po, n);
                    Arrays.fill(mask, h * B, (h + 1) * B, 1f);
                } else {
                    System.arraycopy(dropMask, h * B, mask, h * B, B);
                    ops.mulRows(s1, h * n, dropMask, h * B, T, B, in2Pad, po);
                }
            }
        });
        l2.forward(ops, par, in2Pad, i2);
        int nOut = cfg.outputs;
        for (int k = 0; k < nOut; k++) ops.leakyForward(T, B, bt, i2, k * n, v2, k * n);
        Arrays.fill(logits, 0f);
        if (cfg.readout == Readout.VSUM) {
            for (int k = 0; k < nOut; k++) {
                for (int t = 0; t < T; t++) {
                    for (int b = 0; b < B; b++) logits[b * nOut + k] += v2[k * n + t * B + b];
                }
            }
        } else {
            double[] e = new double[nOut];
            for (int t = 0; t < T; t++) {
                for (int b = 0; b < B; b++) {
                    softmaxAt(t, b, e);
                    for (int k = 0; k < nOut; k++) logits[b * nOut + k] += (float) e[k];
                }
            }
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
        int T = cfg.steps, Td = cfg.maxDelay, B = lanes, n = T * B, p = (T + Td) * B, nOut = cfg.outputs;
        float bt = cfg.beta();
        // dL/dlogits = (softmax − onehot) / B, then dL/dv[t] (direct part).
        double[] gl = new double[nOut];
        double[] e = new double[nOut];
        for (int b = 0; b < B; b++) {
            double mx = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < nOut; k++) mx = Math.max(mx, logits[b * nOut + k]);
            double z = 0;
            for (int k = 0; k < nOut; k++) z += gl[k] = Math.exp(logits[b * nOut + k] - mx);
            for (int k = 0; k < nOut; k++) gl[k] = (gl[k] / z - (k == y[b] ? 1 : 0)) / B;
            if (cfg.readout == Readout.VSUM) {
                for (int k = 0; k < nOut; k++) {
                    float v = (float) gl[k];
                    for (int t = 0; t < T; t++) dv2[k * n + t * B + b] = v;
                }
            } else {
                for (int t = 0; t < T; t++) {
                    softmaxAt(t, b, e);
                    double dotPG = 0;
                    for (int k = 0; k < nOut; k++) dotPG += e[k] * gl[k];
                    for (int k = 0; k < nOut; k++) dv2[k * n + t * B + b] = (float) (e[k] * (gl[k] - dotPG));
                }
            }
        }
        for (int k = 0; k < nOut; k++) ops.leakyBackward(T, B, bt, dv2, k * n, dI2Pad, k * p);
        l2.backwardInput(ops, par, dI2Pad, dIn2);
        float[] lifOut = cfg.batchNorm ? dIn1 : null;
        par.range(cfg.hidden, 1, (lo, hi) -> {
            for (int h = lo; h < hi; h++) {
                ops.mulRows(dIn2, h * n, mask, h * B, T, B, dIn2, h * n);
                if (lifOut != null) {
                    ops.lifBackward(T, B, bt, cfg.threshold, cfg.alpha, dIn2, h * n, u1, h * n, s1, h * n, dIn1, h * n);
                    // Batch norm backward, written as dI = P·g + Q·I + R per neuron.
                    double sg = ops.sum(dIn1, h * n, n);
                    double sgi = ops.dot(dIn1, h * n, i1, h * n, n);
                    double m = mean[h], inv = invStd[h], gm = gamma[h];
                    double dGamma = inv * (sgi - m * sg);
                    g.bnBeta[h] = (float) sg;
                    g.bnGamma[h] = (float) dGamma;
                    if (training) {
                        double mg = sg / n, mgx = dGamma / n;
                        double pp = gm * inv;
                        double qq = -gm * inv * inv * mgx;
                        double rr = -gm * inv * mg + gm * inv * inv * mgx * m;
                        ops.linear2(dIn1, h * n, i1, h * n, n, (float) pp, (float) qq, (float) rr, dI1Pad, h * p);
                    } else {
                        ops.scaleShift(dIn1, h * n, n, (float) (gm * inv), 0f, dI1Pad, h * p);
                    }
                } else {
                    ops.lifBackward(T, B, bt, cfg.threshold, cfg.alpha, dIn2, h * n, u1, h * n, s1, h * n, dI1Pad, h * p);
                }
            }
        });
        l1.backwardParams(ops, par, dI1Pad, xPad, g.w1, g.d1);
        l2.backwardParams(ops, par, dI2Pad, in2Pad, g.w2, g.d2);
        if (g.w1Dense != null) l1.denseWeightGradient(ops, par, dI1Pad, xPad, g.w1Dense);
        if (g.w2Dense != null) l2.denseWeightGradient(ops, par, dI2Pad, in2Pad, g.w2Dense);
    }

    // ---------------------------------------------------------------- results, in the golden layout

    /** Hidden spikes of the last forward pass, B × T × N_h. */
    public float[] spikes() {
        return toSampleMajor(s1, cfg.hidden);
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
        int len = cfg.hidden * cfg.steps * lanes;
        for (int q = 0; q < len; q++) if (s1[q] != 0f) c++;
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
