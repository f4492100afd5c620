package org.myelin.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.myelin.data.AudioDatasets;
import org.myelin.data.Dataset;
import org.myelin.data.SyntheticDataset;

/**
 * Where a run's data comes from: a data folder (precomputed features or an audio dataset), or the
 * built-in synthetic task when {@code dir} is null.
 *
 * @param dir       the data folder, or null for the built-in task
 * @param format    audio layout ({@code hd}, {@code fsdd}, {@code folders}), or null to detect it
 * @param skipBad   skip unreadable audio files instead of failing
 * @param seed      seed of the built-in task
 * @param trainSize built-in training samples
 * @param testSize  built-in test samples
 * @param split     audio split rule: null for the dataset's own, "speaker" for FSDD by speaker,
 *                  "speaker:NAME[,NAME...]" for FSDD with those speakers as the test set
 * @param cache     root of the feature cache, or null for the user's cache folder
 *                  ({@link AudioDatasets#defaultCacheRoot()}); where features are kept, not what they are
 * @param noCache   compute audio features in memory and write no cache
 * @param binMs     spiking datasets (shd, ssc): frame width in ms (default 10)
 * @param pool      spiking datasets: input channels summed per group (default 5: 700 → 140)
 * @param steps     spiking datasets: frames, 0 for the longest sample's (pad or crop)
 */
