package org.myelin.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.myelin.io.Json;
import org.myelin.io.Npy;
import org.myelin.model.FeatureRecipe;

/**
 * The one reader of a features folder, and the normalisation of what it read.
 *
 * <h2>Layouts</h2>
 * <ul>
 *   <li>{@code DIR/x.npy}, {@code DIR/y.npy}, {@code DIR/split.npy} (0 = train, 1 = test, 2 = validation), optional
 *       {@code DIR/files.txt} (one name per row) and {@code DIR/meta.json} — what {@code features}
 *       writes;</li>
 *   <li>{@code DIR/train/x.npy}, {@code DIR/train/y.npy}, {@code DIR/test/x.npy}, {@code DIR/test/y.npy}.</li>
 * </ul>
 * x is N × T × C, {@code <f4} or {@code <f8} (read as float32), C order; y is N {@code <i4}
 * labels ≥ 0. Classes = the larger of max label + 1 over every part and meta.json's
 * {@code classes}, at least 2. The train and test parts must be non-empty (a one-sided split is
 * refused, naming the file); rows marked 2 in {@code split.npy} are a validation part (GSC's
 * {@code validation_list.txt}), on which training chooses its best epoch.
 *
 * <h2>Values</h2>
 * When meta.json says {@code "values": "logmel"} (the cache of this version) x holds the log-Mel
 * frames before normalisation and meta.json's {@code recipe} describes their front end; they become
 * model input by {@link Features#normalised} (training: the mode chosen, global statistics from
 * the training part) or {@link Features#normalisedFor} (evaluation: the model's recipe and
 * statistics). Any other folder holds model input as is, with no known front end.
 */
public final class FeaturesFolder {
    private FeaturesFolder() {}

    /** True when the folder holds features in one of the layouts. */
    public static boolean accepts(Path dir) {
        return Files.isRegularFile(dir.resolve("x.npy")) || Files.isRegularFile(dir.resolve("train").resolve("x.npy"));
    }

    /** What a features folder holds. */
    public static final class Features {
        /** Train, test (and validation) parts as stored. */
        public final Dataset.Split stored;
        /** The front end of raw log-Mel values, or null when the values are model input already. */
        public final FeatureRecipe frontEnd;

        /** Values as stored and their front end (null: model input as is). */
        public Features(Dataset.Split stored, FeatureRecipe frontEnd) {
            this.stored = stored;
            this.frontEnd = frontEnd;
        }

        /**
         * Model input for training: raw log-Mel values normalised as {@code mode} says (global
         * statistics from the training part), with the recipe attached; values stored as model
         * input are returned as they are (and {@code global} is refused for them).
         */
        public Dataset.Split normalised(FeatureRecipe.Normalization mode) {
            if (frontEnd == null) {
                if (mode == FeatureRecipe.Normalization.GLOBAL) {
                    throw new IllegalArgumentException(stored.source + ": --normalize global needs log-Mel features with a known recipe "
                            + "(an audio dataset, or a folder written by 'features'); this folder holds model input as is");
                }
                return stored;
            }
            FeatureRecipe r = frontEnd;
            if (mode == FeatureRecipe.Normalization.GLOBAL) {
                Dataset tr = stored.train;
                float[][] ms = LogMel.channelStatistics(tr.x, tr.size, tr.steps, tr.channels, r.stdFloor);
                r = r.withGlobalNormalization(ms[0], ms[1]);
            } else {
                r = r.withUtteranceNormalization();
            }
            return apply(r);
        }

        /**
         * Model input for a model trained with {@code recipe} (null: a model without one, whose
         * input is taken as stored, or, for raw log-Mel values, standardised per utterance as
         * models before recipes were).
         *
         * @throws IllegalArgumentException naming {@code modelName} when the front ends differ
         */
        public Dataset.Split normalisedFor(FeatureRecipe recipe, String modelName) {
            if (frontEnd == null) {
                if (recipe != null) {
                    throw new IllegalArgumentException(stored.source + ": holds model input of unknown origin, but " + modelName
                            + " was trained on " + recipe + "; give the audio dataset or a folder written by 'features'");
                }
                return stored;
            }
            if (recipe == null) return apply(frontEnd.withUtteranceNormalization());
            if (!recipe.sameFrontEnd(frontEnd)) {
                throw new IllegalArgumentException(stored.source + ": features were made with " + frontEnd + " but " + modelName
                        + " was trained on " + recipe);
            }
            return apply(recipe);
        }

        private Dataset.Split apply(FeatureRecipe r) {
            return new Dataset.Split(copyNormalised(stored.train, r), stored.valid == null ? null : copyNormalised(stored.valid, r),
                    copyNormalised(stored.test, r), stored.source, r, stored.classNames);
        }

