package org.myelin.network;

/**
 * The shape and constants of the paper's network (MODEL.md): inputs → delayed synapses → batch
 * norm → LIF hidden layer → dropout → delayed synapses → leaky-integrator readout. Immutable;
 * build with {@link #builder()} (defaults are the paper's RawHD values).
 */
public final class NetConfig {
    public final int inputs, hidden, outputs, steps, maxDelay;
    public final DelayMode delayMode;
    public final float sigma, tau, threshold, alpha;
    public final Readout readout;
    public final boolean batchNorm;
    public final float bnEps, bnMomentum;

    private NetConfig(Builder b) {
        this.inputs = b.inputs;
        this.hidden = b.hidden;
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
        if (inputs <= 0 || hidden <= 0 || outputs <= 0) throw new IllegalArgumentException("network sizes must be positive: " + inputs + " → " + hidden + " → " + outputs);
        if (steps <= 0) throw new IllegalArgumentException("steps must be positive, got " + steps);
        if (maxDelay < 0) throw new IllegalArgumentException("maxDelay must be ≥ 0, got " + maxDelay);
        if (!(tau > 1f) || !Float.isFinite(tau)) throw new IllegalArgumentException("tau must be > 1 (β = 1 − 1/τ), got " + tau);
        if (!(sigma > 0f) || !Float.isFinite(sigma)) throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        if (!Float.isFinite(threshold) || !(alpha > 0f)) throw new IllegalArgumentException("threshold must be finite and alpha > 0");
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
        return inputs + "→" + hidden + "→" + outputs + " T=" + steps + " Td=" + maxDelay + " " + delayMode.id()
                + (delayMode == DelayMode.GAUSS ? " σ=" + sigmaText : "") + " τ=" + tau + " ϑ=" + threshold + " α=" + alpha
                + " " + readout.id() + (batchNorm ? " bn" : "");
    }

    /** Builder with the paper's defaults: 40 → 256 → 20, T = 80, Td = 25, gauss σ = Td/2, τ = 10.05, ϑ = 1, α = 5, vsum, batch norm. */
    public static final class Builder {
        int inputs = 40, hidden = 256, outputs = 20, steps = 80, maxDelay = 25;
        DelayMode delayMode = DelayMode.GAUSS;
        float sigma = 12.5f, tau = 10.05f, threshold = 1f, alpha = 5f;
        Readout readout = Readout.VSUM;
        boolean batchNorm = true;
        float bnEps = 1e-5f, bnMomentum = 0.1f;

        public Builder inputs(int v) { inputs = v; return this; }
        public Builder hidden(int v) { hidden = v; return this; }
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
