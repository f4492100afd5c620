package org.myelin.network;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.myelin.io.Npy;

/** One golden case folder, read strictly by the contract in docs/VALIDATION.md. */
final class GoldenCase {
    static final Set<String> KEYS = Set.of("batch", "steps", "inputs", "hidden", "outputs", "maxDelay", "delayMode",
            "sigma", "tau", "threshold", "alpha", "readout", "batchNorm");

    final String name;
    final Path dir;
    final NetConfig cfg;
    final int batch;
    final Map<String, Npy.Array> tensors = new HashMap<>();

    GoldenCase(Path dir) throws IOException {
        this.dir = dir;
        this.name = dir.getFileName().toString();
        Path props = dir.resolve("case.properties");
        if (!Files.isRegularFile(props)) throw new IllegalArgumentException(name + ": missing case.properties");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        for (String k : p.stringPropertyNames()) {
            if (!KEYS.contains(k)) throw new IllegalArgumentException(name + ": case.properties has unknown key '" + k + "'");
        }
        for (String k : KEYS) {
            if (!p.containsKey(k)) throw new IllegalArgumentException(name + ": case.properties lacks key '" + k + "'");
        }
        batch = integer(p, "batch");
        String bn = p.getProperty("batchNorm").trim();
        if (!bn.equals("true") && !bn.equals("false")) throw new IllegalArgumentException(name + ": batchNorm must be true or false, got '" + bn + "'");
        cfg = NetConfig.builder()
                .steps(integer(p, "steps")).inputs(integer(p, "inputs")).hidden(widths(p)).outputs(integer(p, "outputs"))
                .maxDelay(integer(p, "maxDelay")).delayMode(DelayMode.parse(p.getProperty("delayMode")))
                .sigma(number(p, "sigma")).tau(number(p, "tau")).threshold(number(p, "threshold")).alpha(number(p, "alpha"))
                .readout(Readout.parse(p.getProperty("readout"))).batchNorm(bn.equals("true"))
                .build();
        int B = batch, T = cfg.steps, L = cfg.depth();
        load("x", "<f4", B, T, cfg.inputs);
        load("y", "<i4", B);
        for (int k = 1; k <= L + 1; k++) {
            int post = cfg.width(k), pre = cfg.width(k - 1);
            load("w" + k, "<f4", post, pre);
            load("d" + k, "<f4", post, pre);
            load("grad_w" + k, "<f4", post, pre);
            if (cfg.delayMode != DelayMode.INT) load("grad_d" + k, "<f4", post, pre);
            if (k <= L) {
                load("spikes" + k, "<f4", B, T, post);
                if (cfg.batchNorm) {
                    for (String what : new String[] {"gamma", "beta"}) {
                        load(bn(k, what), "<f4", post);
                        load("grad_" + bn(k, what), "<f4", post);
                    }
                }
            }
        }
        load("v" + (L + 1), "<f4", B, T, cfg.outputs);
        load("logits", "<f4", B, cfg.outputs);
        load("loss", "<f4");
    }

    /**
     * The file of hidden layer k's (1-based) batch-norm {@code what} ({@code gamma} or
     * {@code beta}): {@code bn_gamma} in a one-layer case, {@code bn2_gamma} etc. in a deeper one.
     */
    String bn(int k, String what) {
        return (cfg.depth() == 1 ? "bn" : "bn" + k) + "_" + what;
    }

    /** The hidden widths: one number, or GOLDEN.md's list N_1,…,N_L. */
    private int[] widths(Properties p) {
        String[] parts = p.getProperty("hidden").split(",", -1);
        int[] w = new int[parts.length];
        for (int k = 0; k < parts.length; k++) {
            try {
                w[k] = Integer.parseInt(parts[k].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": case.properties key 'hidden' is not a list of integers: '" + p.getProperty("hidden") + "'");
            }
        }
        return w;
    }

    private int integer(Properties p, String k) {
        try {
            return Integer.parseInt(p.getProperty(k).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": case.properties key '" + k + "' is not an integer: '" + p.getProperty(k) + "'");
        }
    }

    private float number(Properties p, String k) {
        try {
            return Float.parseFloat(p.getProperty(k).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": case.properties key '" + k + "' is not a number: '" + p.getProperty(k) + "'");
        }
    }

    private void load(String file, String dtype, int... shape) throws IOException {
        Path f = dir.resolve(file + ".npy");
        if (!Files.isRegularFile(f)) throw new IllegalArgumentException(name + ": missing required file " + file + ".npy");
        Npy.Array a = Npy.read(f);
        if (!a.dtype.equals(dtype)) throw new IllegalArgumentException(name + ": " + file + ".npy has dtype " + a.dtype + ", expected " + dtype);
        if (!Arrays.equals(a.shape, shape)) {
            throw new IllegalArgumentException(name + ": " + file + ".npy has shape " + Arrays.toString(a.shape) + ", expected " + Arrays.toString(shape));
        }
        tensors.put(file, a);
    }

    float[] f(String k) {
        return tensors.get(k).f;
    }

    int[] i(String k) {
        return tensors.get(k).i;
    }

    boolean has(String k) {
        return tensors.containsKey(k);
    }
}
