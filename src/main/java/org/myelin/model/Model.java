package org.myelin.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.myelin.io.Container;
import org.myelin.io.Json;
import org.myelin.network.CsrSynapses;
import org.myelin.network.DelayMode;
import org.myelin.network.NetConfig;
import org.myelin.network.Readout;

/**
 * A network's parameters as saved to and loaded from a {@code .myelin} model file: the
 * configuration, every synapse layer in CSR form (with the stored delay of every pair) and each
 * hidden layer's batch-norm parameters with running statistics. The evaluation command, the
 * analysis and the inference engine all load this.
 *
 * <p>File: a {@link Container} of kind 'M'. Header keys: {@code model_version} ({@value #VERSION};
 * absent in files of version 1, which hold one hidden layer), {@code config} (the
 * {@link NetConfig} fields; {@code hidden} a number for one hidden layer, the list of widths for
 * more), {@code meta} (free-form training information). Arrays: synapse layer k = 1 … L + 1
 * (layer k − 1 → layer k; L + 1 the readout) under {@code lk}: {@code lk.rowPtr},
 * {@code lk.targets}, {@code lk.weights}, {@code lk.delays}, {@code lk.pairDelays}, and optional
 * {@code lk.learntDelays} (the real-valued delays training ended with, one per synapse in the
 * order of {@code lk.delays}, which holds them rounded to the integers the model runs with); per
 * hidden layer with batch norm on, {@code bn.gamma}, {@code bn.beta}, {@code bn.mean},
 * {@code bn.var} for one hidden layer and {@code bnk.gamma} … for hidden layer k of several
 * ({@link #normName}). docs/FORMAT.md describes the file byte by byte.
 * Header key {@code features} with arrays {@code features.mean}, {@code features.std}: the
 * {@link FeatureRecipe} the model was trained with (absent in models of precomputed features, the
 * built-in task, or written before recipes existed: see {@link #legacyAudio}).
 */
public final class Model {
    /**
     * The model format this build writes (header key {@code model_version}). Version 2 holds the
     * list of hidden layers (one or more) and the optional {@link Calibration} in the metadata; files
     * without the key are version 1 (one hidden layer, no calibration) and still load.
     */
    public static final int VERSION = 2;

    /** One hidden layer's batch norm: scale, shift, running mean and variance (one value per neuron). */
    public record BatchNorm(float[] gamma, float[] beta, float[] mean, float[] var) {}

    public final NetConfig config;
    /** Synapse layers s = 0 … L in CSR form: s feeds hidden layer s, s = L the readout. */
    public final List<CsrSynapses> layers;
    /** Batch norm of each hidden layer, first to last (empty when batch norm is off). */
    public final List<BatchNorm> norms;
    /** Free-form metadata (training settings, accuracy, ...). */
    public final Map<String, Object> meta;
    /**
     * The real-valued delays training ended with per synapse layer, one per synapse in CSR order
     * (as its {@code delays()}, which are these rounded), an entry null when the model records none
     * (older files, hand-made models).
     */
    public final List<float[]> learntDelays;
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
     * A model of one hidden layer, with the feature recipe (or null).
     *
     * @throws IllegalArgumentException when the recipe's Mels or frames disagree with the network's inputs or steps
     */
    public Model(NetConfig config, CsrSynapses layer1, CsrSynapses layer2, float[] bnGamma, float[] bnBeta, float[] bnMean, float[] bnVar,
                 Map<String, Object> meta, float[] learntDelays1, float[] learntDelays2, FeatureRecipe recipe) {
        this(config, List.of(layer1, layer2), config.batchNorm ? List.of(new BatchNorm(bnGamma, bnBeta, bnMean, bnVar)) : List.of(),
                meta, java.util.Arrays.asList(learntDelays1, learntDelays2), recipe);
    }

