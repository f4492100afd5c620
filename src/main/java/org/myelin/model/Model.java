package org.myelin.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.myelin.io.Container;
import org.myelin.io.Json;
import org.myelin.kernel.CsrSynapses;
import org.myelin.kernel.DelayMode;
import org.myelin.kernel.NetConfig;
import org.myelin.kernel.Readout;

/**
 * A network's parameters as saved to and loaded from a {@code .myelin} model file: the
 * configuration, both synapse layers in CSR form (with the stored delay of every pair) and the
 * batch-norm parameters with running statistics. The evaluation command, the analysis and the
 * inference engine all load this.
 *
 * <p>File: a {@link Container} of kind 'M'. Header keys: {@code config} (the {@link NetConfig}
 * fields), {@code meta} (free-form training information). Arrays: {@code l1.rowPtr},
 * {@code l1.targets}, {@code l1.weights}, {@code l1.delays}, {@code l1.pairDelays} and the same for
 * {@code l2}; {@code bn.gamma}, {@code bn.beta}, {@code bn.mean}, {@code bn.var} when batch norm
 * is on; {@code l1.learntDelays} and {@code l2.learntDelays} (optional: the real-valued delays
 * training ended with, one per synapse in the order of {@code l1.delays}, which holds them rounded
 * to the integers the model runs with). docs/FORMAT.md describes the file byte by byte.
 * Header key {@code features} with arrays {@code features.mean}, {@code features.std}: the
 * {@link FeatureRecipe} the model was trained with (absent in models of precomputed features, the
 * built-in task, or written before recipes existed: see {@link #legacyAudio}).
 */
public final class Model {
    /**
     * The model format this build writes (header key {@code model_version}): 2 adds the optional
     * {@link Calibration} in the metadata. Files without the key are version 1 and still load.
     */
    public static final int VERSION = 2;

    public final NetConfig config;
    public final CsrSynapses layer1;
    public final CsrSynapses layer2;
    /** Batch-norm parameters and running statistics (null when batch norm is off). */
    public final float[] bnGamma, bnBeta, bnMean, bnVar;
    /** Free-form metadata (training settings, accuracy, ...). */
    public final Map<String, Object> meta;
    /**
     * The real-valued delays training ended with, one per synapse of {@link #layer1} /
     * {@link #layer2} in their CSR order (as their {@code delays()}, which are these rounded), or
     * null when the model records none (older files, hand-made models).
     */
    public final float[] learntDelays1, learntDelays2;
    /** The front end and normalisation the model was trained with, or null when unknown. */
    public final FeatureRecipe recipe;

    public Model(NetConfig config, CsrSynapses layer1, CsrSynapses layer2, float[] bnGamma, float[] bnBeta, float[] bnMean, float[] bnVar,
                 Map<String, Object> meta) {
        this(config, layer1, layer2, bnGamma, bnBeta, bnMean, bnVar, meta, null, null, null);
    }

    /** As the other constructor, with the learnt real-valued delays of both layers (or nulls). */
    public Model(NetConfig config, CsrSynapses layer1, CsrSynapses layer2, float[] bnGamma, float[] bnBeta, float[] bnMean, float[] bnVar,
                 Map<String, Object> meta, float[] learntDelays1, float[] learntDelays2) {
        this(config, layer1, layer2, bnGamma, bnBeta, bnMean, bnVar, meta, learntDelays1, learntDelays2, null);
    }

    /**
     * As the other constructors, with the feature recipe (or null).
     *
     * @throws IllegalArgumentException when the recipe's Mels or frames disagree with the network's inputs or steps
     */
    public Model(NetConfig config, CsrSynapses layer1, CsrSynapses layer2, float[] bnGamma, float[] bnBeta, float[] bnMean, float[] bnVar,
                 Map<String, Object> meta, float[] learntDelays1, float[] learntDelays2, FeatureRecipe recipe) {
        if (learntDelays1 != null && learntDelays1.length != layer1.size()) {
            throw new IllegalArgumentException("layer 1 has " + layer1.size() + " synapses but " + learntDelays1.length + " learnt delays");
        }
        if (learntDelays2 != null && learntDelays2.length != layer2.size()) {
            throw new IllegalArgumentException("layer 2 has " + layer2.size() + " synapses but " + learntDelays2.length + " learnt delays");
        }
        if (recipe != null && (recipe.mels != config.inputs || recipe.frames != config.steps)) {
            throw new IllegalArgumentException("feature recipe makes " + recipe.frames + " frames × " + recipe.mels + " mels but the network takes "
                    + config.steps + " steps × " + config.inputs + " inputs");
        }
        this.learntDelays1 = learntDelays1;
        this.learntDelays2 = learntDelays2;
        this.recipe = recipe;
        this.config = config;
        this.layer1 = layer1;
        this.layer2 = layer2;
        this.bnGamma = bnGamma;
        this.bnBeta = bnBeta;
        this.bnMean = bnMean;
        this.bnVar = bnVar;
        this.meta = meta == null ? Json.object() : meta;
        if (layer1.pre != config.inputs || layer1.post != config.hidden || layer2.pre != config.hidden || layer2.post != config.outputs) {
            throw new IllegalArgumentException("model layers do not match the configuration " + config);
        }
    }

