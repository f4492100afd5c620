package org.myelin.run;

import org.myelin.network.DelayMode;
import org.myelin.network.NetConfig;
import org.myelin.network.Readout;

/**
 * The network a run trains, apart from what the data decide (inputs, steps and outputs).
 * Batch-norm ε and momentum are {@link NetConfig}'s defaults.
 */
public record NetworkSpec(int hidden, int maxDelay, DelayMode delayMode, float sigma, float tau, float threshold, float alpha,
                          Readout readout, boolean batchNorm) {
    /** The paper's network: 256 hidden, Td = 25, gauss with σ = Td/2, τ = 10.05, ϑ = 1, α = 5, vsum readout, batch norm. */
    public static NetworkSpec defaults() {
        return new NetworkSpec(256, 25, DelayMode.GAUSS, defaultSigma(25), 10.05f, 1f, 5f, Readout.VSUM, true);
    }

    /** The default σ for a maximum delay: Td/2, at least 0.5. */
    public static float defaultSigma(int maxDelay) {
        return (float) Math.max(0.5, maxDelay / 2.0);
    }

    /** The full configuration for data of {@code inputs} channels × {@code steps} steps and {@code outputs} classes. */
    public NetConfig toNetConfig(int inputs, int steps, int outputs) {
        return NetConfig.builder().inputs(inputs).steps(steps).outputs(outputs).hidden(hidden).maxDelay(maxDelay)
                .delayMode(delayMode).sigma(sigma).tau(tau).threshold(threshold).alpha(alpha).readout(readout)
                .batchNorm(batchNorm).build();
    }
}
