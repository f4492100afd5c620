package org.myelin.data;

import java.util.List;

/**
 * A labelled set of spatio-temporal samples held in memory, in one of two stores:
 *
 * <ul>
 * <li><b>floats</b> ({@link #x}): {@code x[(n * steps + t) * channels + c]} — sample-major, then
 *     time, channel innermost, exactly the C-order layout of a NumPy array of shape N × T × C (so
 *     {@code x.npy} files map onto it one to one);</li>
 * <li><b>spike counts</b> ({@link #ofCounts}): per sample one array of unsigned bytes,
 *     {@code counts[n][t * channels + c]} for its own frames t &lt; {@code counts[n].length / channels}
 *     (at most {@code steps}); the frames after them are empty. A quarter of the floats' memory or
 *     less: the Spiking Speech Commands' training part fits in about 1 GB.</li>
 * </ul>
 *
 * Batches are assembled by {@link #read}, the one path from either store to the float values the
 * trainer and evaluation use (they then transpose into their own batch-innermost layout).
 */
public final class Dataset {
    /** Input values, N × T × C, channel innermost; null when the samples are held as spike counts. */
    public final float[] x;
    /** Spike counts per sample (unsigned bytes, see the class comment); null when the values are floats. */
    private final byte[][] counts;
    /** Labels, N, each in [0, classes). */
    public final int[] y;
    public final int size;
    public final int steps;
    public final int channels;
    public final int classes;
    /** Where each sample came from (a file name relative to the data folder, or a generated id). */
    public final List<String> names;

    public Dataset(float[] x, int[] y, int steps, int channels, int classes, List<String> names) {
        if (steps <= 0 || channels <= 0) throw new IllegalArgumentException("dataset: steps and channels must be positive");
        if (x.length % (steps * channels) != 0) {
            throw new IllegalArgumentException("dataset: x holds " + x.length + " values, not a multiple of T×C = " + steps + "×" + channels);
        }
        int n = x.length / (steps * channels);
        if (y.length != n) throw new IllegalArgumentException("dataset: " + n + " samples in x but " + y.length + " labels in y");
        checkLabelsAndNames(y, classes, names);
        for (int k = 0; k < x.length; k++) {
            if (!Float.isFinite(x[k])) {
                throw new IllegalArgumentException("dataset: non-finite input value at sample " + (k / (steps * channels)));
            }
        }
        this.x = x;
        this.counts = null;
        this.y = y;
        this.size = n;
        this.steps = steps;
        this.channels = channels;
        this.classes = classes;
        this.names = names;
    }

    /** One name per sample when names are given, every label in [0, classes); one line naming the fault otherwise. */
    private static void checkLabelsAndNames(int[] y, int classes, List<String> names) {
        if (names != null && names.size() != y.length) throw new IllegalArgumentException("dataset: " + y.length + " samples but " + names.size() + " names");
        for (int k = 0; k < y.length; k++) {
            if (y[k] < 0 || y[k] >= classes) {
                throw new IllegalArgumentException("dataset: label " + y[k] + " of sample " + k + " is outside [0, " + classes + ")");
            }
        }
    }

    private Dataset(byte[][] counts, int[] y, int steps, int channels, int classes, List<String> names) {
        if (steps <= 0 || channels <= 0) throw new IllegalArgumentException("dataset: steps and channels must be positive");
        int n = counts.length;
        if (y.length != n) throw new IllegalArgumentException("dataset: " + n + " samples of counts but " + y.length + " labels");
        checkLabelsAndNames(y, classes, names);
        for (int k = 0; k < n; k++) {
            int len = counts[k].length;
            if (len % channels != 0 || len > steps * channels) {
                throw new IllegalArgumentException("dataset: sample " + k + " holds " + len + " counts, not whole frames of " + channels
                        + " channels up to " + steps + " frames");
            }
        }
        this.x = null;
        this.counts = counts;
        this.y = y;
        this.size = n;
        this.steps = steps;
        this.channels = channels;
        this.classes = classes;
        this.names = names;
    }

    /**
     * A dataset of spike counts: {@code counts[n]} holds sample n's first frames, T' × C unsigned
     * bytes (T' ≤ {@code steps}; the later frames are empty). The arrays are kept, not copied.
     */
    public static Dataset ofCounts(byte[][] counts, int[] y, int steps, int channels, int classes, List<String> names) {
        return new Dataset(counts, y, steps, channels, classes, names);
    }

    /** Whether the samples are spike counts (held as bytes): a shift moves empty frames in, not the edge frame. */
    public boolean spikeCounts() {
        return counts != null;
    }

    /**
     * Sample {@code n}'s T × C values, each times {@code scale}, into {@code dst[off .. off + T·C)}:
     * the one way batches are filled from either store (allocation-free).
     */
    public void read(int n, float[] dst, int off, float scale) {
        int len = steps * channels;
        if (counts == null) {
            int src = n * len;
            for (int q = 0; q < len; q++) dst[off + q] = x[src + q] * scale;
            return;
        }
        byte[] row = counts[n];
        int m = row.length;
        for (int q = 0; q < m; q++) dst[off + q] = (row[q] & 0xFF) * scale;
        java.util.Arrays.fill(dst, off + m, off + len, 0f);
    }

