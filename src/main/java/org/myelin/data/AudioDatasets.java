package org.myelin.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.myelin.io.Progress;
import org.myelin.data.audio.Audio;
import org.myelin.data.audio.AudioFiles;
import org.myelin.data.audio.BadAudioException;
import org.myelin.io.AtomicFiles;
import org.myelin.io.Json;
import org.myelin.io.Lines;
import org.myelin.io.Npy;
import org.myelin.model.FeatureRecipe;

/**
 * Audio datasets as model input: finds the recordings of a data folder, decodes them, computes the
 * 80 × 40 log-Mel features ({@link LogMel}) and keeps them in a feature cache.
 *
 * <h2>Layouts ({@code format})</h2>
 * <ul>
 * <li>{@code hd} — Heidelberg Digits: {@code audio/lang-{english|german}_speaker-NN_trial-N_digit-D.flac}
 *     with {@code train_filenames.txt} and {@code test_filenames.txt} (one name a line, with or
 *     without the extension). 20 classes: English digit d is label d, German digit d is 10 + d.</li>
 * <li>{@code fsdd} — Free Spoken Digit Dataset: {@code recordings/{digit}_{speaker}_{index}.wav},
 *     label = digit (10 classes). With the two split files they decide the split; without them the
 *     split is by speaker: speakers sorted by name, the last max(1, round(0.2·S)) are the test
 *     speakers.</li>
 * <li>{@code folders} — one sub-folder per class (label = index of the class name in sorted order),
 *     either below {@code train/} and {@code test/} (classes are train/'s sub-folders) or directly
 *     in the data folder, split per class: the last round(f·n) files by name (at least one when
 *     f &gt; 0 and n ≥ 2) are test files, f = {@link Options#testFraction} (default 0.2).</li>
 * <li>{@code cache} — a folder that already holds features ({@code x.npy}, {@code y.npy},
 *     {@code split.npy}; optional {@code files.txt} and {@code meta.json}).</li>
 * </ul>
 * With {@code format == null} the layout is detected in the order cache, hd ({@code audio/}),
 * fsdd ({@code recordings/}), folders. Audio files are {@code .wav} or {@code .flac} (decoded by
 * content); names starting with '.' are ignored.
 *
 * <h2>Feature cache</h2>
 * A features folder holds {@code x.npy} (N × 80 × 40 float32 log-Mel frames <em>before</em>
 * normalisation, at one sample rate: that of the first listed file, the others resampled; the
 * reader normalises them, see {@link FeaturesFolder}; meta.json says {@code "values": "logmel"} and
 * holds the {@code recipe}), {@code y.npy} (N int32 labels),
 * {@code split.npy} (N int32: 0 = train, 1 = test, 2 = validation), {@code files.txt} (each row's
 * source file relative to the data folder, '/'-separated, in row order: train rows first, then
 * test, then validation, each split sorted by path) and {@code meta.json} (format, split rule, recipe parameters, classes, counts, skipped
 * files and a {@code key}). The key is a SHA-256 over the recipe, the
 * format, the split rule, the skip-bad setting and every listed file's path, label, split, size and
 * modification time: a change to any of them rebuilds the cache. Files are written atomically with
 * meta.json last (and removed first when rebuilding), so a cache without a matching meta.json is
 * never used. A folder is locked while it is checked, built and read ({@link CacheLock}, the file
 * {@code .lock} in it): two processes asking for one cache at once get one build, and a process
 * never reads features another is rewriting (runs of different split rules of one data folder
 * share its cache folder, so they take turns rebuilding it: give each its own {@code --cache}). {@link #load} keeps its cache in the user's cache folder, never inside the dataset
 * unless asked: {@code <root>/<data folder name>-<16 hex digits of the folder's absolute path>/},
 * with {@code <root>} = {@link Options#cacheRoot} when given (the {@code --cache DIR} option), else
 * {@code $XDG_CACHE_HOME/myelin} when that variable holds an absolute path, else
 * {@code ~/.cache/myelin} ({@link #defaultCacheRoot}). With {@link Options#noCache} nothing is
 * written: the features are computed in memory for this run only.
 *
 * <h2>Bad files</h2>
 * A file that cannot be decoded stops the build with its one-line reason (nothing is written);
 * with {@code skipBad} it is left out and counted ({@code meta.json} lists them). The features do
 * not depend on the thread count.
 */
