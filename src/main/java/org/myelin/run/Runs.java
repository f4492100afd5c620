package org.myelin.run;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.myelin.io.Json;
import org.myelin.data.Dataset;
import org.myelin.data.NoiseBank;
import org.myelin.data.NonKeywords;
import org.myelin.model.FeatureRecipe;
import org.myelin.data.Waveforms;
import org.myelin.io.Lines;
import org.myelin.kernel.KernelOps;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;
import org.myelin.model.Calibration;
import org.myelin.engine.Segmentation;
import org.myelin.engine.Spotter;
import org.myelin.model.Model;
import org.myelin.train.EpochRecord;
import org.myelin.train.Evaluation;
import org.myelin.train.TrainConfig;
import org.myelin.train.Trainer;

/**
 * Runs training and evaluation from specifications: a {@link RunSpec} goes in, the trainer runs
 * it (writing a checkpoint after every epoch), the model, the report and (when asked) the
 * untrained network are written where the specification says, and a {@link RunResult} comes out.
 * A run continued from its checkpoint ({@link #resume}) ends with exactly the bits of an
 * uninterrupted one and writes to the same files. Nothing here prints; a {@link Listener} sees
 * progress.
 */
public final class Runs {
    private static final System.Logger LOG = System.getLogger(Runs.class.getName());

    private Runs() {}

    /** What a caller may watch (every method has an empty default). */
    public interface Listener {
        /** The data are loaded (or generated). */
        default void dataLoaded(Dataset.Split data) {}

        /** Training starts (or continues after {@code epochsDone} epochs) with this configuration and layer kind. */
        default void started(TrainConfig config, String kernel, int epochsDone) {}

        /** After each optimiser step (see {@link Trainer.EpochListener#batchDone}). */
        default void batchDone(int epoch, int batch, int batches, double meanLoss, double accuracy) {}

        /** After each epoch, once its checkpoint is written. */
        default void epochDone(EpochRecord epoch, int epochs) {}

        /** A file was written ({@code what}: model, initial model, report). */
        default void wrote(String what, Path file) {}
    }

    private static final Listener NONE = new Listener() {};

    /**
     * Trains a fresh run.
     *
     * @param threads worker threads (results do not depend on it)
     * @throws IllegalArgumentException naming the setting or file when the specification or the data are bad
     * @throws org.myelin.train.DivergedException when training produces a non-finite loss
     */
    public static RunResult train(RunSpec spec, int threads, Listener listener) throws IOException {
        Listener l = listener == null ? NONE : listener;
        long start = System.nanoTime();
        Prepared p = prepare(spec, threads, l);
        try (Trainer t = new Trainer(p.tc, p.data, ops(), p.waves, p.noise)) {
            return finish(spec, t, p.data, p.held, p.heldForTemperature, p.rejectHeld, p.fingerprint, l, start);
        }
    }

    /**
     * Continues a run from its checkpoint: the specification (data, settings, output files) is the
     * checkpoint's; only the thread count is the caller's.
     *
     * @throws IllegalArgumentException naming the checkpoint when its data changed since it was written
     */
    public static RunResult resume(Codec.Checkpoint ck, int threads, Listener listener) throws IOException {
        Listener l = listener == null ? NONE : listener;
        long start = System.nanoTime();
        RunSpec spec = ck.spec();
        Prepared p = prepare(spec, threads, l);
        String fp = p.fingerprint;
        if (!fp.equals(ck.dataFingerprint())) {
            throw new IllegalArgumentException(ck.file() + ": checkpoint was made on other data (fingerprint " + ck.dataFingerprint()
                    + ", the data of " + (spec.data().builtIn() ? "the built-in task" : spec.data().dir())
                    + (p.noise != null ? " and the noise of --aug-snr" : "") + " now " + fp + ")");
        }
        try (Trainer t = Trainer.fromState(p.tc, p.data, ops(), ck.container(), ck.file(), p.waves, p.noise)) {
            LOG.log(Level.DEBUG, "resuming {0} after epoch {1}", ck.file(), t.epochsDone());
            return finish(spec, t, p.data, p.held, p.heldForTemperature, p.rejectHeld, fp, l, start);
        }
    }

