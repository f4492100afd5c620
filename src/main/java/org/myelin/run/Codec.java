package org.myelin.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.myelin.data.Dataset;
import org.myelin.io.AtomicFiles;
import org.myelin.io.Container;
import org.myelin.io.Json;
import org.myelin.network.DelayMode;
import org.myelin.network.Readout;
import org.myelin.model.Model;
import org.myelin.train.EpochRecord;
import org.myelin.train.KernelChoice;
import org.myelin.train.StructureKind;
import org.myelin.train.Augment;
import org.myelin.train.TrainConfig;
import org.myelin.train.Trainer;

/**
 * The one reader and writer of what runs leave behind: run specifications (JSON objects), reports
 * ({@code report.json}), checkpoints and models ({@link Container} files whose JSON header holds
 * the specification). Every reader names the file and the field when something is wrong
 * ({@link IllegalArgumentException}, or {@link NoSuchFileException} for a missing file).
 *
 * <p>A specification's JSON form: {@code data} ({@code dir}, {@code format}, {@code skip_bad},
 * {@code seed}, {@code train_size}, {@code test_size}), {@code network} ({@code hidden},
 * {@code max_delay}, {@code delay_mode}, {@code sigma}, {@code tau}, {@code threshold},
 * {@code alpha}, {@code readout}, {@code batch_norm}), {@code training} (the {@link TrainConfig}
 * settings in snake case: {@code epochs}, {@code batch}, {@code seed}, {@code max_lr}, ...,
 * {@code structure}, {@code kernel}) and {@code outputs} ({@code model}, {@code report},
 * {@code checkpoint}, {@code initial}; null when absent).
 *
 * <p>A checkpoint ({@code 'C'} container, {@value #CHECKPOINT_VERSION} in header key
 * {@code checkpoint_version}) holds {@code spec} (paths absolute), {@code data_fingerprint} and the
 * trainer's state ({@link Trainer#writeState}). A model ({@code 'M'}) is {@link Model}'s file; its
 * {@code meta} holds {@code spec}, {@code train} (the effective configuration), {@code data},
 * {@code state} and, once trained, {@code test_accuracy}.
 */
public final class Codec {
    /** Version of the checkpoint header layout (1: before the run specification was stored). */
    public static final int CHECKPOINT_VERSION = 2;

    private Codec() {}

    // ---------------------------------------------------------------- specifications

    public static Map<String, Object> specToMap(RunSpec s) {
        Map<String, Object> m = Json.object();
        m.put("data", dataToMap(s.data()));
        m.put("network", networkToMap(s.network()));
        m.put("training", trainingToMap(s.training(), false));
        Map<String, Object> o = Json.object();
        o.put("model", str(s.outputs().model()));
        o.put("report", str(s.outputs().report()));
        o.put("checkpoint", str(s.outputs().checkpoint()));
        o.put("initial", str(s.outputs().initial()));
        m.put("outputs", o);
        return m;
    }

    public static RunSpec specFromMap(Object o, String where) {
        Map<String, Object> m = map(o, where, "run specification");
        Map<String, Object> out = map(m.get("outputs"), where, "outputs");
        try {
            return new RunSpec(dataFromMap(m.get("data"), where), networkFromMap(m.get("network"), where),
                    trainingFromMap(m.get("training"), where), new Outputs(path(out, "model"), path(out, "report"),
                    path(out, "checkpoint"), path(out, "initial")));
        } catch (IllegalArgumentException e) {
            throw prefixed(where, e);
        }
    }

    public static Map<String, Object> dataToMap(DataSpec d) {
        Map<String, Object> m = Json.object();
        m.put("dir", str(d.dir()));
        m.put("format", d.format());
        m.put("skip_bad", d.skipBad());
        m.put("seed", d.seed());
        m.put("train_size", d.trainSize());
        m.put("test_size", d.testSize());
        m.put("split", d.split());
        m.put("cache", str(d.cache()));
        m.put("no_cache", d.noCache());
        m.put("bin_ms", d.binMs());
        m.put("pool", d.pool());
        m.put("spike_steps", d.steps());
        return m;
    }