    /**
     * A model of any depth.
     *
     * @param layers       synapse layers 0 … L (L = {@code config.depth()}; the last is the readout)
     * @param norms        each hidden layer's batch norm (empty when {@code config.batchNorm} is off)
     * @param learntDelays per synapse layer, the learnt real-valued delays or null (the list itself may be null)
     * @throws IllegalArgumentException when a shape disagrees with the configuration, or the recipe's
     *                                  Mels or frames with the network's inputs or steps
     */
    public Model(NetConfig config, List<CsrSynapses> layers, List<BatchNorm> norms, Map<String, Object> meta,
                 List<float[]> learntDelays, FeatureRecipe recipe) {
        int L = config.depth();
        if (layers.size() != L + 1) throw new IllegalArgumentException("the network has " + (L + 1) + " synapse layers but " + layers.size() + " were given");
        for (int s = 0; s <= L; s++) {
            CsrSynapses l = layers.get(s);
            if (l.pre != config.width(s) || l.post != config.width(s + 1)) {
                throw new IllegalArgumentException("model layer " + (s + 1) + " is " + l.pre + " → " + l.post + ", not as the configuration " + config.shape());
            }
        }
        if (norms.size() != (config.batchNorm ? L : 0)) {
            throw new IllegalArgumentException("the model has " + norms.size() + " batch norms for " + L + " hidden layers (batch norm " + (config.batchNorm ? "on" : "off") + ")");
        }
        for (int k = 0; k < norms.size(); k++) {
            BatchNorm n = norms.get(k);
            for (float[] a : new float[][] {n.gamma(), n.beta(), n.mean(), n.var()}) {
                if (a == null || a.length != config.hidden(k)) throw new IllegalArgumentException("batch norm of hidden layer " + (k + 1) + " needs " + config.hidden(k) + " values per array");
            }
        }
        List<float[]> ld = new ArrayList<>();
        for (int s = 0; s <= L; s++) {
            float[] d = learntDelays == null || s >= learntDelays.size() ? null : learntDelays.get(s);
            if (d != null && d.length != layers.get(s).size()) {
                throw new IllegalArgumentException("layer " + (s + 1) + " has " + layers.get(s).size() + " synapses but " + d.length + " learnt delays");
            }
            ld.add(d);
        }
        if (recipe != null && (recipe.mels != config.inputs || recipe.frames != config.steps)) {
            throw new IllegalArgumentException("feature recipe makes " + recipe.frames + " frames × " + recipe.mels + " mels but the network takes "
                    + config.steps + " steps × " + config.inputs + " inputs");
        }
        this.config = config;
        this.layers = List.copyOf(layers);
        this.norms = List.copyOf(norms);
        this.learntDelays = java.util.Collections.unmodifiableList(ld);
        this.recipe = recipe;
        this.meta = meta == null ? Json.object() : meta;
        Object names = this.meta.get(CLASS_NAMES);
        if (names != null) {
            if (!(names instanceof List)) throw new IllegalArgumentException("meta." + CLASS_NAMES + " is not a list");
            for (Object n : (List<?>) names) if (!(n instanceof String)) throw new IllegalArgumentException("meta." + CLASS_NAMES + " holds a non-string");
            @SuppressWarnings("unchecked")
            List<String> list = (List<String>) names;
            checkClassNames(list, config.outputs, "meta." + CLASS_NAMES);
        }
    }

    /** The readout's synapses (the last of {@link #layers}). */
    public CsrSynapses readout() {
        return layers.get(layers.size() - 1);
    }

    /** The file name prefix of synapse layer s (0-based): {@code l1} … {@code l(L+1)}. */
    public static String layerName(int s) {
        return "l" + (s + 1);
    }

    /** The file name prefix of hidden layer k's batch norm (0-based): {@code bn} in a network of one hidden layer, else {@code bn1} … {@code bnL}. */
    public static String normName(int k, int depth) {
        return depth == 1 ? "bn" : "bn" + (k + 1);
    }

    /** The class name of "none of the keywords" (generated non-keywords, Speech Commands' other words). */
    public static final String UNKNOWN_CLASS = "_unknown_";
    /** The class name of silence and background noise (Speech Commands' 12-class task). */
    public static final String SILENCE_CLASS = "_silence_";

    /**
     * Whether a class name says "none of these" ({@link #UNKNOWN_CLASS}, {@link #SILENCE_CLASS}): a
     * prediction of such a class is a rejected segment, never a word.
     */
    public static boolean isRejectionClass(String className) {
        return UNKNOWN_CLASS.equals(className) || SILENCE_CLASS.equals(className);
    }

    /** The metadata key of the class names: a list of strings, index = class. */
    public static final String CLASS_NAMES = "class_names";

