package org.myelin.run;

import java.util.ArrayList;
import java.util.List;
import org.myelin.network.DelayMode;
import org.myelin.network.NetConfig;
import org.myelin.network.Readout;

/**
 * The network a run trains, apart from what the data decide (inputs, steps and outputs): the
 * hidden widths, first to last (one for the paper's network). Batch-norm ε and momentum are
 * {@link NetConfig}'s defaults.
 */
public record NetworkSpec(List<Integer> hidden, int maxDelay, DelayMode delayMode, float sigma, float tau, float threshold, float alpha,
                          Readout readout, boolean batchNorm) {
    public NetworkSpec {
        hidden = List.copyOf(hidden);
        if (hidden.isEmpty()) throw new IllegalArgumentException("a network needs at least one hidden layer");
    }

    /** A network of one hidden layer of {@code hidden} neurons. */
    public NetworkSpec(int hidden, int maxDelay, DelayMode delayMode, float sigma, float tau, float threshold, float alpha,
                       Readout readout, boolean batchNorm) {
        this(List.of(hidden), maxDelay, delayMode, sigma, tau, threshold, alpha, readout, batchNorm);
    }

    /**
     * Hidden widths from text: one number or a comma-separated list ({@code 256,256}), each ≥ 1,
     * at most {@link NetConfig#MAX_DEPTH}.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static List<Integer> parseHidden(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length > NetConfig.MAX_DEPTH) {
            throw new IllegalArgumentException("at most " + NetConfig.MAX_DEPTH + " hidden layers, got " + parts.length + " in '" + text + "'");
        }
        List<Integer> w = new ArrayList<>();
        for (String p : parts) {
            int v;
            try {
                v = Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(p.isBlank() ? "a width is missing in '" + text + "'" : "'" + p.trim() + "' in '" + text + "' is not a whole number");
            }
            if (v < 1) throw new IllegalArgumentException("widths must be at least 1, got " + v + " in '" + text + "'");
            w.add(v);
        }
        return w;
    }

    /** The widths as {@link #parseHidden} reads them, e.g. {@code 256,256}. */
    public static String hiddenText(List<Integer> hidden) {
        StringBuilder sb = new StringBuilder();
        for (int w : hidden) sb.append(sb.length() == 0 ? "" : ",").append(w);
        return sb.toString();
    }
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
        int[] widths = new int[hidden.size()];
        for (int k = 0; k < widths.length; k++) widths[k] = hidden.get(k);
        return NetConfig.builder().inputs(inputs).steps(steps).outputs(outputs).hidden(widths).maxDelay(maxDelay)
                .delayMode(delayMode).sigma(sigma).tau(tau).threshold(threshold).alpha(alpha).readout(readout)
                .batchNorm(batchNorm).build();
    }
}
