package org.myelin.data;

import java.io.IOException;
import java.nio.file.Path;
import org.myelin.model.FeatureRecipe;

/**
 * The training recordings of an audio dataset as waveforms in memory, for augmentation that acts
 * before the front end (noise mixed at a random SNR: {@code --aug-snr}). Loaded only when that is
 * asked for; the features the trainer normally reads stay the one copy of the data otherwise.
 *
 * <p>Layout: one flat {@code float[]} of every utterance's samples back to back, utterance i at
 * {@code samples()[start(i) .. start(i) + length(i))}, in the row order of the training
 * {@link Dataset} they belong to (sample i of the waveforms is row i of the features). Each holds
 * the file's samples as the feature cache read them ({@link AudioDatasets#samplesOf}: decoded,
 * mono, resampled to the recipe's rate), cropped to what the front end reads: the first
 * {@link #neededSamples} samples, (T − 1)·H + L (0.815 s at 80 frames of 25 ms every 10 ms);
 * the front end never looks further, so a longer utterance keeps no more.
 */
public final class Waveforms {
    /** The front end and normalisation of the features these waveforms belong to. */
    public final FeatureRecipe recipe;
    private final float[] samples;
    private final int[] start;

    private Waveforms(FeatureRecipe recipe, float[] samples, int[] start) {
        this.recipe = recipe;
        this.samples = samples;
        this.start = start;
    }

    /** The most samples the front end of {@code r} reads from one utterance: (frames − 1)·hop + frame length. */
    public static int neededSamples(FeatureRecipe r) {
        return (r.frames - 1) * r.hop + r.frameLength;
    }

    /**
     * Utterances from arrays (each cropped to {@link #neededSamples}); for tests and benchmarks.
     */
    public static Waveforms of(FeatureRecipe recipe, float[][] utterances) {
        int keep = neededSamples(recipe);
        long total = 0;
        for (float[] u : utterances) total += Math.min(u.length, keep);
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("waveforms: " + total + " samples do not fit one array");
        float[] all = new float[(int) total];
        int[] start = new int[utterances.length + 1];
        int at = 0;
        for (int i = 0; i < utterances.length; i++) {
            float[] u = utterances[i];
            if (u.length == 0) throw new IllegalArgumentException("waveforms: utterance " + i + " has no samples");
            int n = Math.min(u.length, keep);
            System.arraycopy(u, 0, all, at, n);
            start[i] = at;
            at += n;
        }
        start[utterances.length] = at;
        return new Waveforms(recipe, all, start);
    }

    /**
     * The waveforms of a training set read from the data folder it was built from: row i is
     * {@code dir/train.names.get(i)}, read as the feature cache reads it, at the recipe's rate.
     *
     * @throws IllegalArgumentException naming the file when one cannot be read or decoded
     */
    public static Waveforms load(Path dir, Dataset train, FeatureRecipe recipe) throws IOException {
        if (train.names == null) throw new IllegalArgumentException(dir + ": the training set does not name its files; waveforms cannot be read");
        if (recipe == null) throw new IllegalArgumentException(dir + ": the training features have no known front end; waveforms cannot be used");
        float[][] u = new float[train.size][];
        int keep = neededSamples(recipe);
        for (int i = 0; i < train.size; i++) {
            String name = train.names.get(i);
            float[] x = AudioDatasets.samplesOfName(dir, name, recipe.sampleRate);
            u[i] = x.length > keep ? java.util.Arrays.copyOf(x, keep) : x;
        }
        return of(recipe, u);
    }

    /**
     * These utterances followed by {@code more} (each cropped to {@link #neededSamples}): the
     * waveforms of a training set with rows appended (e.g. generated non-keywords).
     */
    public Waveforms with(float[][] more) {
        float[][] u = new float[size() + more.length][];
        for (int i = 0; i < size(); i++) u[i] = java.util.Arrays.copyOfRange(samples, start[i], start[i + 1]);
        System.arraycopy(more, 0, u, size(), more.length);
        return of(recipe, u);
    }

    /** Number of utterances. */
    public int size() {
        return start.length - 1;
    }

    /** The flat sample array (read-only by contract: every utterance, back to back). */
    public float[] samples() {
        return samples;
    }

    /** Where utterance i starts in {@link #samples()}. */
    public int start(int i) {
        return start[i];
    }

    /** Samples kept of utterance i (at most {@link #neededSamples}). */
    public int length(int i) {
        return start[i + 1] - start[i];
    }

    /** The longest utterance kept, in samples. */
    public int maxLength() {
        int m = 0;
        for (int i = 0; i < size(); i++) m = Math.max(m, length(i));
        return m;
    }

    /** Memory held, in bytes (the samples and the offsets). */
    public long bytes() {
        return 4L * samples.length + 4L * start.length;
    }
}