    /** This model with another feature recipe (null: none); the arrays are shared. */
    public Model withRecipe(FeatureRecipe r) {
        return new Model(config, layer1, layer2, bnGamma, bnBeta, bnMean, bnVar, meta, learntDelays1, learntDelays2, r);
    }

    /**
     * True for a model without a recipe that was trained on audio by a version before recipes were
     * stored: 40 inputs, 80 steps and a data source other than the built-in task. Those versions
     * computed the paper's recipe ({@link FeatureRecipe#paper}) at each recording's own sample rate
     * with per-utterance normalisation, which is how such a model is still run.
     */
    public boolean legacyAudio() {
        Object d = meta.get("data");
        return recipe == null && config.inputs == FeatureRecipe.PAPER_MELS && config.steps == FeatureRecipe.PAPER_FRAMES
                && d instanceof String && !((String) d).startsWith("built-in");
    }

    /**
     * A layer's per-synapse values in CSR order picked from a dense post × pre matrix
     * ({@code dense[i * pre + j]} for the synapse from j to i), e.g. the real-valued delays beside
     * the rounded ones.
     */
    public static float[] perSynapse(CsrSynapses l, float[] dense) {
        if (dense.length != l.pre * l.post) throw new IllegalArgumentException("need " + l.pre + " × " + l.post + " values, got " + dense.length);
        int[] rowPtr = l.rowPtr(), targets = l.targets();
        float[] out = new float[l.size()];
        for (int j = 0; j < l.pre; j++) for (int q = rowPtr[j]; q < rowPtr[j + 1]; q++) out[q] = dense[targets[q] * l.pre + j];
        return out;
    }

    /** Configuration as a JSON-ready map. */
    public static Map<String, Object> configToMap(NetConfig c) {
        Map<String, Object> m = Json.object();
        m.put("inputs", c.inputs);
        m.put("hidden", c.hidden);
        m.put("outputs", c.outputs);
        m.put("steps", c.steps);
        m.put("maxDelay", c.maxDelay);
        m.put("delayMode", c.delayMode.id());
        m.put("sigma", (double) c.sigma);
        m.put("tau", (double) c.tau);
        m.put("threshold", (double) c.threshold);
        m.put("alpha", (double) c.alpha);
        m.put("readout", c.readout.id());
        m.put("batchNorm", c.batchNorm);
        m.put("bnEps", (double) c.bnEps);
        m.put("bnMomentum", (double) c.bnMomentum);
        return m;
    }