        private static Dataset copyNormalised(Dataset d, FeatureRecipe r) {
            float[] x = d.x.clone();
            LogMel.normalise(r, x, 0, d.size);
            return new Dataset(x, d.y, d.steps, d.channels, d.classes, d.names);
        }
    }

    /**
     * Reads a features folder; {@code source} describes it in the result (e.g. the audio folder the
     * cache was built from).
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static Features read(Path dir, String source) throws IOException {
        Map<?, ?> meta = meta(dir);
        FeatureRecipe frontEnd = null;
        if (meta != null && "logmel".equals(meta.get("values"))) {
            if (!(meta.get("recipe") instanceof Map)) throw new IllegalArgumentException(dir.resolve("meta.json") + ": log-Mel values without a 'recipe' object");
            frontEnd = FeatureRecipe.fromMap((Map<?, ?>) meta.get("recipe"), null, null, dir.resolve("meta.json").toString());
        }
        int metaClasses = meta != null && meta.get("classes") instanceof Number ? ((Number) meta.get("classes")).intValue() : 0;
        Dataset.Split split;
        if (Files.isRegularFile(dir.resolve("train").resolve("x.npy"))) {
            Part tr = part(dir.resolve("train"));
            Part te = part(dir.resolve("test"));
            if (tr.steps != te.steps || tr.channels != te.channels) {
                throw new IllegalArgumentException(dir + ": train/x.npy is N×" + tr.steps + "×" + tr.channels + " but test/x.npy is N×" + te.steps + "×" + te.channels);
            }
            int classes = classes(metaClasses, tr.y, te.y);
            split = new Dataset.Split(tr.dataset(classes), te.dataset(classes), source);
        } else {
            split = single(dir, source, metaClasses);
        }
        if (frontEnd != null && (split.train.steps != frontEnd.frames || split.train.channels != frontEnd.mels)) {
            throw new IllegalArgumentException(dir.resolve("x.npy") + ": N×" + split.train.steps + "×" + split.train.channels + " values but meta.json's recipe makes "
                    + frontEnd.frames + "×" + frontEnd.mels);
        }
        return new Features(split.withClassNames(classNames(meta, split.train.classes, dir)), frontEnd);
    }

    /** meta.json's "classNames" when it names every class, else null (older caches, foreign folders). */
    private static List<String> classNames(Map<?, ?> meta, int classes, Path dir) {
        if (meta == null || !(meta.get("classNames") instanceof List)) return null;
        List<String> names = new java.util.ArrayList<>();
        for (Object o : (List<?>) meta.get("classNames")) {
            if (!(o instanceof String)) throw new IllegalArgumentException(dir.resolve("meta.json") + ": 'classNames' holds a " + (o == null ? "null" : "non-string"));
            names.add((String) o);
        }
        org.myelin.model.Model.checkClassNames(names, classes, dir.resolve("meta.json").toString());
        return names;
    }

    private static Map<?, ?> meta(Path dir) throws IOException {
        Path f = dir.resolve("meta.json");
        if (!Files.isRegularFile(f)) return null;
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(f, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(f + ": not valid JSON (" + e.getMessage() + ")");
        }
        if (!(parsed instanceof Map)) throw new IllegalArgumentException(f + ": not a JSON object");
        return (Map<?, ?>) parsed;
    }

    private static int classes(int metaClasses, int[]... labels) {
        int c = Math.max(2, metaClasses);
        for (int[] y : labels) for (int v : y) c = Math.max(c, v + 1);
        return c;
    }

    /** One part of the train/ and test/ layout. */
    private static final class Part {
        final Path dir;
        final float[] x;
        final int[] y;
        final int steps, channels;
        final List<String> names;

        Part(Path dir, float[] x, int[] y, int steps, int channels, List<String> names) {
            this.dir = dir;
            this.x = x;
            this.y = y;
            this.steps = steps;
            this.channels = channels;
            this.names = names;
        }

        Dataset dataset(int classes) {
            return new Dataset(x, y, steps, channels, classes, names);
        }
    }

    private static Part part(Path dir) throws IOException {
        Npy.Array x = x(dir.resolve("x.npy"));
        int[] y = labels(dir.resolve("y.npy"), x.shape[0]);
        if (x.shape[0] == 0) throw new IllegalArgumentException(dir.resolve("x.npy") + ": no samples (both train and test need some)");
        return new Part(dir, x.f, y, x.shape[1], x.shape[2], names(dir, x.shape[0]));
    }