    /** Bytes the samples' values take in memory (floats: 4 a value; counts: 1 a stored value). */
    public long valueBytes() {
        if (counts == null) return 4L * x.length;
        long b = 0;
        for (byte[] r : counts) b += r.length;
        return b;
    }

    /**
     * Feeds sample after sample to {@code sink} as its stored bytes, for fingerprints: floats as
     * little-endian IEEE values, counts as their bytes followed by zeros up to T × C.
     */
    public void digest(java.util.function.Consumer<byte[]> sink) {
        int len = steps * channels;
        if (counts == null) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * Math.min(x.length, 1 << 16)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int q = 0; q < x.length; ) {
                b.clear();
                int m = Math.min(x.length - q, b.capacity() / 4);
                b.asFloatBuffer().put(x, q, m);
                q += m;
                byte[] out = new byte[4 * m];
                b.get(out);
                sink.accept(out);
            }
            return;
        }
        byte[] zeros = new byte[len];
        for (byte[] r : counts) {
            sink.accept(r);
            if (r.length < len) sink.accept(java.util.Arrays.copyOf(zeros, len - r.length));
        }
    }

    /**
     * The samples {@code idx} (in that order) as a dataset of the same shape, classes and store;
     * names follow when present (a count store shares the samples' arrays).
     */
    public Dataset rows(int[] idx) {
        if (counts != null) {
            byte[][] nc = new byte[idx.length][];
            int[] ny = new int[idx.length];
            List<String> nn = names == null ? null : new java.util.ArrayList<>(idx.length);
            for (int i = 0; i < idx.length; i++) {
                nc[i] = counts[idx[i]];
                ny[i] = y[idx[i]];
                if (nn != null) nn.add(names.get(idx[i]));
            }
            return new Dataset(nc, ny, steps, channels, classes, nn);
        }
        int len = steps * channels;
        float[] nx = new float[idx.length * len];
        int[] ny = new int[idx.length];
        List<String> nn = names == null ? null : new java.util.ArrayList<>(idx.length);
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(x, idx[i] * len, nx, i * len, len);
            ny[i] = y[idx[i]];
            if (nn != null) nn.add(names.get(idx[i]));
        }
        return new Dataset(nx, ny, steps, channels, classes, nn);
    }

    /** A uniformly random permutation of 0..n−1 (Fisher–Yates), drawn from {@code r}. */
    public static int[] permutation(java.util.SplittableRandom r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A training set, a test set and perhaps a validation set, with the same shape and classes. */
    public static final class Split {
        public final Dataset train;
        /**
         * The validation part (SSC's {@code ssc_valid.h5}), or null: with one, training chooses its
         * best epoch on it and scores the test part once, for that epoch.
         */
        public final Dataset valid;
        public final Dataset test;
        /** A short description of where the data came from (for reports). */
        public final String source;
        /** The front end and normalisation that made these values, or null when unknown (built-in task, foreign features). */
        public final org.myelin.model.FeatureRecipe recipe;
        /**
         * The name of each class (index = label: "seven", "yes", "_silence_"), or null when the
         * data does not say (the built-in task, features without names): then a class is its number.
         */
        public final List<String> classNames;

        public Split(Dataset train, Dataset test, String source) {
            this(train, test, source, null);
        }

        public Split(Dataset train, Dataset test, String source, org.myelin.model.FeatureRecipe recipe) {
            this(train, test, source, recipe, null);
        }

        public Split(Dataset train, Dataset test, String source, org.myelin.model.FeatureRecipe recipe, List<String> classNames) {
            this(train, null, test, source, recipe, classNames);
        }

        /** A split with a validation part ({@code valid} may be null: none). */
        public Split(Dataset train, Dataset valid, Dataset test, String source, org.myelin.model.FeatureRecipe recipe, List<String> classNames) {
            if (train.steps != test.steps || train.channels != test.channels || train.classes != test.classes) {
                throw new IllegalArgumentException("dataset: train and test shapes disagree");
            }
            if (valid != null && (valid.steps != train.steps || valid.channels != train.channels || valid.classes != train.classes)) {
                throw new IllegalArgumentException("dataset: train and validation shapes disagree");
            }
            org.myelin.model.Model.checkClassNames(classNames, train.classes, source);
            this.train = train;
            this.valid = valid;
            this.test = test;
            this.source = source;
            this.recipe = recipe;
            this.classNames = classNames == null ? null : List.copyOf(classNames);
        }

        /** This split with the classes named (null: unnamed); the arrays are shared. */
        public Split withClassNames(List<String> names) {
            return new Split(train, valid, test, source, recipe, names);
        }
    }
}
