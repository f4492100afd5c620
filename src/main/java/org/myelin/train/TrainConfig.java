package org.myelin.train;

import java.util.Map;
import org.myelin.io.Json;
import org.myelin.kernel.NetConfig;
import org.myelin.model.Model;

/**
 * Every setting of a training run. Defaults are the authors' RawHD configuration (MODEL.md):
 * batch 256, Adam with OneCycle (max lr 5e-3, 30 % warm-up, β1 0.85–0.95) for weights, Adam with
 * lr 0.1 and cosine annealing for delays, dropout 0.4, σ schedule on, 150 epochs.
 */
public final class TrainConfig {
    public NetConfig net = NetConfig.builder().build();
    public int epochs = 150;
    public int batch = 256;
    public long seed = 1;
    public int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    public double maxLr = 5e-3;
    public double pctStart = 0.3;
    public double beta1Base = 0.85, beta1Max = 0.95;
    public double delayLr = 0.1;
    public double dropout = 0.4;
    public double inputScale = 1.0;
    public boolean learnDelays = true;
    public boolean sigmaSchedule = true;
    /** Fraction of absent pairs per layer, 0 = dense. */
    public double sparsity = 0;
    /** {@code fixed}, {@code deepr} or {@code rigl}. */
    public String structure = "fixed";
    public boolean dale = true;
    public double l1 = 0.01;
    /** RigL regrowth interval in steps (1 = every step, the paper's). */
    public int regrowEvery = 1;
    /** {@code auto}, {@code csr} or {@code dense}. */
    public String kernel = "auto";
    /** Feature normalisation, {@code utterance} (the paper's) or {@code global} (see model.FeatureRecipe). */
    public String normalize = "utterance";

    public Map<String, Object> toMap() {
        Map<String, Object> m = Json.object();
        m.put("net", Model.configToMap(net));
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("seed", seed);
        m.put("threads", threads);
        m.put("max_lr", maxLr);
        m.put("pct_start", pctStart);
        m.put("beta1_base", beta1Base);
        m.put("beta1_max", beta1Max);
        m.put("delay_lr", delayLr);
        m.put("dropout", dropout);
        m.put("input_scale", inputScale);
        m.put("learn_delays", learnDelays);
        m.put("sigma_schedule", sigmaSchedule);
        m.put("sparsity", sparsity);
        m.put("structure", structure);
        m.put("dale", dale);
        m.put("l1", l1);
        m.put("regrow_every", regrowEvery);
        m.put("kernel", kernel);
        m.put("normalize", normalize);
        return m;
    }

    @SuppressWarnings("unchecked")
    public static TrainConfig fromMap(Map<String, Object> m, String where) {
        TrainConfig c = new TrainConfig();
        try {
            c.net = Model.configFromMap((Map<String, Object>) m.get("net"), where);
            c.epochs = num(m, "epochs").intValue();
            c.batch = num(m, "batch").intValue();
            c.seed = num(m, "seed").longValue();
            c.threads = num(m, "threads").intValue();
            c.maxLr = num(m, "max_lr").doubleValue();
            c.pctStart = num(m, "pct_start").doubleValue();
            c.beta1Base = num(m, "beta1_base").doubleValue();
            c.beta1Max = num(m, "beta1_max").doubleValue();
            c.delayLr = num(m, "delay_lr").doubleValue();
            c.dropout = num(m, "dropout").doubleValue();
            c.inputScale = num(m, "input_scale").doubleValue();
            c.learnDelays = Boolean.TRUE.equals(m.get("learn_delays"));
            c.sigmaSchedule = Boolean.TRUE.equals(m.get("sigma_schedule"));
            c.sparsity = num(m, "sparsity").doubleValue();
            c.structure = (String) m.get("structure");
            c.dale = Boolean.TRUE.equals(m.get("dale"));
            c.l1 = num(m, "l1").doubleValue();
            c.regrowEvery = num(m, "regrow_every").intValue();
            c.kernel = (String) m.get("kernel");
            if (m.get("normalize") != null) c.normalize = (String) m.get("normalize");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": bad training configuration (" + e.getMessage() + ")");
        }
        c.validate();
        return c;
    }

    private static Number num(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof Number)) throw new IllegalArgumentException("'" + k + "' missing");
        return (Number) v;
    }

    /** Checks every value; throws IllegalArgumentException naming the setting. */
    public void validate() {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        if (!(maxLr > 0)) throw new IllegalArgumentException("--max-lr must be positive");
        if (!(pctStart > 0 && pctStart < 1)) throw new IllegalArgumentException("--pct-start must be in (0, 1)");
        if (!(delayLr >= 0)) throw new IllegalArgumentException("--delay-lr must be ≥ 0");
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        if (!(sparsity >= 0 && sparsity < 1)) throw new IllegalArgumentException("--sparsity must be in [0, 1), got " + sparsity);
        if (!structure.equals("fixed") && !structure.equals("deepr") && !structure.equals("rigl")) {
            throw new IllegalArgumentException("--structure must be fixed, deepr or rigl, got '" + structure + "'");
        }
        if (!kernel.equals("auto") && !kernel.equals("csr") && !kernel.equals("dense")) {
            throw new IllegalArgumentException("--kernel must be auto, csr or dense, got '" + kernel + "'");
        }
        if (!normalize.equals("utterance") && !normalize.equals("global")) {
            throw new IllegalArgumentException("--normalize must be utterance or global, got '" + normalize + "'");
        }
        if (!(l1 >= 0)) throw new IllegalArgumentException("--l1 must be ≥ 0");
        if (regrowEvery < 1) throw new IllegalArgumentException("--regrow-every must be at least 1");
        if (!structure.equals("fixed") && sparsity <= 0) {
            throw new IllegalArgumentException("--structure " + structure + " needs --sparsity > 0 (a fixed budget of synapses)");
        }
    }
}