    /**
     * The name of each class as the training data named it ("seven", "yes", "_silence_"), index =
     * class; a model whose data named no classes (the built-in task, bare features) calls each by
     * its number ("0", "1", ...).
     */
    public List<String> classNames() {
        Object o = meta.get(CLASS_NAMES);
        List<String> names = new java.util.ArrayList<>(config.outputs);
        if (o instanceof List) {
            for (Object n : (List<?>) o) names.add((String) n); // checked at load and construction
        } else {
            for (int k = 0; k < config.outputs; k++) names.add(String.valueOf(k));
        }
        return java.util.Collections.unmodifiableList(names);
    }

    /**
     * Checks a list of class names against a class count: one non-empty name per class, no two the
     * same, no line breaks.
     *
     * @param where names the file or data source in the message
     * @throws IllegalArgumentException naming {@code where} and the fault
     */
    public static void checkClassNames(List<String> names, int classes, String where) {
        if (names == null) return;
        if (names.size() != classes) throw new IllegalArgumentException(where + ": " + names.size() + " class names for " + classes + " classes");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int k = 0; k < names.size(); k++) {
            String n = names.get(k);
            if (n == null || n.isBlank() || n.indexOf('\n') >= 0 || n.indexOf('\r') >= 0) {
                throw new IllegalArgumentException(where + ": class " + k + " has no usable name");
            }
            if (!seen.add(n)) throw new IllegalArgumentException(where + ": class name '" + n + "' is given twice");
        }
    }

    /** This model with another feature recipe (null: none); the arrays are shared. */
    public Model withRecipe(FeatureRecipe r) {
        return new Model(config, layers, norms, meta, learntDelays, r);
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
        if (c.depth() == 1) {
            m.put("hidden", c.hidden(0));
        } else {
            List<Object> h = new ArrayList<>();
            for (int w : c.hiddenSizes()) h.add(w);
            m.put("hidden", h);
        }
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
                    .inputs(Json.number(m, "inputs").intValue()).hidden(hiddenFromJson(m.get("hidden"))).outputs(Json.number(m, "outputs").intValue())
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

    /**
     * The hidden widths of a configuration map: a number (one layer) or a list of numbers.
     *
     * @throws IllegalArgumentException naming the key when it is neither
     */
    public static int[] hiddenFromJson(Object v) {
        if (v instanceof Number) return new int[] {((Number) v).intValue()};
        if (v instanceof List && !((List<?>) v).isEmpty()) {
            List<?> l = (List<?>) v;
            int[] w = new int[l.size()];
            for (int k = 0; k < w.length; k++) {
                if (!(l.get(k) instanceof Number)) throw new IllegalArgumentException("hidden: expected a list of widths, got " + v);
                w[k] = ((Number) l.get(k)).intValue();
            }
            return w;
        }
        throw new IllegalArgumentException("hidden: expected a width or a list of widths, got " + v);
    }

    /** Puts this model's arrays and header into a container (shared by model and checkpoint files). */
    public void into(Container c) {
        c.header.put("model_version", VERSION);
        c.header.put("config", configToMap(config));
        c.header.put("meta", meta);
        int L = config.depth();
        for (int s = 0; s <= L; s++) {
            putLayer(c, layerName(s), layers.get(s));
            if (learntDelays.get(s) != null) c.arrays.put(layerName(s) + ".learntDelays", learntDelays.get(s));
        }
        for (int k = 0; k < norms.size(); k++) {
            String p = normName(k, L);
            BatchNorm n = norms.get(k);
            c.arrays.put(p + ".gamma", n.gamma());
            c.arrays.put(p + ".beta", n.beta());
            c.arrays.put(p + ".mean", n.mean());
            c.arrays.put(p + ".var", n.var());
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
    public static Model from(Container c, Path file) {
        return from(c, file.toString());
    }

    /**
     * Rebuilds a model from a container; {@code file} names its source (a file, a stream) in messages.
     *
     * @throws IllegalArgumentException naming the source when the model is invalid or of a newer format
     */
    @SuppressWarnings("unchecked")
    public static Model from(Container c, String file) {
        Object cm = c.header.get("config");
        if (!(cm instanceof Map)) throw new IllegalArgumentException(file + ": missing configuration");
        Object version = c.header.get("model_version");
        if (version != null && (!(version instanceof Number) || ((Number) version).intValue() < 2 || ((Number) version).intValue() > VERSION)) {
            boolean newer = version instanceof Number && ((Number) version).intValue() > VERSION;
            throw new IllegalArgumentException(file + ": model format version " + version + " is not supported" + (newer ? ", it was written by a newer Myelin" : "")
                    + " (this build reads versions 1 to " + VERSION + ")");
        }
        NetConfig cfg = configFromMap((Map<String, Object>) cm, file);
        int L = cfg.depth();
        if (version == null && L != 1) throw new IllegalArgumentException(file + ": a model file of version 1 holds one hidden layer, its configuration has " + L);
        List<CsrSynapses> layers = new ArrayList<>();
        List<float[]> learnt = new ArrayList<>();
        for (int s = 0; s <= L; s++) {
            String p = layerName(s);
            CsrSynapses l = readLayer(c, p, cfg.width(s), cfg.width(s + 1), cfg.maxDelay, file);
            float[] ld = c.arrays.containsKey(p + ".learntDelays") ? c.floats(p + ".learntDelays", l.size(), file) : null;
            if (ld != null) {
                for (float d : ld) {
                    if (!(d >= 0 && d <= cfg.maxDelay)) throw new IllegalArgumentException(file + ": a learnt delay " + d + " outside [0, " + cfg.maxDelay + "]");
                }
            }
            layers.add(l);
            learnt.add(ld);
        }
        if (c.arrays.containsKey(layerName(L + 1) + ".rowPtr")) {
            throw new IllegalArgumentException(file + ": the file has a synapse layer " + (L + 2) + " but its configuration " + cfg.shape() + " has " + (L + 1));
        }
        List<BatchNorm> norms = new ArrayList<>();
        for (int k = 0; cfg.batchNorm && k < L; k++) {
            String p = normName(k, L);
            int n = cfg.hidden(k);
            float[] g = c.floats(p + ".gamma", n, file), b = c.floats(p + ".beta", n, file);
            float[] mu = c.floats(p + ".mean", n, file), var = c.floats(p + ".var", n, file);
            for (int h = 0; h < n; h++) {
                if (!(var[h] >= 0) || !Float.isFinite(g[h]) || !Float.isFinite(b[h]) || !Float.isFinite(mu[h])) {
                    throw new IllegalArgumentException(file + ": batch-norm values of hidden neuron " + h + (L == 1 ? "" : " of layer " + (k + 1)) + " are invalid");
                }
            }
            norms.add(new BatchNorm(g, b, mu, var));
        }
        Object meta = c.header.get("meta");
        FeatureRecipe recipe = null;
        Object fm = c.header.get("features");
        if (fm != null) {
            if (!(fm instanceof Map)) throw new IllegalArgumentException(file + ": feature recipe is not an object");
            boolean global = "global".equals(((Map<?, ?>) fm).get("normalize"));
            recipe = FeatureRecipe.fromMap((Map<?, ?>) fm, global ? c.floats(FeatureRecipe.STAT_MEAN, cfg.inputs, file) : null,
                    global ? c.floats(FeatureRecipe.STAT_STD, cfg.inputs, file) : null, file);
        }
        if (meta instanceof Map) Calibration.fromMeta((Map<String, Object>) meta, file);
        try {
            return new Model(cfg, layers, norms, meta instanceof Map ? (Map<String, Object>) meta : null, learnt, recipe);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** Reads the layer {@link #putLayer} wrote under {@code p}, checking every invariant; messages name {@code file}. */
    public static CsrSynapses readLayer(Container c, String p, int pre, int post, int maxDelay, Path file) {
        return readLayer(c, p, pre, post, maxDelay, file.toString());
    }

    /** As {@link #readLayer(Container, String, int, int, int, Path)}; {@code file} names the source. */
    public static CsrSynapses readLayer(Container c, String p, int pre, int post, int maxDelay, String file) {
        int[] rowPtr = c.ints(p + ".rowPtr", pre + 1, file);
        int nnz = rowPtr[pre];
        try {
            return CsrSynapses.of(pre, post, maxDelay, rowPtr, c.ints(p + ".targets", nnz, file), c.floats(p + ".weights", nnz, file),
                    c.floats(p + ".delays", nnz, file), c.floats(p + ".pairDelays", post * pre, file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file.equals(e.getMessage()) ? e.getMessage() : file + ": layer " + p + ": " + e.getMessage());
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

    /**
     * Verifies and parses a model file's bytes (e.g. read from a stream); {@code source} names them
     * in messages.
     *
     * @throws IllegalArgumentException naming the source when the bytes are not a valid model
     */
    public static Model parse(byte[] bytes, String source) {
        return from(Container.parse(bytes, source, 'M'), source);
    }
}