    public static DataSpec dataFromMap(Object o, String where) {
        Map<String, Object> m = map(o, where, "data");
        Object format = m.get("format");
        Object split = m.get("split"); // absent before the split rule was recorded: the dataset's own
        return new DataSpec(path(m, "dir"), format == null ? null : Json.string(m, "format"), Json.bool(m, "skip_bad"),
                Json.number(m, "seed").longValue(), Json.number(m, "train_size").intValue(), Json.number(m, "test_size").intValue(),
                split == null ? null : Json.string(m, "split"), m.get("cache") == null ? null : path(m, "cache"),
                Boolean.TRUE.equals(m.get("no_cache")),
                // absent before the spiking datasets: their defaults
                m.get("bin_ms") == null ? DataSpec.DEFAULT_BIN_MS : Json.number(m, "bin_ms").doubleValue(),
                m.get("pool") == null ? DataSpec.DEFAULT_POOL : Json.number(m, "pool").intValue(),
                m.get("spike_steps") == null ? 0 : Json.number(m, "spike_steps").intValue());
    }

    public static Map<String, Object> networkToMap(NetworkSpec n) {
        Map<String, Object> m = Json.object();
        // one layer: a number, as before there were lists
        m.put("hidden", n.hidden().size() == 1 ? (Object) n.hidden().get(0) : new java.util.ArrayList<Object>(n.hidden()));
        m.put("max_delay", n.maxDelay());
        m.put("delay_mode", n.delayMode().id());
        m.put("sigma", (double) n.sigma());
        m.put("tau", (double) n.tau());
        m.put("threshold", (double) n.threshold());
        m.put("alpha", (double) n.alpha());
        m.put("readout", n.readout().id());
        m.put("batch_norm", n.batchNorm());
        return m;
    }

