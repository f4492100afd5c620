package org.myelin.data;

import java.util.List;

/**
 * A labelled set of spatio-temporal samples held in memory.
 *
 * <p>Layout: {@code x[(n * steps + t) * channels + c]} — sample-major, then time, channel innermost,
 * exactly the C-order layout of a NumPy array of shape N × T × C (so {@code x.npy} files map onto it
 * one to one). The trainer transposes batches into its own batch-innermost layout.
 */
public final class Dataset {
    /** Input values, N × T × C, channel innermost. */
    public final float[] x;
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
        if (names != null && names.size() != n) throw new IllegalArgumentException("dataset: " + n + " samples but " + names.size() + " names");
        for (int k = 0; k < n; k++) {
            if (y[k] < 0 || y[k] >= classes) {
                throw new IllegalArgumentException("dataset: label " + y[k] + " of sample " + k + " is outside [0, " + classes + ")");
            }
        }
        for (int k = 0; k < x.length; k++) {
            if (!Float.isFinite(x[k])) {
                throw new IllegalArgumentException("dataset: non-finite input value at sample " + (k / (steps * channels)));
            }
        }
        this.x = x;
        this.y = y;
        this.size = n;
        this.steps = steps;
        this.channels = channels;
        this.classes = classes;
        this.names = names;
    }

    /** The samples {@code idx} (in that order) as a dataset of the same shape and classes; names follow when present. */
    public Dataset rows(int[] idx) {
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

    /** A training set and a test set with the same shape and classes. */
    public static final class Split {
        public final Dataset train;
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
            if (train.steps != test.steps || train.channels != test.channels || train.classes != test.classes) {
                throw new IllegalArgumentException("dataset: train and test shapes disagree");
            }
            org.myelin.model.Model.checkClassNames(classNames, train.classes, source);
            this.train = train;
            this.test = test;
            this.source = source;
            this.recipe = recipe;
            this.classNames = classNames == null ? null : List.copyOf(classNames);
        }

        /** This split with the classes named (null: unnamed); the arrays are shared. */
        public Split withClassNames(List<String> names) {
            return new Split(train, test, source, recipe, names);
        }
    }
}