    /** Parses a configuration map; {@code where} names the file in messages. */
    public static NetConfig configFromMap(Map<String, Object> m, String where) {
        try {
            return NetConfig.builder()
                    .inputs(Json.number(m, "inputs").intValue()).hidden(Json.number(m, "hidden").intValue()).outputs(Json.number(m, "outputs").intValue())
                    .steps(Json.number(m, "steps").intValue()).maxDelay(Json.number(m, "maxDelay").intValue())
                    .delayMode(DelayMode.parse(Json.string(m, "delayMode"))).sigma(Json.number(m, "sigma").floatValue())
                    .tau(Json.number(m, "tau").floatValue()).threshold(Json.number(m, "threshold").floatValue()).alpha(Json.number(m, "alpha").floatValue())
                    .readout(Readout.parse(Json.string(m, "readout"))).batchNorm(Boolean.TRUE.equals(m.get("batchNorm")))
                    .bnEps(Json.number(m, "bnEps").floatValue()).bnMomentum(Json.number(m, "bnMomentum").floatValue())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": bad configuration: " + e.getMessage());
        }
    }

    /** Puts this model's arrays and header into a container (shared by model and checkpoint files). */
    public void into(Container c) {
        c.header.put("model_version", VERSION);
        c.header.put("config", configToMap(config));
        c.header.put("meta", meta);
        putLayer(c, "l1", layer1);
        putLayer(c, "l2", layer2);
        if (learntDelays1 != null) c.arrays.put("l1.learntDelays", learntDelays1);
        if (learntDelays2 != null) c.arrays.put("l2.learntDelays", learntDelays2);
        if (config.batchNorm) {
            c.arrays.put("bn.gamma", bnGamma);
            c.arrays.put("bn.beta", bnBeta);
            c.arrays.put("bn.mean", bnMean);
            c.arrays.put("bn.var", bnVar);
        }
        if (recipe != null) {
            c.header.put("features", recipe.toMap());
            if (recipe.normalization == FeatureRecipe.Normalization.GLOBAL) {
                c.arrays.put(FeatureRecipe.STAT_MEAN, recipe.mean());
                c.arrays.put(FeatureRecipe.STAT_STD, recipe.std());
            }
        }
    }

    /**
     * Puts a CSR layer's arrays under {@code p} ({@code p.rowPtr}, {@code p.targets},
     * {@code p.weights}, {@code p.delays}, {@code p.pairDelays}); model and checkpoint files share
     * these names.
     */
    public static void putLayer(Container c, String p, CsrSynapses l) {
        int nnz = l.size();
        c.arrays.put(p + ".rowPtr", l.rowPtr());
        c.arrays.put(p + ".targets", java.util.Arrays.copyOf(l.targets(), nnz));
        c.arrays.put(p + ".weights", java.util.Arrays.copyOf(l.weights(), nnz));
        c.arrays.put(p + ".delays", java.util.Arrays.copyOf(l.delays(), nnz));
        c.arrays.put(p + ".pairDelays", l.pairDelays() != null ? l.pairDelays() : l.denseDelays());
    }

    /** Rebuilds a model from a container read from {@code file}. */
    @SuppressWarnings("unchecked")
    public static Model from(Container c, Path file) {
        Object version = c.header.get("model_version");
        if (version != null && (!(version instanceof Number) || ((Number) version).intValue() < 1 || ((Number) version).intValue() > VERSION)) {
            throw new IllegalArgumentException(file + ": model format version " + version + " is not supported (this build reads 1 .. " + VERSION + ")");
        }
        Object cm = c.header.get("config");
        if (!(cm instanceof Map)) throw new IllegalArgumentException(file + ": missing configuration");
        NetConfig cfg = configFromMap((Map<String, Object>) cm, file.toString());
        CsrSynapses l1 = readLayer(c, "l1", cfg.inputs, cfg.hidden, cfg.maxDelay, file);
        CsrSynapses l2 = readLayer(c, "l2", cfg.hidden, cfg.outputs, cfg.maxDelay, file);
        float[] g = null, b = null, mu = null, var = null;
        if (cfg.batchNorm) {
            g = c.floats("bn.gamma", cfg.hidden, file);
            b = c.floats("bn.beta", cfg.hidden, file);
            mu = c.floats("bn.mean", cfg.hidden, file);
            var = c.floats("bn.var", cfg.hidden, file);
            for (int h = 0; h < cfg.hidden; h++) {
                if (!(var[h] >= 0) || !Float.isFinite(g[h]) || !Float.isFinite(b[h]) || !Float.isFinite(mu[h])) {
                    throw new IllegalArgumentException(file + ": batch-norm values of hidden neuron " + h + " are invalid");
                }
            }
        }
        Object meta = c.header.get("meta");
        float[] ld1 = c.arrays.containsKey("l1.learntDelays") ? c.floats("l1.learntDelays", l1.size(), file) : null;
        float[] ld2 = c.arrays.containsKey("l2.learntDelays") ? c.floats("l2.learntDelays", l2.size(), file) : null;
        for (float[] ld : new float[][] {ld1, ld2}) {
            if (ld == null) continue;
            for (float d : ld) {
                if (!(d >= 0 && d <= cfg.maxDelay)) throw new IllegalArgumentException(file + ": a learnt delay " + d + " outside [0, " + cfg.maxDelay + "]");
            }
        }
        FeatureRecipe recipe = null;
        Object fm = c.header.get("features");
        if (fm != null) {
            if (!(fm instanceof Map)) throw new IllegalArgumentException(file + ": feature recipe is not an object");
            boolean global = "global".equals(((Map<?, ?>) fm).get("normalize"));
            recipe = FeatureRecipe.fromMap((Map<?, ?>) fm, global ? c.floats(FeatureRecipe.STAT_MEAN, cfg.inputs, file) : null,
                    global ? c.floats(FeatureRecipe.STAT_STD, cfg.inputs, file) : null, file.toString());
        }
        if (meta instanceof Map) Calibration.fromMeta((Map<String, Object>) meta, file.toString());
        try {
            return new Model(cfg, l1, l2, g, b, mu, var, meta instanceof Map ? (Map<String, Object>) meta : null, ld1, ld2, recipe);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** Reads the layer {@link #putLayer} wrote under {@code p}, checking every invariant; messages name {@code file}. */
    public static CsrSynapses readLayer(Container c, String p, int pre, int post, int maxDelay, Path file) {
        int[] rowPtr = c.ints(p + ".rowPtr", pre + 1, file);
        int nnz = rowPtr[pre];
        try {
            return CsrSynapses.of(pre, post, maxDelay, rowPtr, c.ints(p + ".targets", nnz, file), c.floats(p + ".weights", nnz, file),
                    c.floats(p + ".delays", nnz, file), c.floats(p + ".pairDelays", post * pre, file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file.toString().equals(e.getMessage()) ? e.getMessage() : file + ": layer " + p + ": " + e.getMessage());
        }
    }

    /** Saves atomically as a model file. */
    public void save(Path file) throws IOException {
        Container c = new Container();
        into(c);
        c.write(file, 'M');
    }

    /** Loads and verifies a model file. */
    public static Model load(Path file) throws IOException {
        return from(Container.read(file, 'M'), file);
    }
}