    /**
     * The heap a process training this run holds, measured without training it: the run's data
     * loaded (an audio dataset's feature cache built or verified on the way, so runs started later
     * only read it) with the waveforms and noise of {@code --aug-snr}, and a trainer of its network
     * that has taken one optimiser step and evaluated (one batch of the training and of the test
     * data, without waveform noise), so the network, the optimiser state, the batch buffers of
     * both passes and the thread team exist. The result is this JVM's used heap after a
     * collection at that point: what a training process keeps, not its transient garbage (callers
     * add headroom).
     *
     * @return heap bytes in use
     */
    public static long preparedHeapBytes(RunSpec spec, int threads) throws IOException {
        Prepared p = prepare(spec, threads, NONE);
        TrainConfig one = p.tc.copy();
        one.epochs = 1;
        one.augSnr = null;
        Dataset.Split d = p.data;
        Dataset.Split batch = new Dataset.Split(head(d.train, one.batch), d.valid == null ? null : head(d.valid, one.batch),
                head(d.test, one.batch), d.source, d.recipe, d.classNames);
        long[] used = {0};
        try (Trainer t = new Trainer(one, batch, ops(), null, null)) {
            t.run((tr, e) -> used[0] = usedHeap());
        }
        java.lang.ref.Reference.reachabilityFence(p); // the data count: a training process holds them throughout
        return used[0];
    }

