package org.myelin.network;

/**
 * The shape and constants of the network (docs/MODEL.md): inputs, then L ≥ 1 hidden layers of
 * delayed synapses → batch norm → LIF → dropout, then delayed synapses → leaky-integrator readout
 * (L = 1 is the paper's network). Immutable; build with {@link #builder()} (defaults are the
 * paper's RawHD values).
 */
public final class NetConfig {
    /** The most hidden layers a network may have. */
    public static final int MAX_DEPTH = 8;

    public final int inputs, outputs, steps, maxDelay;
    /** Widths of the hidden layers, first (after the input) to last (before the readout). */
    private final int[] hidden;
    public final DelayMode delayMode;
    public final float sigma, tau, threshold, alpha;
    public final Readout readout;
    public final boolean batchNorm;
    public final float bnEps, bnMomentum;

    private NetConfig(Builder b) {
        this.inputs = b.inputs;
        this.hidden = b.hidden.clone();
        this.outputs = b.outputs;
        this.steps = b.steps;
        this.maxDelay = b.maxDelay;
        this.delayMode = b.delayMode;
        this.sigma = b.sigma;
        this.tau = b.tau;
        this.threshold = b.threshold;
        this.alpha = b.alpha;
        this.readout = b.readout;
        this.batchNorm = b.batchNorm;
        this.bnEps = b.bnEps;
        this.bnMomentum = b.bnMomentum;
        if (hidden.length < 1 || hidden.length > MAX_DEPTH) throw new IllegalArgumentException("a network has 1 to " + MAX_DEPTH + " hidden layers, got " + hidden.length);
        boolean positive = inputs > 0 && outputs > 0;
        for (int h : hidden) positive &= h > 0;
        if (!positive) throw new IllegalArgumentException("network sizes must be positive: " + shape());
        if (steps <= 0) throw new IllegalArgumentException("steps must be positive, got " + steps);
        if (maxDelay < 0) throw new IllegalArgumentException("maxDelay must be ≥ 0, got " + maxDelay);
        if (!(tau > 1f) || !Float.isFinite(tau)) throw new IllegalArgumentException("tau must be > 1 (β = 1 − 1/τ), got " + tau);
        if (!(sigma > 0f) || !Float.isFinite(sigma)) throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        if (!Float.isFinite(threshold) || !(alpha > 0f)) throw new IllegalArgumentException("threshold must be finite and alpha > 0");
    }

    /** L, the number of hidden layers. */
    public int depth() {
        return hidden.length;
    }

    /** Width of hidden layer k, 0 ≤ k &lt; {@link #depth()} (0: the layer after the input). */
    public int hidden(int k) {
        return hidden[k];
    }

    /** The hidden widths, first to last (a copy). */
    public int[] hiddenSizes() {
        return hidden.clone();
    }

    /** All hidden neurons, Σ_k N_k (the length of a dropout mask per lane). */
    public int hiddenTotal() {
        int s = 0;
        for (int h : hidden) s += h;
        return s;
    }

    /** Width of layer k of the whole chain: 0 the input, 1 … L the hidden layers, L + 1 the readout. */
    public int width(int k) {
        return k == 0 ? inputs : k <= hidden.length ? hidden[k - 1] : outputs;
    }

    /** The widths as text, e.g. {@code 40→256→256→20}. */
    public String shape() {
        StringBuilder sb = new StringBuilder().append(inputs);
        for (int h : hidden) sb.append('→').append(h);
        return sb.append('→').append(outputs).toString();
    }

    /** β = 1 − 1/τ, the membrane decay per step. */
    public float beta() {
        return 1f - 1f / tau;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.inputs = inputs; b.hidden = hidden; b.outputs = outputs; b.steps = steps; b.maxDelay = maxDelay;
        b.delayMode = delayMode; b.sigma = sigma; b.tau = tau; b.threshold = threshold; b.alpha = alpha;
        b.readout = readout; b.batchNorm = batchNorm; b.bnEps = bnEps; b.bnMomentum = bnMomentum;
        return b;
    }

    @Override
    public String toString() {
        return describe(String.valueOf(sigma));
    }

    /**
     * {@link #toString()} with {@code sigmaText} in place of the σ value (shown for gauss kernels
     * only), e.g. the schedule a trainer will follow instead of the fixed σ it then ignores.
     */
    public String describe(String sigmaText) {
        return shape() + " T=" + steps + " Td=" + maxDelay + " " + delayMode.id()
                + (delayMode == DelayMode.GAUSS ? " σ=" + sigmaText : "") + " τ=" + tau + " ϑ=" + threshold + " α=" + alpha
                + " " + readout.id() + (batchNorm ? " bn" : "");
    }

    /** Builder with the paper's defaults: 40 → 256 → 20 (one hidden layer), T = 80, Td = 25, gauss σ = Td/2, τ = 10.05, ϑ = 1, α = 5, vsum, batch norm. */
    public static final class Builder {
        int inputs = 40, outputs = 20, steps = 80, maxDelay = 25;
        int[] hidden = {256};
        DelayMode delayMode = DelayMode.GAUSS;
        float sigma = 12.5f, tau = 10.05f, threshold = 1f, alpha = 5f;
        Readout readout = Readout.VSUM;
        boolean batchNorm = true;
        float bnEps = 1e-5f, bnMomentum = 0.1f;

        public Builder inputs(int v) { inputs = v; return this; }
        /** One hidden layer of v neurons. */
        public Builder hidden(int v) { hidden = new int[] {v}; return this; }
        /** Hidden layers of these widths, first to last (checked by {@link #build()}). */
        public Builder hidden(int[] widths) { hidden = widths.clone(); return this; }
        public Builder outputs(int v) { outputs = v; return this; }
        public Builder steps(int v) { steps = v; return this; }
        public Builder maxDelay(int v) { maxDelay = v; return this; }
        public Builder delayMode(DelayMode v) { delayMode = v; return this; }
        public Builder sigma(float v) { sigma = v; return this; }
        public Builder tau(float v) { tau = v; return this; }
        public Builder threshold(float v) { threshold = v; return this; }
        public Builder alpha(float v) { alpha = v; return this; }
        public Builder readout(Readout v) { readout = v; return this; }
        public Builder batchNorm(boolean v) { batchNorm = v; return this; }
        public Builder bnEps(float v) { bnEps = v; return this; }
        public Builder bnMomentum(float v) { bnMomentum = v; return this; }

        public NetConfig build() {
            return new NetConfig(this);
        }
    }
}