public final class AudioDatasets {
    private AudioDatasets() {}

    /** Settings for loading or building features. */
    public static final class Options {
        /** hd, fsdd, folders, shd, ssc, cache, or null to detect. */
        public String format;
        public boolean skipBad;
        /** Worker threads for decoding and features (results do not depend on it). */
        public int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        /** Test fraction of the folders layout without train/ and test/. */
        public double testFraction = 0.2;
        /** Show progress on stderr. */
        public boolean progress = true;
        /** Root folder of the feature cache, or null for {@link #defaultCacheRoot()}. */
        public Path cacheRoot;
        /** Compute the features in memory and write no cache. */
        public boolean noCache;
        /** The split rule: null (or "default") for the layout's own, "speaker" for FSDD by speaker. */
        public String split;
        /** How {@link #load} normalises the log-Mel frames (training; default the paper's). */
        public FeatureRecipe.Normalization normalize = FeatureRecipe.Normalization.UTTERANCE;

        /** Binning of the spiking datasets (shd, ssc). */
        public SpikeDatasets.Options spikes = new SpikeDatasets.Options();

        public Options format(String f) { this.format = f; return this; }
        public Options spikes(SpikeDatasets.Options s) { this.spikes = s; return this; }
        public Options skipBad(boolean s) { this.skipBad = s; return this; }
        public Options threads(int t) { this.threads = t; return this; }
        public Options testFraction(double f) { this.testFraction = f; return this; }
        public Options progress(boolean p) { this.progress = p; return this; }
        public Options cacheRoot(Path root) { this.cacheRoot = root; return this; }
        public Options noCache(boolean n) { this.noCache = n; return this; }
        public Options split(String rule) { this.split = rule; return this; }
        public Options normalize(FeatureRecipe.Normalization n) { this.normalize = n; return this; }
    }

    /** What a build did. */
    public static final class Summary {
        /** Where the features were written, or null when computed in memory only. */
        public final Path out;
        public final String format;
        /** How the recordings were split into train and test. */
        public final String split;
        /** Samples of each part (valid: a layout's validation part, 0 without one). */
        public final int train, valid, test, classes, skipped;
        /** True when an existing cache with the same key was reused. */
        public final boolean reused;
        /** "file: reason" of each skipped file. */
        public final List<String> skippedFiles;

        Summary(Path out, String format, String split, int train, int valid, int test, int classes, List<String> skippedFiles, boolean reused) {
            this.out = out;
            this.format = format;
            this.split = split;
            this.train = train;
            this.valid = valid;
            this.test = test;
            this.classes = classes;
            this.skipped = skippedFiles.size();
            this.skippedFiles = skippedFiles;
            this.reused = reused;
        }

        @Override
        public String toString() {
            return (reused ? "up to date: " : out == null ? "computed " : "wrote ") + (train + valid + test) + " samples (" + train + " train, "
                    + (valid > 0 ? valid + " valid, " : "") + test + " test, " + classes + " classes, format " + format + "; split: " + split + ")"
                    + (out == null ? " in memory (no cache)" : " in " + out) + (skipped > 0 ? "; skipped " + skipped + " bad files" : "");
        }
    }

    /**
     * Train and test sets of a data folder, building or reusing its feature cache.
     *
     * @param format hd, fsdd, folders, cache, or null to detect
     */
    public static Dataset.Split load(Path dir, String format, boolean skipBad) throws IOException {
        return load(dir, new Options().format(format).skipBad(skipBad));
    }

    public static Dataset.Split load(Path dir, Options options) throws IOException {
        return features(dir, options).normalised(options.normalize);
    }