    public static NetworkSpec networkFromMap(Object o, String where) {
        Map<String, Object> m = map(o, where, "network");
        List<Integer> hidden = new java.util.ArrayList<>();
        try {
            for (int w : Model.hiddenFromJson(m.get("hidden"))) hidden.add(w);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": network " + e.getMessage());
        }
        return new NetworkSpec(hidden, Json.number(m, "max_delay").intValue(), DelayMode.parse(Json.string(m, "delay_mode")),
                Json.number(m, "sigma").floatValue(), Json.number(m, "tau").floatValue(), Json.number(m, "threshold").floatValue(),
                Json.number(m, "alpha").floatValue(), Readout.parse(Json.string(m, "readout")), Json.bool(m, "batch_norm"));
    }

    /**
     * A training configuration's JSON form; with {@code full} also {@code net} (the model file's
     * configuration map) and {@code threads} — the form of report.json's {@code config} and a
     * model's {@code meta.train}.
     */
    public static Map<String, Object> trainingToMap(TrainConfig c, boolean full) {
        Map<String, Object> m = Json.object();
        if (full) m.put("net", Model.configToMap(c.net));
        m.put("epochs", c.epochs);
        m.put("batch", c.batch);
        m.put("seed", c.seed);
        if (full) m.put("threads", c.threads);
        m.put("max_lr", c.maxLr);
        m.put("pct_start", c.pctStart);
        m.put("beta1_base", c.beta1Base);
        m.put("beta1_max", c.beta1Max);
        m.put("delay_lr", c.delayLr);
        m.put("dropout", c.dropout);
        m.put("input_scale", c.inputScale);
        m.put("learn_delays", c.learnDelays);
        m.put("sigma_schedule", c.sigmaSchedule);
        m.put("sparsity", c.sparsity);
        m.put("structure", c.structure.id());
        m.put("dale", c.dale);
        m.put("l1", c.l1);
        m.put("l1_always", c.l1Always);
        m.put("regrow_every", c.regrowEvery);
        m.put("rigl_candidates", c.riglCandidates);
        m.put("kernel", c.kernel.id());
        m.put("normalize", c.normalize.id());
        if (c.calibrate > 0) m.put("calibrate", c.calibrate); // written only when on, so older files stay as they were
        if (c.reject > 0) { // likewise
            m.put("reject", c.reject);
            m.put("fa_share", c.faShare);
            if (c.rejectDir != null) { // likewise
                m.put("reject_dir", c.rejectDir.toString());
                m.put("fa_target", c.faTarget);
                if (c.rejectDirShare != TrainConfig.DEFAULT_REJECT_DIR_SHARE) m.put("reject_dir_share", c.rejectDirShare); // likewise
            }
        }
        if (Augment.any(c)) { // written only when on, so a run without augmentation writes what it did before
            m.put("aug_shift", c.augShift);
            m.put("aug_blend", c.augBlend);
            m.put("aug_noise", c.augNoise);
            m.put("aug_freq_mask", c.augFreqMask);
            m.put("aug_time_mask", c.augTimeMask);
            // the spike augmentations: written only when on, so the others' files stay as they were
            if (c.augChannelShift > 0) m.put("aug_channel_shift", c.augChannelShift);
            if (c.augCutmix > 0) m.put("aug_cutmix", c.augCutmix);
            if (c.augThin > 0) m.put("aug_thin", c.augThin);
            if (c.augSnr != null) { // written only when on, so the other augmentations' files stay as they were
                m.put("aug_snr", c.augSnr.id());
                m.put("aug_snr_prob", c.augSnrProb);
                if (c.augLead > 0) m.put("aug_lead", c.augLead);
                m.put("aug_noise_dir", c.augNoiseDir == null ? null : c.augNoiseDir.toString());
            }
        }
        return m;
    }

    /** Reads {@link #trainingToMap}'s form (with or without {@code net} and {@code threads}). */
    @SuppressWarnings("unchecked")
    public static TrainConfig trainingFromMap(Object o, String where) {
        Map<String, Object> m = map(o, where, "training configuration");
        TrainConfig c = new TrainConfig();
        try {
            if (m.get("net") != null) c.net = Model.configFromMap(map(m.get("net"), where, "net"), where);
            if (m.get("threads") != null) c.threads = Json.number(m, "threads").intValue();
            c.epochs = Json.number(m, "epochs").intValue();
            c.batch = Json.number(m, "batch").intValue();
            c.seed = Json.number(m, "seed").longValue();
            c.maxLr = Json.number(m, "max_lr").doubleValue();
            c.pctStart = Json.number(m, "pct_start").doubleValue();
            c.beta1Base = Json.number(m, "beta1_base").doubleValue();
            c.beta1Max = Json.number(m, "beta1_max").doubleValue();
            c.delayLr = Json.number(m, "delay_lr").doubleValue();
            c.dropout = Json.number(m, "dropout").doubleValue();
            c.inputScale = Json.number(m, "input_scale").doubleValue();
            c.learnDelays = Json.bool(m, "learn_delays");
            c.sigmaSchedule = Json.bool(m, "sigma_schedule");
            c.sparsity = Json.number(m, "sparsity").doubleValue();
            c.structure = StructureKind.parse(Json.string(m, "structure"));
            c.dale = Json.bool(m, "dale");
            c.l1 = Json.number(m, "l1").doubleValue();
            if (m.get("l1_always") != null) c.l1Always = Json.bool(m, "l1_always"); // absent before it existed (= off)
            c.regrowEvery = Json.number(m, "regrow_every").intValue();
            c.riglCandidates = m.get("rigl_candidates") != null ? Json.number(m, "rigl_candidates").intValue() : 0;
            c.kernel = KernelChoice.parse(Json.string(m, "kernel"));
            if (m.get("normalize") != null) c.normalize = org.myelin.model.FeatureRecipe.Normalization.parse(Json.string(m, "normalize"));
            if (m.get("calibrate") != null) c.calibrate = Json.number(m, "calibrate").doubleValue();
            if (m.get("reject") != null) c.reject = Json.number(m, "reject").doubleValue();
            if (m.get("fa_share") != null) c.faShare = Json.number(m, "fa_share").doubleValue();
            if (m.get("reject_dir") != null) c.rejectDir = Path.of(Json.string(m, "reject_dir"));
            if (m.get("fa_target") != null) c.faTarget = Json.number(m, "fa_target").doubleValue();
            if (m.get("reject_dir_share") != null) c.rejectDirShare = Json.number(m, "reject_dir_share").doubleValue();
            // augmentation: absent in files written before it existed (= off)
            if (m.get("aug_shift") != null) c.augShift = Json.number(m, "aug_shift").intValue();
            if (m.get("aug_blend") != null) c.augBlend = Json.number(m, "aug_blend").doubleValue();
            if (m.get("aug_noise") != null) c.augNoise = Json.number(m, "aug_noise").doubleValue();
            if (m.get("aug_freq_mask") != null) c.augFreqMask = Json.number(m, "aug_freq_mask").intValue();
            if (m.get("aug_time_mask") != null) c.augTimeMask = Json.number(m, "aug_time_mask").intValue();
            if (m.get("aug_channel_shift") != null) c.augChannelShift = Json.number(m, "aug_channel_shift").intValue();
            if (m.get("aug_cutmix") != null) c.augCutmix = Json.number(m, "aug_cutmix").doubleValue();
            if (m.get("aug_thin") != null) c.augThin = Json.number(m, "aug_thin").doubleValue();
            if (m.get("aug_snr") != null) c.augSnr = org.myelin.train.SnrRange.parse(Json.string(m, "aug_snr"));
            if (m.get("aug_lead") != null) c.augLead = Json.number(m, "aug_lead").intValue();
            if (m.get("aug_snr_prob") != null) c.augSnrProb = Json.number(m, "aug_snr_prob").doubleValue();
            if (m.get("aug_noise_dir") != null) c.augNoiseDir = Path.of(Json.string(m, "aug_noise_dir"));
            c.validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": bad training configuration (" + e.getMessage() + ")");
        }
        return c;
    }

    // ---------------------------------------------------------------- reports

    /** report.json: the numbers at the top, then every epoch, the configuration and the specification. */
    public static Map<String, Object> reportToMap(RunResult r) {
        Map<String, Object> m = Json.object();
        m.put("train_samples", r.trainSamples());
        m.put("valid_samples", r.validSamples());
        m.put("test_samples", r.testSamples());
        m.put("test_accuracy", r.testAccuracy());
        m.put("best_test_accuracy", r.bestTestAccuracy());
        // valid: the best epoch chosen on the validation part, the model that epoch's, the test part scored once;
        // test: no validation part, best_test_accuracy is the best epoch on the test part, the model the last epoch's
        m.put("chosen_on", r.chosenOn());
        m.put("best_epoch", r.bestEpoch());
        m.put("model_epoch", "valid".equals(r.chosenOn()) ? r.bestEpoch() : r.epochs().size());
        List<Object> ep = new ArrayList<>();
        for (EpochRecord e : r.epochs()) ep.add(e.toMap());
        m.put("epochs", ep);
        m.put("train_samples_per_second", r.trainSamplesPerSecond());
        m.put("active_synapses", r.activeSynapses());
        m.put("wall_time_seconds", r.wallSeconds());
        m.put("kernel", r.kernel());
        m.put("kernel_ops", r.kernelOps());
        m.put("data", r.dataSource());
        m.put("data_fingerprint", r.dataFingerprint());
        m.put("model", str(r.spec().outputs().model()));
        m.put("config", trainingToMap(r.config(), true));
        m.put("spec", specToMap(r.spec()));
        List<Object> files = new ArrayList<>();
        for (Path p : r.files()) files.add(p.toString());
        m.put("files", files);
        return m;
    }

    /** A sample count of a report; absent (reports from before the counts) is -1. */
    private static int count(Map<String, Object> m, String key) {
        return m.get(key) == null ? -1 : Json.number(m, key).intValue();
    }

    public static void writeReport(Path file, RunResult r) throws IOException {
        AtomicFiles.writeString(file, Json.write(reportToMap(r)));
    }

    /**
     * Reads a report.json written by {@link #writeReport}.
     *
     * @throws NoSuchFileException when absent
     * @throws IllegalArgumentException naming the file when it is not such a report
     */
    public static RunResult readReport(Path file) throws IOException {
        String where = file.toString();
        Object o = readJson(file);
        Map<String, Object> m = map(o, where, "report");
        List<EpochRecord> epochs = new ArrayList<>();
        Object el = m.get("epochs");
        if (!(el instanceof List)) throw new IllegalArgumentException(where + ": report lacks its epochs");
        for (Object e : (List<?>) el) epochs.add(EpochRecord.fromMap(e, where));
        List<Path> files = new ArrayList<>();
        if (m.get("files") instanceof List) for (Object f : (List<?>) m.get("files")) files.add(Path.of(String.valueOf(f)));
        try {
            Object act = m.get("active_synapses");
            int[] active = new int[act instanceof List ? ((List<?>) act).size() : 0];
            for (int k = 0; k < active.length; k++) active[k] = ((Number) ((List<?>) act).get(k)).intValue();
            return new RunResult(specFromMap(m.get("spec"), where), trainingFromMap(m.get("config"), where), epochs,
                    Json.number(m, "test_accuracy").doubleValue(), Json.number(m, "best_test_accuracy").doubleValue(),
                    Json.number(m, "train_samples_per_second").doubleValue(), active, Json.number(m, "wall_time_seconds").doubleValue(),
                    (String) m.get("kernel"), (String) m.get("kernel_ops"), (String) m.get("data"), (String) m.get("data_fingerprint"), files,
                    count(m, "train_samples"), count(m, "valid_samples"), count(m, "test_samples"),
                    m.get("chosen_on") instanceof String ? (String) m.get("chosen_on") : "test", count(m, "best_epoch"));
        } catch (ClassCastException | IllegalArgumentException e) {
            throw prefixed(where, e);
        }
    }

    /** Parses a JSON file; a missing file is {@link NoSuchFileException}, bad JSON an error naming the file. */
    public static Object readJson(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new IllegalArgumentException(file + ": is a folder, not a JSON file");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": not valid JSON (" + e.getMessage() + ")");
        }
    }

    // ---------------------------------------------------------------- checkpoints

    /** A checkpoint as read: the run's specification, its data fingerprint and the trainer state. */
    public record Checkpoint(Path file, RunSpec spec, String dataFingerprint, int epochsDone, Container container) {}

    /** Writes a checkpoint atomically: the specification (paths absolute), the data fingerprint and the trainer state. */
    public static void writeCheckpoint(Path file, RunSpec spec, String fingerprint, Trainer t) throws IOException {
        Container c = new Container();
        c.header.put("kind", "myelin-checkpoint");
        c.header.put("checkpoint_version", CHECKPOINT_VERSION);
        c.header.put("spec", specToMap(spec.absolute()));
        c.header.put("data_fingerprint", fingerprint);
        t.writeState(c);
        c.write(file, 'C');
    }

    /**
     * Reads and checks a checkpoint.
     *
     * @throws NoSuchFileException when absent
     * @throws IllegalArgumentException naming the file when a folder, damaged, of another version or incomplete
     */
    public static Checkpoint readCheckpoint(Path file) throws IOException {
        Container c = Container.read(file, 'C');
        Object v = c.header.get("checkpoint_version");
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException(file + ": a checkpoint of an older Myelin, without its run specification; it cannot be resumed");
        }
        if (((Number) v).intValue() != CHECKPOINT_VERSION) {
            throw new IllegalArgumentException(file + ": checkpoint version " + v + " is not supported (this build reads version " + CHECKPOINT_VERSION + ")");
        }
        RunSpec spec = specFromMap(c.header.get("spec"), file.toString());
        Object fp = c.header.get("data_fingerprint"), done = c.header.get("epochs_done");
        if (!(fp instanceof String) || !(done instanceof Number)) throw new IllegalArgumentException(file + ": checkpoint lacks its data fingerprint or epoch count");
        return new Checkpoint(file, spec, (String) fp, ((Number) done).intValue(), c);
    }

    // ---------------------------------------------------------------- models

    /** A model's metadata: state ({@code initial} or {@code trained}), data description, the effective configuration, the specification. */
    public static Map<String, Object> modelMeta(RunSpec spec, TrainConfig config, Dataset.Split data, String state) {
        Map<String, Object> m = Json.object();
        m.put("state", state);
        m.put("data", data.source);
        if (data.classNames != null) m.put(Model.CLASS_NAMES, new java.util.ArrayList<Object>(data.classNames));
        m.put("seed", config.seed);
        m.put("train", trainingToMap(config, true));
        m.put("spec", specToMap(spec.absolute()));
        return m;
    }

    public static void writeModel(Path file, Model m) throws IOException {
        m.save(file);
    }

    /**
     * Loads a model file.
     *
     * @throws NoSuchFileException when absent
     * @throws IllegalArgumentException naming the file when it is a folder, damaged or not a model
     */
    public static Model readModel(Path file) throws IOException {
        return Model.load(file);
    }

    /** The specification a model was trained from, or null when it records none (older models). */
    public static RunSpec specOf(Model m, Path file) {
        Object s = m.meta.get("spec");
        return s == null ? null : specFromMap(s, file + " (meta.spec)");
    }

    /** The input multiplier a model was trained with (1 when it records none). */
    public static double inputScale(Model m) {
        Object t = m.meta.get("train");
        if (t instanceof Map) {
            Object s = ((Map<?, ?>) t).get("input_scale");
            if (s instanceof Number) return ((Number) s).doubleValue();
        }
        return 1.0;
    }

    /**
     * The checkpoint of a run about to be continued: null when {@code file} does not exist.
     *
     * @throws IllegalArgumentException naming the file when it is unreadable or of another
     *                                  specification than {@code spec} (continuing it would train that other run)
     */
    public static Checkpoint readCheckpointOf(Path file, RunSpec spec) throws IOException {
        if (!java.nio.file.Files.isRegularFile(file)) return null;
        Checkpoint ck;
        try {
            ck = readCheckpoint(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is unreadable (" + e.getMessage() + ")", e);
        }
        List<String> diff = differences(ck.spec(), spec.absolute());
        if (!diff.isEmpty()) throw new IllegalArgumentException(file + " is from another configuration (" + String.join(", ", diff) + ")");
        return ck;
    }

    /**
     * Where two specifications differ, one entry per field in their JSON form ("training.seed 5,
     * not 1"), paths compared as given.
     */
    public static List<String> differences(RunSpec have, RunSpec want) {
        List<String> out = new ArrayList<>();
        diff("", specToMap(have), specToMap(want), out);
        return out;
    }

    private static void diff(String at, Object a, Object b, List<String> out) {
        if (a instanceof Map && b instanceof Map) {
            Map<?, ?> x = (Map<?, ?>) a, y = (Map<?, ?>) b;
            java.util.Set<Object> keys = new java.util.LinkedHashSet<>(x.keySet());
            keys.addAll(y.keySet());
            for (Object k : keys) diff(at.isEmpty() ? k.toString() : at + "." + k, x.get(k), y.get(k), out);
        } else if (!java.util.Objects.equals(a, b)) {
            out.add(at + " " + a + ", not " + b);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static IllegalArgumentException prefixed(String where, RuntimeException e) {
        String msg = String.valueOf(e.getMessage());
        return new IllegalArgumentException(msg.startsWith(where) ? msg : where + ": " + msg, e);
    }

    private static String str(Path p) {
        return p == null ? null : p.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String where, String what) {
        if (!(o instanceof Map)) throw new IllegalArgumentException(where + ": " + what + " missing or not an object");
        return (Map<String, Object>) o;
    }

    private static Path path(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v == null) return null;
        if (!(v instanceof String)) throw new IllegalArgumentException("'" + k + "' is not a path");
        return Path.of((String) v);
    }
}