    /** The first {@code n} samples of a part (all when it has fewer). */
    private static Dataset head(Dataset part, int n) {
        int[] idx = new int[Math.min(n, part.size)];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        return part.rows(idx);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int k = 0; k < 3; k++) { // a collection may leave garbage for the next one: keep the least
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    /**
     * What a run trains on: its data, the held-out part (its first {@code heldForTemperature} rows
     * fit the temperature, all of them choose the threshold), the held-out recordings of
     * {@code --reject-dir} (empty when none: then the held-out part chooses the threshold),
     * settings, the waveforms and noise of --aug-snr (null when off) and their fingerprint.
     */
    private record Prepared(Dataset.Split data, Dataset held, int heldForTemperature, List<Path> rejectHeld, TrainConfig tc, Waveforms waves,
                            NoiseBank noise, String fingerprint) {}

    /** Loads a specification's data (telling the listener) and everything a trainer needs beside it; the same for a new and a resumed run. */
    private static Prepared prepare(RunSpec spec, int threads, Listener l) throws IOException {
        spec.data().checkWaveforms(spec.training());
        Dataset.Split all = spec.data().load(spec.training().normalize);
        Dataset held = null;
        Dataset.Split data = all;
        if (spec.training().calibrate > 0) {
            Dataset[] parts = holdOut(all.train, spec.training().calibrate, spec.training().seed);
            data = new Dataset.Split(parts[0], all.valid, all.test, all.source, all.recipe, all.classNames);
            held = parts[1];
        }
        TrainConfig st = spec.training();
        if (st.reject > 0 && NonKeywords.anyRejection(all.classNames)) {
            if (st.rejectDir != null) {
                throw new IllegalArgumentException("--reject-dir: the data have a rejection class of their own (" + all.classNames
                        + "); add non-keyword recordings to it instead");
            }
            LOG.log(Level.INFO, "--reject: the data have a rejection class of their own (" + all.classNames + "); no generated non-keywords");
        } else if (st.reject > 0) {
            Rejection rj = rejection(spec, data, held);
            l.dataLoaded(rj.data);
            TrainConfig tc = spec.trainConfig(rj.data, threads);
            Waveforms waves = tc.augSnr != null ? rj.waves : null;
            NoiseBank noise = waves != null ? rj.noise : null;
            return new Prepared(rj.data, rj.held, rj.heldForTemperature, rj.rejectHeld, tc, waves, noise, fingerprint(rj.data, noise) + "+reject");
        }
        l.dataLoaded(data);
        TrainConfig tc = spec.trainConfig(data, threads);
        Waveforms waves = spec.data().waveforms(tc, data);
        NoiseBank noise = noise(tc, waves, spec.data().layoutNoiseDir());
        return new Prepared(data, held, held == null ? 0 : held.size, List.of(), tc, waves, noise, fingerprint(all, noise));
    }

    /** The data with generated non-keywords added as class {@code _unknown_}, the training waveforms (non-keywords included) and the noise. */
    private record Rejection(Dataset.Split data, Dataset held, int heldForTemperature, List<Path> rejectHeld, Waveforms waves, NoiseBank noise) {}

    /**
     * Non-keywords per held-out word made to choose the threshold on (4: 1080 on FSDD, so a share of
     * 1 % is ten of them, not a fraction of one); the first share-F of them also fit the temperature.
     */
    static final int THRESHOLD_NON_KEYWORDS_PER_WORD = 4;

    /**
     * Adds the rejection class ({@code --reject F}): {@link NonKeywords} made from the training
     * words and the noise of {@code --aug-snr} (the same source, also when that is off), share F
     * of the training set, appended as class K (named {@code _unknown_}; the other names kept,
     * or the class numbers when the data name none); the held-out part gets its own, made from
     * its words with another seed: {@link #THRESHOLD_NON_KEYWORDS_PER_WORD} per word, of which the
     * first (share F of the held-out words and them) also fit the temperature. The test set is the data's (keywords only),
     * with K + 1 classes, so a keyword predicted as {@code _unknown_} counts as wrong.
     *
     * <p>With {@code --reject-dir DIR} ({@link RejectFolder}), share {@code --reject-dir-share}
     * (default half) of the training set's non-keywords (rounded up) are segments of DIR's
     * recordings drawn by the seed, the rest generated as above; when the run calibrates, some
     * of DIR's files are held out (not cut into training segments) for the threshold. The held-out part's non-keywords stay generated.
     */
    private static Rejection rejection(RunSpec spec, Dataset.Split data, Dataset held) throws IOException {
        TrainConfig st = spec.training();
        if (!spec.data().recordings()) {
            throw new IllegalArgumentException("--reject makes non-keywords from recordings: it needs an audio dataset (--data DIR of recordings), "
                    + "not " + (spec.data().builtIn() ? "the built-in task" : "the features in " + spec.data().dir()) + " (--reject 0 turns it off)");
        }
        FeatureRecipe recipe = data.recipe;
        Path dir = spec.data().dir();
        Waveforms words = Waveforms.load(dir, data.train, recipe);
        NoiseBank noise = noiseBank(st, recipe.sampleRate, spec.data().layoutNoiseDir());
        int K = data.train.classes;
        int count = NonKeywords.countFor(st.reject, data.train.size), fromDir = 0;
        float[][] neg;
        List<Path> rejectHeld = List.of();
        if (st.rejectDir != null) {
            RejectFolder.Files rf = RejectFolder.split(st.rejectDir, held != null, st.seed);
            float[][] segments = RejectFolder.segments(rf.train(), st.rejectDir, recipe);
            fromDir = fromFolder(count, st.rejectDirShare);
            float[][] generated = NonKeywords.make(words, data.train.y, noise, count - fromDir, st.seed);
            neg = java.util.Arrays.copyOf(generated, count);
            System.arraycopy(RejectFolder.pick(segments, fromDir, st.seed), 0, neg, generated.length, fromDir);
            rejectHeld = rf.held();
            LOG.log(Level.INFO, String.format(java.util.Locale.ROOT, "--reject-dir: %d segments of %d recordings for training, %d recordings held out for the threshold",
                    segments.length, rf.train().size(), rejectHeld.size()));
        } else {
            neg = NonKeywords.make(words, data.train.y, noise, count, st.seed);
        }
        Dataset train = withRejection(data.train, neg, recipe, "train");
        Dataset test = withClasses(data.test, K + 1);
        Dataset heldOut = null;
        int forTemperature = 0;
        if (held != null) {
            Waveforms hw = Waveforms.load(dir, held, recipe);
            int share = NonKeywords.countFor(st.reject, held.size);
            float[][] hneg = NonKeywords.make(hw, held.y, noise, Math.max(share, THRESHOLD_NON_KEYWORDS_PER_WORD * held.size),
                    st.seed ^ 0x68656C64L); // "held"
            heldOut = withRejection(held, hneg, recipe, "held");
            forTemperature = held.size + share;
        }
        List<String> names = new ArrayList<>(K + 1);
        for (int k = 0; k < K; k++) names.add(data.classNames != null ? data.classNames.get(k) : String.valueOf(k));
        names.add(NonKeywords.UNKNOWN);
        LOG.log(Level.INFO, String.format(java.util.Locale.ROOT, "rejection: %d non-keywords (%d generated, %d from --reject-dir; %.3g of the training set) as class %d '%s' beside %d training words%s",
                neg.length, neg.length - fromDir, fromDir, st.reject, K, NonKeywords.UNKNOWN, data.train.size,
                heldOut != null ? ", " + (heldOut.size - held.size) + " more held out (" + (forTemperature - held.size) + " of them to calibrate)" : ""));
        Dataset valid = data.valid == null ? null : withClasses(data.valid, K + 1);
        return new Rejection(new Dataset.Split(train, valid, test, data.source, recipe, names), heldOut, forTemperature, rejectHeld, words.with(neg), noise);
    }

    /**
     * How many of {@code count} non-keywords are the folder's at share {@code share}: rounded up,
     * at most all (the default half: (count + 1) / 2, as before the share was a flag).
     */
    static int fromFolder(int count, double share) {
        return (int) Math.min(count, Math.ceil(count * share));
    }

    /** {@code d} with its labels allowed up to {@code classes} (the same arrays). */
    private static Dataset withClasses(Dataset d, int classes) {
        return new Dataset(d.x, d.y, d.steps, d.channels, classes, d.names);
    }

    /**
     * {@code d} followed by the features of {@code neg} (the recipe's front end and normalisation,
     * as the feature cache computes them) labelled {@code d.classes}, named {@code _unknown_/PART/i}.
     */
    static Dataset withRejection(Dataset d, float[][] neg, FeatureRecipe recipe, String part) {
        int row = d.steps * d.channels, K = d.classes;
        float[] x = java.util.Arrays.copyOf(d.x, (d.size + neg.length) * row);
        int[] y = java.util.Arrays.copyOf(d.y, d.size + neg.length);
        org.myelin.data.LogMel front = org.myelin.data.LogMel.of(recipe);
        org.myelin.data.LogMel.Workspace ws = front.workspace();
        List<String> names = d.names == null ? null : new ArrayList<>(d.names);
        for (int i = 0; i < neg.length; i++) {
            int off = (d.size + i) * row;
            front.frames(neg[i], neg[i].length, x, off, ws);
            org.myelin.data.LogMel.normalise(recipe, x, off, 1);
            y[d.size + i] = K;
            if (names != null) names.add(NonKeywords.UNKNOWN + "/" + part + "/" + i);
        }
        return new Dataset(x, y, d.steps, d.channels, K + 1, names);
    }

    /**
     * Splits a training set into {the part trained on, the part held out for calibration},
     * stratified: in a seeded permutation ({@code seed} mixed with a constant, so the draw is its
     * own), the first max(1, round(fraction·n_c)) samples of each class c with n_c ≥ 2 are held out;
     * both parts keep the original order.
     *
     * @throws IllegalArgumentException naming --calibrate when the held-out part would have fewer than two classes
     */
    static Dataset[] holdOut(Dataset train, double fraction, long seed) {
        int n = train.size;
        int[] perClass = new int[train.classes], quota = new int[train.classes];
        for (int i = 0; i < n; i++) perClass[train.y[i]]++;
        int classes = 0;
        for (int c = 0; c < train.classes; c++) {
            quota[c] = perClass[c] >= 2 ? Math.max(1, (int) Math.round(fraction * perClass[c])) : 0;
            if (quota[c] > 0) classes++;
        }
        if (classes < 2) {
            throw new IllegalArgumentException("--calibrate " + fraction + ": the training set has fewer than two classes with two samples to hold out from "
                    + "(--calibrate 0 turns calibration off)");
        }
        int[] perm = Dataset.permutation(new java.util.SplittableRandom(seed ^ 0x6361_6c69_6272_6174L), n);
        boolean[] out = new boolean[n];
        int h = 0;
        for (int i : perm) {
            if (quota[train.y[i]] > 0) {
                quota[train.y[i]]--;
                out[i] = true;
                h++;
            }
        }
        int[] keep = new int[n - h], held = new int[h];
        int a = 0, b = 0;
        for (int i = 0; i < n; i++) {
            if (out[i]) held[b++] = i;
            else keep[a++] = i;
        }
        return new Dataset[] {train.rows(keep), train.rows(held)};
    }

    /**
     * Fits the model's temperature on the held-out part ({@link Calibration#fitTemperature}) and
     * stores it in the model's metadata; with a rejection class among the model's classes and
     * held-out non-keywords, also the threshold for {@code faShare}
     * ({@link Calibration#thresholdForShare}), with what it did on the held-out part under
     * {@code meta.threshold_choice}.
     */
    static Calibration calibrate(Model m, Dataset held, int forTemperature, double inputScale, int threads, double faShare) {
        int k = m.config.outputs;
        float[] logits = new float[held.size * k];
        try (Parallel par = new Parallel(threads)) {
            Evaluation.predict(m, held, 256, inputScale, ops(), par, new int[held.size], logits);
        }
        Calibration c = Calibration.fitTemperature(logits, held.y, forTemperature, k, "--calibrate: the held-out part of the training set");
        LOG.log(Level.INFO, Lines.afterLevel("INFO", String.format(java.util.Locale.ROOT, "calibration: temperature %.4g on %d held-out samples (NLL %.4f -> %.4f)",
                c.temperature, c.samples, c.nllBefore, c.nllAfter)));
        List<String> names = m.classNames();
        boolean[] rejection = new boolean[k];
        boolean anyHeld = false;
        for (int q = 0; q < k; q++) rejection[q] = Model.isRejectionClass(names.get(q));
        for (int i = 0; i < held.size; i++) anyHeld |= rejection[held.y[i]];
        if (anyHeld) {
            Calibration.ShareThreshold t = c.thresholdForShare(logits, held.y, held.size, k, rejection, faShare, "--fa-share");
            c = c.withShareThreshold(t.threshold(), faShare);
            Map<String, Object> tm = Json.object();
            tm.put("by", "train");
            tm.put("false_alarm_share_target", faShare);
            tm.put("false_alarms", t.falseAlarms());
            tm.put("non_keywords", t.nonKeywords());
            tm.put("misses", t.misses());
            tm.put("keywords", t.keywords());
            m.meta.put(THRESHOLD_CHOICE, tm);
            LOG.log(Level.INFO, Lines.afterLevel("INFO", String.format(java.util.Locale.ROOT,
                    "threshold %.6g for at most %.3g of held-out non-keywords accepted: %d of %d accepted, %d of %d keywords missed",
                    t.threshold(), faShare, t.falseAlarms(), t.nonKeywords(), t.misses(), t.keywords())));
        }
        c.into(m.meta);
        return c;
    }

    /**
     * With {@code --reject-dir}: the threshold chosen on the folder's held-out recordings instead of
     * the generated held-out non-keywords, for the rate the field states. The recordings are
     * streamed through the trained model as {@code eval --false-alarms} streams them
     * ({@link StreamEval#falseAlarms}, the default voice detector, every report counted); the
     * threshold is the lowest at which at most ⌊{@code --fa-target}·hours⌋ reports of a keyword
     * reach it ({@link Calibration#thresholdAllowing}). It replaces the one chosen for
     * {@code --fa-share}, and {@code meta.threshold_choice} records what it was chosen on, the
     * false alarms there, and the held-out keywords missed at it (offline, as the share's choice
     * counts them).
     */
    static Calibration thresholdOnRecordings(Model m, Calibration c, Dataset held, List<Path> files, TrainConfig tc) throws IOException {
        Spotter sp = Spotter.of(m, "the trained model").withCalibration(c.withThreshold(0, Double.NaN));
        StreamEval.FalseAlarms fa = StreamEval.falseAlarms(sp, files, Segmentation.defaults());
        int allowed = (int) Math.floor(tc.faTarget * fa.hours() + 1e-9);
        double th = Calibration.thresholdAllowing(fa.p(), fa.p().length, allowed);
        int k = m.config.outputs, keywords = 0, misses = 0;
        float[] logits = new float[held.size * k], row = new float[k], probs = new float[k];
        double[] e = new double[k];
        try (Parallel par = new Parallel(tc.threads)) {
            Evaluation.predict(m, held, 256, tc.inputScale, ops(), par, new int[held.size], logits);
        }
        List<String> names = m.classNames();
        for (int i = 0; i < held.size; i++) {
            if (Model.isRejectionClass(names.get(held.y[i]))) continue;
            keywords++;
            System.arraycopy(logits, i * k, row, 0, k);
            c.probabilities(row, probs, e);
            int pred = org.myelin.network.Readout.argmax(row);
            if (pred != held.y[i] || probs[pred] < th) misses++;
        }
        Calibration out = c.withThreshold(th, tc.faTarget);
        Map<String, Object> tm = Json.object();
        tm.put("by", "train");
        tm.put("on", "--reject-dir held-out recordings");
        tm.put("false_alarms_per_hour_target", tc.faTarget);
        tm.put("recordings", fa.files());
        tm.put("hours", fa.hours());
        tm.put("reports", fa.p().length);
        tm.put("false_alarms", fa.count(th));
        tm.put("false_alarms_per_hour", fa.count(th) / fa.hours());
        tm.put("misses", misses);
        tm.put("keywords", keywords);
        m.meta.put(THRESHOLD_CHOICE, tm);
        out.into(m.meta);
        LOG.log(Level.INFO, Lines.afterLevel("INFO", String.format(java.util.Locale.ROOT,
                "threshold %.6g for at most %.3g false alarms an hour on %d held-out --reject-dir recordings (%.3f h): %d false alarms, %d of %d held-out keywords missed",
                th, tc.faTarget, fa.files(), fa.hours(), fa.count(th), misses, keywords)));
        return out;
    }

    /** The model metadata key of how its threshold was chosen: {@code by} (train) and what it did on the held-out part. */
    public static final String THRESHOLD_CHOICE = "threshold_choice";

    /**
     * The noise of {@code --aug-snr}: the recordings of {@code --aug-noise-dir}, else the data
     * layout's own noise recordings ({@code layoutNoise}, e.g. GSC's {@code _background_noise_/}),
     * else generated white and pink; null when off.
     */
    private static NoiseBank noise(TrainConfig tc, Waveforms waves, java.nio.file.Path layoutNoise) throws IOException {
        if (waves == null) return null;
        NoiseBank n = noiseBank(tc, waves.recipe.sampleRate, layoutNoise);
        int rate = waves.recipe.sampleRate;
        LOG.log(Level.INFO, Lines.afterLevel("INFO", String.format(java.util.Locale.ROOT, "waveform noise: %d waveforms (%.1f MB), %d noise clips (%.1f MB), %d Hz",
                waves.size(), waves.bytes() / 1e6, n.size(), n.bytes() / 1e6, rate)));
        return n;
    }

    /** The noise recordings of {@code --aug-noise-dir}, else the layout's, else generated white and pink, at {@code rate}. */
    private static NoiseBank noiseBank(TrainConfig tc, int rate, java.nio.file.Path layoutNoise) throws IOException {
        return tc.augNoiseDir != null ? NoiseBank.read(tc.augNoiseDir, rate)
                : layoutNoise != null ? NoiseBank.read(layoutNoise, rate) : NoiseBank.generated(rate);
    }

    /**
     * The fingerprint a checkpoint records: the data's ({@link DataSpec#fingerprint}), and with
     * waveform noise also the noise's ({@code DATA+noise:NOISE}), so a resume refuses changed noise
     * recordings too (the waveforms are the data's: changed recordings rebuild the features).
     */
    static String fingerprint(Dataset.Split data, NoiseBank noise) {
        String fp = DataSpec.fingerprint(data);
        return noise == null ? fp : fp + "+noise:" + DataSpec.fingerprint(noise);
    }

    private static KernelOps ops() {
        return KernelProvider.get();
    }

    private static RunResult finish(RunSpec spec, Trainer t, Dataset.Split data, Dataset held, int heldForTemperature, List<Path> rejectHeld, String fp, Listener l,
                                    long start) throws IOException {
        TrainConfig c = t.config();
        Outputs out = spec.outputs();
        List<Path> files = new ArrayList<>();
        l.started(c, t.kernelKind(), t.epochsDone());
        if (out.initial() != null && t.epochsDone() == 0) {
            Codec.writeModel(out.initial(), t.toModel(Codec.modelMeta(spec, c, data, "initial")).withRecipe(data.recipe));
            files.add(out.initial());
            l.wrote("untrained model", out.initial());
        }
        boolean byValid = data.valid != null;
        t.run(new Trainer.EpochListener() {
            @Override
            public void epochDone(Trainer tr, EpochRecord e) throws IOException {
                if (byValid && e.epoch() == bestEpoch(tr.history())) writeChosen(spec, tr, data, e);
                Codec.writeCheckpoint(out.checkpoint(), spec, fp, tr);
                l.epochDone(e, c.epochs);
            }

            @Override
            public void batchDone(int epoch, int batch, int batches, double meanLoss, double accuracy) {
                l.batchDone(epoch, batch, batches, meanLoss, accuracy);
            }
        });
        if (!files.contains(out.checkpoint()) && java.nio.file.Files.exists(out.checkpoint())) files.add(out.checkpoint());
        List<EpochRecord> hist = t.history();
        int bestEpoch = bestEpoch(hist);
        double finalAcc, best;
        Model model;
        if (byValid) {
            // the epoch chosen on the validation part was written when it ended; the test part is scored once, on it
            model = Codec.readModel(out.model());
            if (!Integer.valueOf(bestEpoch).equals(model.meta.get("epoch") instanceof Number n ? n.intValue() : null)) {
                throw new IllegalArgumentException(out.model() + ": no longer holds the model of epoch " + bestEpoch
                        + ", the one chosen on the validation part (was it replaced during the run?)");
            }
            try (Parallel par = new Parallel(c.threads)) {
                finalAcc = Evaluation.run(model, data.test, c.batch, c.inputScale, ops(), par)[1];
            }
            best = finalAcc;
        } else {
            finalAcc = hist.get(hist.size() - 1).testAccuracy();
            best = 0;
            for (EpochRecord e : hist) best = Math.max(best, e.testAccuracy());
            model = t.toModel(Codec.modelMeta(spec, c, data, "trained")).withRecipe(data.recipe);
        }
        model.meta.put("test_accuracy", finalAcc);
        if (held != null) {
            Calibration cal = calibrate(model, held, heldForTemperature, c.inputScale, c.threads, c.faShare);
            if (!rejectHeld.isEmpty()) thresholdOnRecordings(model, cal, held, rejectHeld, c);
        }
        Codec.writeModel(out.model(), model);
        files.add(0, out.model());
        l.wrote("model", out.model());
        if (out.report() != null) files.add(out.report());
        double wall = (System.nanoTime() - start) / 1e9;
        RunResult r = new RunResult(spec, c, hist, finalAcc, best, t.trainSamplesPerSecond(), t.activeSynapses(), wall, t.kernelKind(),
                ops().name(), data.source, fp, files, data.train.size, data.valid == null ? 0 : data.valid.size, data.test.size,
                byValid ? "valid" : "test", bestEpoch);
        if (out.report() != null) {
            Codec.writeReport(out.report(), r);
            l.wrote("report", out.report());
        }
        return r;
    }

    /**
     * The best epoch (1-based): the first of the highest validation accuracy when the epochs were
     * scored on a validation part, else of the highest test accuracy.
     */
    static int bestEpoch(List<EpochRecord> hist) {
        int best = -1;
        double acc = Double.NEGATIVE_INFINITY;
        for (EpochRecord e : hist) {
            double a = e.validated() ? e.validAccuracy() : e.testAccuracy();
            if (a > acc) {
                acc = a;
                best = e.epoch();
            }
        }
        return best;
    }

    /** Writes the model of the epoch just ended, the best so far on the validation part, as the run's model (its test score comes once training ends). */
    private static void writeChosen(RunSpec spec, Trainer t, Dataset.Split data, EpochRecord e) throws IOException {
        Model m = t.toModel(Codec.modelMeta(spec, t.config(), data, "trained")).withRecipe(data.recipe);
        m.meta.put("epoch", e.epoch());
        m.meta.put("chosen_on", "valid");
        m.meta.put("valid_accuracy", e.validAccuracy());
        Codec.writeModel(spec.outputs().model(), m);
        LOG.log(Level.DEBUG, "epoch {0} is the best on the validation part so far: wrote {1}", e.epoch(), spec.outputs().model());
    }

    /** Accuracy and mean loss of a model on one part of a dataset. */
    public record Evaluated(String part, int samples, double loss, double accuracy) {}

    /**
     * Evaluates a model (its own integer delays, batch norm with running statistics, no dropout).
     *
     * @param parts      any of {@code test}, {@code valid} (when the data have it), {@code train}, in the order wanted
     * @param inputScale the input multiplier (see {@link Codec#inputScale})
     */
    public static List<Evaluated> evaluate(Model m, Dataset.Split data, List<String> parts, int batch, double inputScale, int threads) {
        List<Evaluated> out = new ArrayList<>();
        try (Parallel par = new Parallel(threads)) {
            for (String p : parts) {
                Dataset d = part(data, p);
                double[] r = Evaluation.run(m, d, batch, inputScale, ops(), par);
                out.add(new Evaluated(p, d.size, r[0], r[1]));
            }
        }
        return out;
    }

    /**
     * A part of a split by name: {@code train}, {@code valid} or {@code test}.
     *
     * @throws IllegalArgumentException for {@code valid} when the data have no validation part
     */
    public static Dataset part(Dataset.Split data, String name) {
        if (name.equals("valid") && data.valid == null) throw new IllegalArgumentException("the data have no validation part");
        return name.equals("train") ? data.train : name.equals("valid") ? data.valid : data.test;
    }

    /** The reliability of a model's calibrated probabilities on a dataset ({@link Calibration#reliability}). */
    public static Calibration.Reliability reliability(Model m, Dataset d, double inputScale, int threads, int bins) {
        int k = m.config.outputs;
        float[] logits = new float[d.size * k];
        try (Parallel par = new Parallel(threads)) {
            Evaluation.predict(m, d, 256, inputScale, ops(), par, new int[d.size], logits);
        }
        return Calibration.of(m).reliability(logits, d.y, d.size, k, bins);
    }
}