    /**
     * The features of a data folder before normalisation: a features folder read as it is
     * ({@link FeaturesFolder}), an audio folder through its cache (or in memory with noCache).
     */
    public static FeaturesFolder.Features features(Path dir, Options options) throws IOException {
        if (FeaturesFolder.accepts(dir) && (options.format == null || options.format.equals("cache"))) return FeaturesFolder.read(dir, dir.toString());
        String format = options.format != null ? options.format : DatasetLayouts.detect(dir);
        if (format.equals("cache")) return FeaturesFolder.read(dir, dir.toString());
        if (format.equals("shd") || format.equals("ssc")) {
            Path gzCache = options.noCache ? null : cacheFolder(dir, options.cacheRoot);
            return new FeaturesFolder.Features(SpikeDatasets.load(dir, format, options.spikes, gzCache, options.progress), null);
        }
        if (options.noCache) {
            DatasetLayouts.Listing listing = DatasetLayouts.list(dir, format, options.testFraction, options.split);
            FeatureRecipe recipe = FeatureRecipe.paper(datasetRate(dir, listing.entries));
            Built b = compute(dir, listing, options, recipe);
            if (options.progress) System.err.println(Lines.of("features: ", b.summary(null, false).toString(), "          "));
            return new FeaturesFolder.Features(FeaturesFolder.bySplit(b.x, b.y, b.split, b.names, recipe.frames, recipe.mels, b.classes, dir.toString())
                    .withClassNames(listing.classNames), recipe);
        }
        Listed l = listed(dir, options);
        Path cache = cacheFolder(dir, options.cacheRoot);
        CacheLock lock = CacheLock.take(cache, options.progress); // no one rebuilds it between the check and the read
        try {
            Summary s = buildLocked(dir, cache, options, l);
            if (options.progress) System.err.println(Lines.of("features: ", s.toString(), "          "));
            return FeaturesFolder.read(cache, dir.toString());
        } finally {
            lock.close();
        }
    }

    /** The layout a data folder is detected as (hd, fsdd, folders, gsc, shd, ssc, cache), or an error saying what was expected. */
    public static String detect(Path dir) throws IOException {
        return DatasetLayouts.detect(dir);
    }

    /**
     * The label a recording's file name gives in the hd or fsdd layout (hd: English digit d is d,
     * German 10 + d; fsdd: the digit), or -1 when the name follows neither.
     */
    public static int labelFromName(String fileName) {
        return DatasetLayouts.labelFromName(fileName);
    }