public record DataSpec(Path dir, String format, boolean skipBad, long seed, int trainSize, int testSize,
                       String split, Path cache, boolean noCache, double binMs, int pool, int steps) {
    /** The built-in task's defaults: seed 1, 2,000 training and 1,000 test samples. */
    public static final long DEFAULT_SEED = 1;
    public static final int DEFAULT_TRAIN_SIZE = 2000, DEFAULT_TEST_SIZE = 1000;

    public DataSpec {
        if (trainSize < 1 || testSize < 1) throw new IllegalArgumentException("--train-size and --test-size must be at least 1");
        checkSplit(split);
        if (noCache && cache != null) throw new IllegalArgumentException("--cache DIR and --no-cache contradict each other");
        new org.myelin.data.SpikeDatasets.Options().binMs(binMs).pool(pool).steps(steps).check();
    }

    /** The spiking datasets' binning at its defaults (10 ms, pool 5, the longest sample's frames). */
    public DataSpec(Path dir, String format, boolean skipBad, long seed, int trainSize, int testSize,
                    String split, Path cache, boolean noCache) {
        this(dir, format, skipBad, seed, trainSize, testSize, split, cache, noCache, DEFAULT_BIN_MS, DEFAULT_POOL, 0);
    }

    public static final double DEFAULT_BIN_MS = 10;
    public static final int DEFAULT_POOL = 5;

    /**
     * Checks a split rule's form: null, "default", "speaker" or "speaker:NAME[,NAME...]" (names
     * non-empty; whether they exist is checked against the recordings when the data load).
     *
     * @throws IllegalArgumentException naming {@code --split} otherwise
     */
    public static void checkSplit(String split) {
        if (split == null || split.equals("speaker") || split.equals("default")) return;
        if (split.startsWith("speaker:")) {
            boolean ok = true;
            for (String n : split.substring("speaker:".length()).split(",", -1)) ok &= !n.isBlank();
            if (ok) return;
        }
        throw new IllegalArgumentException("--split takes default, speaker or speaker:NAME[,NAME...], got '" + split + "'");
    }

    /** The dataset's own split and the default feature cache. */
    public DataSpec(Path dir, String format, boolean skipBad, long seed, int trainSize, int testSize) {
        this(dir, format, skipBad, seed, trainSize, testSize, null, null, false);
    }

    /** The built-in task with its defaults. */
    public static DataSpec builtInDefault() {
        return new DataSpec(null, null, false, DEFAULT_SEED, DEFAULT_TRAIN_SIZE, DEFAULT_TEST_SIZE);
    }

    /** A data folder with the other settings at their defaults. */
    public static DataSpec folder(Path dir) {
        return new DataSpec(dir, null, false, DEFAULT_SEED, DEFAULT_TRAIN_SIZE, DEFAULT_TEST_SIZE);
    }

    /** Whether this is the built-in synthetic task. */
    public boolean builtIn() {
        return dir == null;
    }

    /** This specification with the folder made absolute (what checkpoints record). */
    public DataSpec absolute() {
        return dir == null ? this : new DataSpec(dir.toAbsolutePath().normalize(), format, skipBad, seed, trainSize, testSize,
                split, cache == null ? null : cache.toAbsolutePath().normalize(), noCache, binMs, pool, steps);
    }

    /**
     * Loads (or generates) the data.
     *
     * @throws NoSuchFileException when the folder does not exist
     * @throws IllegalArgumentException naming the file when the data are malformed
     */
    public Dataset.Split load() throws IOException {
        return load(org.myelin.model.FeatureRecipe.Normalization.UTTERANCE);
    }

    /**
     * The data for training: audio features normalised as {@code normalize} says (global statistics
     * from the training part), the recipe attached to the split; the built-in task and foreign
     * features as they are ({@code global} is refused for them).
     */
    public Dataset.Split load(org.myelin.model.FeatureRecipe.Normalization normalize) throws IOException {
        if (dir == null) {
            if (normalize != org.myelin.model.FeatureRecipe.Normalization.UTTERANCE) {
                throw new IllegalArgumentException("--normalize " + normalize.id() + " applies to audio data (--data), not the built-in task");
            }
            return SyntheticDataset.generate(seed, trainSize, testSize);
        }
        return features().normalised(normalize);
    }

    /** The data as a model with this recipe (null: none) takes it; {@code modelName} names it in messages. */
    public Dataset.Split loadFor(org.myelin.model.FeatureRecipe recipe, String modelName) throws IOException {
        if (dir == null) return SyntheticDataset.generate(seed, trainSize, testSize);
        return features().normalisedFor(recipe, modelName);
    }

    /** Whether this is a folder of recordings (not the built-in task, not a folder of features, not spike trains). */
    public boolean recordings() {
        return dir != null && !"cache".equals(format) && !spikes() && !(format == null && org.myelin.data.FeaturesFolder.accepts(dir));
    }

    /** Whether this is a folder of spike trains (SHD or SSC, given by --format or detected by its files' names). */
    public boolean spikes() {
        return dir != null && ("shd".equals(format) || "ssc".equals(format)
                || format == null && Files.isDirectory(dir) && org.myelin.data.SpikeDatasets.detect(dir) != null);
    }

    /**
     * Refuses waveform augmentation ({@code --aug-snr}) where there are no recordings: on the
     * built-in task and on a folder of features; nothing to check when it is off.
     *
     * @throws IllegalArgumentException a one-line reason naming the flag
     */
    public void checkWaveforms(org.myelin.train.TrainConfig tc) {
        if (tc.augSnr == null) return;
        if (dir == null) {
            throw new IllegalArgumentException("--aug-snr mixes noise into recordings: it needs an audio dataset (--data DIR of "
                    + "recordings), not the built-in task");
        }
        if (spikes()) {
            throw new IllegalArgumentException("--aug-snr mixes noise into recordings: " + dir + " holds spike trains (SHD/SSC), "
                    + "not recordings");
        }
        if ("cache".equals(format) || (format == null && org.myelin.data.FeaturesFolder.accepts(dir))) {
            throw new IllegalArgumentException("--aug-snr mixes noise into recordings: " + dir + " holds features (x.npy), not "
                    + "recordings; give the audio dataset they came from with --data");
        }
    }

    /**
     * The training waveforms for {@code --aug-snr} (null when it is off): each training file of
     * the loaded {@code data} read again at its recipe's rate ({@link org.myelin.data.Waveforms#load}).
     */
    public org.myelin.data.Waveforms waveforms(org.myelin.train.TrainConfig tc, Dataset.Split data) throws IOException {
        if (tc.augSnr == null) return null;
        checkWaveforms(tc);
        return org.myelin.data.Waveforms.load(dir, data.train, data.recipe);
    }

    private org.myelin.data.FeaturesFolder.Features features() throws IOException {
        if (!Files.isDirectory(dir)) {
            if (Files.exists(dir)) throw new IllegalArgumentException(dir + ": not a folder (--data takes a data folder)");
            throw new NoSuchFileException(dir.toString(), null, "no such data folder");
        }
        return AudioDatasets.features(dir, new AudioDatasets.Options().format(format).skipBad(skipBad).split(split)
                .cacheRoot(cache).noCache(noCache)
                .spikes(new org.myelin.data.SpikeDatasets.Options().binMs(binMs).pool(pool).steps(steps)));
    }

    /**
     * The noise recordings the data layout itself provides, the default noise of {@code --aug-snr}:
     * Google Speech Commands' {@code _background_noise_/} (gsc, gsc12); null for other layouts.
     */
    public Path layoutNoiseDir() throws IOException {
        if (dir == null) return null;
        boolean gsc = "gsc".equals(format) || "gsc12".equals(format)
                || format == null && Files.isDirectory(dir) && "gsc".equals(org.myelin.data.AudioDatasets.detect(dir));
        Path noise = dir.resolve("_background_noise_");
        return gsc && Files.isDirectory(noise) ? noise : null;
    }

    /**
     * A short fingerprint of loaded data (SHA-256 of every value and label of train, test and the
     * validation part when there is one, 16 hex digits), for checkpoints. Float values are hashed
     * as their little-endian bytes, spike counts as their bytes ({@link Dataset#digest}).
     */
    public static String fingerprint(Dataset.Split s) {
        Digest d = new Digest();
        for (Dataset part : s.valid == null ? new Dataset[] {s.train, s.test} : new Dataset[] {s.train, s.test, s.valid}) {
            part.digest(d.md::update);
            d.ints(part.y);
        }
        return d.hex16();
    }

    /** The fingerprint of the noise of {@code --aug-snr} (SHA-256 of each clip's name, length and samples, 16 hex digits). */
    public static String fingerprint(org.myelin.data.NoiseBank noise) {
        Digest d = new Digest();
        for (int k = 0; k < noise.size(); k++) {
            d.md.update(noise.name(k).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            d.ints(new int[] {noise.clip(k).length});
            d.floats(noise.clip(k));
        }
        return d.hex16();
    }

    /** SHA-256 over little-endian arrays, fed in order (the bytes of consecutive calls concatenate). */
    private static final class Digest {
        final MessageDigest md;

        Digest() {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void floats(float[] v) {
            ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(v);
            md.update(bb.array());
        }

        void ints(int[] v) {
            ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            bb.asIntBuffer().put(v);
            md.update(bb.array());
        }

        String hex16() {
            byte[] h = md.digest();
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 8; k++) sb.append(String.format("%02x", h[k]));
            return sb.toString();
        }
    }
}
