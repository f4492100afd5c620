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

/** One golden case folder, read strictly by the contract of shared/spec/GOLDEN.md. */
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
                .steps(integer(p, "steps")).inputs(integer(p, "inputs")).hidden(integer(p, "hidden")).outputs(integer(p, "outputs"))
                .maxDelay(integer(p, "maxDelay")).delayMode(DelayMode.parse(p.getProperty("delayMode")))
                .sigma(number(p, "sigma")).tau(number(p, "tau")).threshold(number(p, "threshold")).alpha(number(p, "alpha"))
                .readout(Readout.parse(p.getProperty("readout"))).batchNorm(bn.equals("true"))
                .build();
        int B = batch, T = cfg.steps, nIn = cfg.inputs, nH = cfg.hidden(0), nOut = cfg.outputs;
        load("x", "<f4", B, T, nIn);
        load("y", "<i4", B);
        load("w1", "<f4", nH, nIn);
        load("d1", "<f4", nH, nIn);
        load("w2", "<f4", nOut, nH);
        load("d2", "<f4", nOut, nH);
        load("spikes1", "<f4", B, T, nH);
        load("v2", "<f4", B, T, nOut);
        load("logits", "<f4", B, nOut);
        load("loss", "<f4");
        load("grad_w1", "<f4", nH, nIn);
        load("grad_w2", "<f4", nOut, nH);
        if (cfg.delayMode != DelayMode.INT) {
            load("grad_d1", "<f4", nH, nIn);
            load("grad_d2", "<f4", nOut, nH);
        }
        if (cfg.batchNorm) {
            load("bn_gamma", "<f4", nH);
            load("bn_beta", "<f4", nH);
            load("grad_bn_gamma", "<f4", nH);
            load("grad_bn_beta", "<f4", nH);
        }
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