    private static Dataset.Split single(Path dir, String source, int metaClasses) throws IOException {
        Npy.Array x = x(dir.resolve("x.npy"));
        int n = x.shape[0], per = x.shape[1] * x.shape[2];
        int[] y = labels(dir.resolve("y.npy"), n);
        Path sf = dir.resolve("split.npy");
        if (!Files.isRegularFile(sf)) throw new IllegalArgumentException(dir + ": x.npy and y.npy need split.npy (0 = train, 1 = test) or train/ and test/ folders");
        Npy.Array s = Npy.read(sf);
        if (s.i == null || s.shape.length != 1) throw new IllegalArgumentException(sf + ": need an <i4 vector (0 = train, 1 = test), got dtype " + s.dtype + " shape " + Arrays.toString(s.shape));
        if (s.shape[0] != n) throw new IllegalArgumentException(sf + ": " + s.shape[0] + " entries for " + n + " samples in x.npy");
        List<String> names = names(dir, n);
        int[] count = new int[3];
        for (int k = 0; k < n; k++) {
            if (s.i[k] < 0 || s.i[k] > 2) throw new IllegalArgumentException(sf + ": entry " + k + " is " + s.i[k] + " (must be 0 = train, 1 = test or 2 = validation)");
            count[s.i[k]]++;
        }
        if (count[0] == 0 || count[1] == 0) {
            throw new IllegalArgumentException(sf + ": needs both train (0) and test (1) samples, has " + count[0] + " train and " + count[1] + " test");
        }
        return bySplit(x.f, y, s.i, names, x.shape[1], x.shape[2], classes(metaClasses, y), source);
    }

    /**
     * Rows of split 0 become the training part, 1 the test part and 2 the validation part (none
     * when no row is 2), each in row order: the one way a split vector divides a features array
     * (a features folder's {@code split.npy}, an audio dataset computed in memory).
     */
    static Dataset.Split bySplit(float[] x, int[] y, int[] split, List<String> names, int steps, int ch, int classes, String source) {
        int per = steps * ch;
        Dataset[] parts = new Dataset[3];
        for (int p = 0; p < 3; p++) {
            int m = 0;
            for (int v : split) if (v == p) m++;
            if (p == 2 && m == 0) break;
            float[] xp = new float[m * per];
            int[] yp = new int[m];
            List<String> np = names == null ? null : new ArrayList<>(m);
            int a = 0;
            for (int k = 0; k < y.length; k++) {
                if (split[k] != p) continue;
                System.arraycopy(x, k * per, xp, a * per, per);
                yp[a++] = y[k];
                if (np != null) np.add(names.get(k));
            }
            parts[p] = new Dataset(xp, yp, steps, ch, classes, np);
        }
        return new Dataset.Split(parts[0], parts[2], parts[1], source, null, null);
    }

    private static Npy.Array x(Path f) throws IOException {
        if (!Files.isRegularFile(f)) throw new IllegalArgumentException(f + ": missing");
        Npy.Array a = Npy.read(f);
        if (a.f == null) throw new IllegalArgumentException(f + ": dtype " + a.dtype + ", need <f4 or <f8 values");
        if (a.shape.length != 3) throw new IllegalArgumentException(f + ": shape " + Arrays.toString(a.shape) + ", need N × T × C");
        if (a.shape[1] == 0 || a.shape[2] == 0) throw new IllegalArgumentException(f + ": shape " + Arrays.toString(a.shape) + " has no steps or channels");
        for (int q = 0; q < a.f.length; q++) {
            if (!Float.isFinite(a.f[q])) {
                int per = a.shape[1] * a.shape[2];
                throw new IllegalArgumentException(f + ": value " + a.f[q] + " of sample " + q / per + " is not finite (as float32)");
            }
        }
        return a;
    }

    private static int[] labels(Path f, int n) throws IOException {
        if (!Files.isRegularFile(f)) throw new IllegalArgumentException(f + ": missing");
        Npy.Array a = Npy.read(f);
        if (a.i == null || a.shape.length != 1) throw new IllegalArgumentException(f + ": need an <i4 vector of labels, got dtype " + a.dtype + " shape " + Arrays.toString(a.shape));
        if (a.shape[0] != n) throw new IllegalArgumentException(f + ": " + a.shape[0] + " labels for " + n + " samples in x.npy");
        for (int k = 0; k < n; k++) if (a.i[k] < 0) throw new IllegalArgumentException(f + ": label " + a.i[k] + " at row " + k + " is negative");
        return a.i;
    }

    private static List<String> names(Path dir, int n) throws IOException {
        Path ff = dir.resolve("files.txt");
        List<String> names = new ArrayList<>(n);
        if (Files.isRegularFile(ff)) {
            for (String line : Files.readAllLines(ff, StandardCharsets.UTF_8)) if (!line.isEmpty()) names.add(line);
            if (names.size() != n) throw new IllegalArgumentException(ff + ": " + names.size() + " names for " + n + " rows");
        } else {
            for (int k = 0; k < n; k++) names.add("row-" + k);
        }
        return names;
    }
}