    /**
     * The root of the feature cache: {@code $XDG_CACHE_HOME/myelin} when that variable holds an
     * absolute path, else {@code ~/.cache/myelin}.
     */
    public static Path defaultCacheRoot() {
        return defaultCacheRoot(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home"));
    }

    static Path defaultCacheRoot(String xdgCacheHome, String userHome) {
        if (xdgCacheHome != null && !xdgCacheHome.isEmpty() && Path.of(xdgCacheHome).isAbsolute()) {
            return Path.of(xdgCacheHome, "myelin");
        }
        return Path.of(userHome, ".cache", "myelin");
    }

    /** The cache folder of a data folder below the default root (created if needed). */
    public static Path cacheFolder(Path dir) throws IOException {
        return cacheFolder(dir, null);
    }

    /**
     * The cache folder of a data folder: {@code root/<folder name>-<16 hex of its absolute path>},
     * created if needed; {@code root} null means {@link #defaultCacheRoot()}.
     */
    public static Path cacheFolder(Path dir, Path root) throws IOException {
        Path base = root != null ? root : defaultCacheRoot();
        Path abs = dir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "root" : abs.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        Path folder = base.resolve(name + "-" + hex(sha256(abs.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16));
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IOException("cannot create the feature cache " + folder + " (" + e.getMessage()
                    + "); choose another with --cache DIR or use --no-cache", e);
        }
        return folder;
    }

    /**
     * Builds the features of a data folder into {@code out} (or confirms that {@code out} already
     * holds them, by key). Safe under concurrency: the folder is locked ({@link CacheLock}) for
     * the check and the build, so of two processes asking at once one builds and the other waits
     * and reuses.
     */
    public static Summary build(Path dir, Path out, Options options) throws IOException {
        Listed l = listed(dir, options); // a folder that is no dataset is refused before anything is created
        CacheLock lock = CacheLock.take(out, options.progress);
        try {
            return buildLocked(dir, out, options, l);
        } finally {
            lock.close();
        }
    }

    /** What a build reads: the listing of the recordings, the recipe and the cache key of both. */
    private record Listed(DatasetLayouts.Listing listing, FeatureRecipe recipe, String key) {}

    private static Listed listed(Path dir, Options options) throws IOException {
        String format = options.format != null ? options.format : DatasetLayouts.detect(dir);
        if (format.equals("cache")) throw new IllegalArgumentException(dir + " already holds features (x.npy, y.npy, split.npy)");
        if (format.equals("shd") || format.equals("ssc")) {
            throw new IllegalArgumentException(dir + ": holds spike trains (" + format + "), which train and eval read directly; "
                    + "features are made from audio datasets");
        }
        DatasetLayouts.Listing listing = DatasetLayouts.list(dir, format, options.testFraction, options.split);
        FeatureRecipe recipe = FeatureRecipe.paper(datasetRate(dir, listing.entries));
        return new Listed(listing, recipe, key(dir, listing, options, recipe));
    }

    /** {@link #build} with the folder's lock held by the caller. */
    private static Summary buildLocked(Path dir, Path out, Options options, Listed l) throws IOException {
        DatasetLayouts.Listing listing = l.listing();
        FeatureRecipe recipe = l.recipe();
        String key = l.key();
        Summary existing = upToDate(out, key);
        if (existing != null) return existing;
        Built b = compute(dir, listing, options, recipe);
        int kept = b.y.length, steps = recipe.frames, mels = recipe.mels;

        Path meta = out.resolve("meta.json");
        Files.createDirectories(out);
        Files.deleteIfExists(meta);
        Npy.write(out.resolve("x.npy"), b.x, kept, steps, mels);
        Npy.write(out.resolve("y.npy"), b.y, kept);
        Npy.write(out.resolve("split.npy"), b.split, kept);
        StringBuilder files = new StringBuilder();
        for (String f : b.names) files.append(f).append('\n');
        AtomicFiles.writeString(out.resolve("files.txt"), files.toString());
        Map<String, Object> m = Json.object();
        m.put("format", listing.format);
        m.put("source", dir.toAbsolutePath().normalize().toString());
        m.put("split", listing.splitRule);
        m.put("classes", b.classes);
        m.put("classNames", listing.classNames);
        m.put("samples", kept);
        m.put("train", b.train);
        m.put("valid", b.valid);
        m.put("test", kept - b.train - b.valid);
        m.put("steps", steps);
        m.put("channels", mels);
        m.put("skipBad", options.skipBad);
        m.put("skipped", b.skipped);
        m.put("unlisted", listing.unlisted);
        m.put("values", "logmel");
        m.put("sampleRate", recipe.sampleRate);
        m.put("recipe", recipe.toMap());
        m.put("key", key);
        AtomicFiles.writeString(meta, Json.write(m));
        return b.summary(out, false);
    }

    /** The features of a listing, in memory: rows in listing order, bad files left out (or fatal). */
    private static final class Built {
        String format, splitRule;
        float[] x;
        int[] y, split;
        final List<String> names = new ArrayList<>(), skipped = new ArrayList<>();
        int train, valid, classes;

        Summary summary(Path out, boolean reused) {
            return new Summary(out, format, splitRule, train, valid, y.length - train - valid, classes, skipped, reused);
        }
    }

    private static Built compute(Path dir, DatasetLayouts.Listing listing, Options options, FeatureRecipe recipe) throws IOException {
        List<DatasetLayouts.Entry> entries = listing.entries;
        int n = entries.size();
        float[][] features = new float[n][];
        String[] errors = new String[n];
        extract(dir, entries, features, errors, options, recipe);

        Built b = new Built();
        b.format = listing.format;
        b.splitRule = listing.splitRule;
        int kept = 0;
        for (int k = 0; k < n; k++) {
            if (errors[k] != null) {
                if (!options.skipBad) throw new BadAudioException(errors[k] + " (use --skip-bad to leave bad files out)");
                b.skipped.add(errors[k]);
            } else {
                kept++;
            }
        }
        int steps = recipe.frames, mels = recipe.mels;
        b.x = new float[kept * steps * mels];
        b.y = new int[kept];
        b.split = new int[kept];
        int row = 0;
        for (int k = 0; k < n; k++) {
            if (errors[k] != null) continue;
            System.arraycopy(features[k], 0, b.x, row * steps * mels, steps * mels);
            b.y[row] = entries.get(k).label;
            b.split[row] = entries.get(k).split;
            if (b.split[row] == DatasetLayouts.TRAIN) b.train++;
            if (b.split[row] == DatasetLayouts.VALID) b.valid++;
            b.names.add(entries.get(k).file);
            row++;
        }
        if (b.train == 0) throw new IllegalArgumentException(dir + ": no usable training files" + (b.skipped.isEmpty() ? "" : " (" + b.skipped.size() + " bad files skipped)"));
        b.classes = listing.classNames.size();
        return b;
    }

    private static Summary upToDate(Path out, String key) {
        try {
            Path meta = out.resolve("meta.json");
            if (!Files.isRegularFile(meta)) return null;
            Object parsed = Json.parse(Files.readString(meta, StandardCharsets.UTF_8));
            if (!(parsed instanceof Map)) return null;
            Map<?, ?> m = (Map<?, ?>) parsed;
            if (!key.equals(m.get("key"))) return null;
            for (String f : new String[] {"x.npy", "y.npy", "split.npy", "files.txt"}) if (!Files.isRegularFile(out.resolve(f))) return null;
            List<String> skipped = new ArrayList<>();
            if (m.get("skipped") instanceof List) for (Object o : (List<?>) m.get("skipped")) skipped.add(String.valueOf(o));
            return new Summary(out, String.valueOf(m.get("format")), String.valueOf(m.get("split")), ((Number) m.get("train")).intValue(),
                    m.get("valid") instanceof Number v ? v.intValue() : 0, ((Number) m.get("test")).intValue(), ((Number) m.get("classes")).intValue(), skipped, true);
        } catch (IOException | RuntimeException e) {
            return null; // unreadable or foreign meta.json: rebuild
        }
    }

    /** Decodes and featurises every entry, in parallel; results land at the entry's index. */
    private static void extract(Path dir, List<DatasetLayouts.Entry> entries, float[][] features, String[] errors,
                                Options options, FeatureRecipe recipe) throws IOException {
        int n = entries.size();
        int threads = Math.max(1, Math.min(options.threads, n));
        Progress progress = options.progress ? new Progress("features", n, "files") : null;
        // the rate's baseline is the start of the work, not the first file collected: the files are
        // collected in order, so a slow first one (or a descheduled collector) would otherwise put
        // thousands of updates into a few microseconds and show an absurd rate
        if (progress != null) progress.update(0, "");
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "myelin-features");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                final int i = k;
                futures.add(pool.submit(() -> {
                    String rel = entries.get(i).file;
                    try {
                        features[i] = logMel(samplesOfName(dir, rel, recipe.sampleRate), rel, recipe);
                    } catch (BadAudioException e) {
                        errors[i] = e.getMessage();
                    } catch (IOException e) {
                        errors[i] = rel + ": cannot read (" + e + ")";
                    }
                }));
            }
            int bad = 0;
            for (int k = 0; k < n; k++) {
                try {
                    futures.get(k).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while computing features", e);
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException) throw (RuntimeException) c;
                    if (c instanceof Error) throw (Error) c;
                    throw new IOException(c);
                }
                if (errors[k] != null) bad++;
                if (progress != null) progress.update(k + 1, bad > 0 ? bad + " bad" : "");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The sample rate of a dataset's features: that of the first listed file that decodes (the
     * others are resampled to it, {@link Resampler}); 8 kHz for FSDD, 48 kHz for HD.
     */
    static int datasetRate(Path dir, List<DatasetLayouts.Entry> entries) {
        for (DatasetLayouts.Entry e : entries) {
            try {
                Audio a = AudioFiles.read(Files.readAllBytes(dir.resolve(fileOf(e.file))), e.file);
                if (a.sampleRate >= 400 && a.sampleRate <= FeatureRecipe.MAX_RATE) return a.sampleRate;
            } catch (IOException | RuntimeException ignored) {
                // a bad file is reported by the extraction; try the next
            }
        }
        throw new BadAudioException(dir + ": no listed recording decodes to audio at a usable sample rate");
    }

    /**
     * One file's log-Mel frames before normalisation at the recipe's rate (resampled when the file
     * has another); errors name it by {@code name}.
     */
    public static float[] logMelOf(Path file, String name, FeatureRecipe recipe) throws IOException {
        return logMel(samplesOf(file, name, recipe.sampleRate), name, recipe);
    }

    private static float[] logMel(float[] samples, String name, FeatureRecipe recipe) {
        float[] f = LogMel.of(recipe).frames(samples);
        for (float v : f) {
            if (!Float.isFinite(v)) throw new BadAudioException(name + ": features are not finite (float samples far outside [-1, 1]?)");
        }
        return f;
    }

    /**
     * One file's samples as the front end takes them: decoded, mono, checked for non-finite
     * samples, resampled to {@code rate} when the file has another ({@link Resampler}); errors name
     * it by {@code name}. The feature cache ({@link #logMelOf}) and the training loop's waveform
     * augmentation ({@link Waveforms}) both read audio through this.
     */
    public static float[] samplesOf(Path file, String name, int rate) throws IOException {
        return samplesOf(file, name, rate, 0, -1);
    }

    /** A clip of a recording: "FILE@START+LENGTH", in samples of the file as decoded. */
    static final java.util.regex.Pattern CLIP = java.util.regex.Pattern.compile("(.+)@(\\d{1,12})\\+(\\d{1,9})");

    /** The file a listed name reads: the name, or for a clip "FILE@START+LENGTH" its FILE. */
    public static String fileOf(String name) {
        java.util.regex.Matcher m = CLIP.matcher(name);
        return m.matches() ? m.group(1) : name;
    }

    /**
     * The samples of a listed name (relative to {@code dir}): a whole file, or a clip
     * "FILE@START+LENGTH" cut before resampling; errors name it by the listed name.
     */
    public static float[] samplesOfName(Path dir, String name, int rate) throws IOException {
        java.util.regex.Matcher m = CLIP.matcher(name);
        if (!m.matches()) return samplesOf(dir.resolve(name), name, rate);
        return samplesOf(dir.resolve(m.group(1)), name, rate, Long.parseLong(m.group(2)), Integer.parseInt(m.group(3)));
    }

    private static float[] samplesOf(Path file, String name, int rate, long start, int length) throws IOException {
        Audio a = AudioFiles.read(Files.readAllBytes(file), name);
        if (a.frames == 0) throw new BadAudioException(name + ": no samples");
        float[] x = a.mono();
        if (length >= 0) {
            if (start + length > x.length) throw new BadAudioException(name + ": the clip ends past the recording's " + x.length + " samples");
            x = java.util.Arrays.copyOfRange(x, (int) start, (int) start + length);
        }
        checkSamples(x, name);
        if (a.sampleRate != rate) {
            try {
                x = Resampler.resample(x, a.sampleRate, rate);
            } catch (IllegalArgumentException e) {
                throw new BadAudioException(name + ": " + e.getMessage());
            }
        }
        return x;
    }

    /** Refuses NaN or infinite samples, naming the file and the sample. */
    public static void checkSamples(float[] x, String name) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) throw new BadAudioException(name + ": sample " + i + " is " + x[i]);
        }
    }

    /**
     * The features of one file; errors name it by {@code name}. Too-short-to-frame audio is fine
     * (zero-padded), but a file with no samples or a sample rate below 400 Hz is bad.
     */
    public static float[] featuresOf(Path file, String name) throws IOException {
        Audio a = AudioFiles.read(Files.readAllBytes(file), name);
        if (a.frames == 0) throw new BadAudioException(name + ": no samples");
        if (a.sampleRate < 400) throw new BadAudioException(name + ": sample rate " + a.sampleRate + " Hz is too low");
        float[] f = LogMel.features(a.mono(), a.sampleRate);
        for (float v : f) {
            if (!Float.isFinite(v)) throw new BadAudioException(name + ": features are not finite (float samples far outside [-1, 1]?)");
        }
        return f;
    }

    private static String key(Path dir, DatasetLayouts.Listing listing, Options options, FeatureRecipe recipe) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("myelin-features-v2 raw log-Mel\n").append(Json.write(recipe.toMap())).append('\n');
        sb.append(listing.format).append('\n').append(listing.splitRule).append('\n');
        sb.append("skipBad=").append(options.skipBad).append('\n');
        sb.append(String.join(",", listing.classNames)).append('\n');
        for (DatasetLayouts.Entry e : listing.entries) {
            Path f = dir.resolve(fileOf(e.file));
            sb.append(e.file).append('\t').append(e.label).append('\t').append(e.split).append('\t')
                    .append(Files.size(f)).append('\t').append(Files.getLastModifiedTime(f).toMillis()).append('\n');
        }
        return hex(sha256(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte v : b) sb.append(String.format("%02x", v & 0xff));
        return sb.toString();
    }
}
