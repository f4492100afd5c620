package org.myelin.train;

import org.myelin.data.Dataset;
import org.myelin.data.LogMel;
import org.myelin.data.NoiseBank;
import org.myelin.data.Waveforms;
import org.myelin.kernel.Parallel;
import org.myelin.model.FeatureRecipe;

/**
 * Waveform noise ({@code --aug-snr LO:HI}): for each sample of a batch, noise mixed into its
 * waveform at a drawn SNR, then the dataset's own front end and normalisation
 * ({@link LogMel#frames(float[], int, float[], int, LogMel.Workspace)}, {@link LogMel#normalise},
 * the recipe of the training features, global statistics included) into the batch buffer — the
 * code that made the cached features, so a sample mixed with no noise gets exactly its cached
 * features.
 *
 * <p>Draws of sample b of batch i in epoch e (one generator seeded by a pure function of
 * (seed, e, i, b), apart from the feature augmentations' generator so those draw what they drew
 * without it): u uniform, the sample is mixed when u &lt; p ({@code --aug-snr-prob}); SNR uniform
 * in [LO, HI] dB; a noise clip uniform over the bank; a start in it uniform. The noise is the
 * clip read from that start for as many samples as the waveform has, wrapping round. The mix is
 * s + g·n with g = √(P_s / (P_n · 10^(SNR/10))), P_s and P_n the mean squares of the waveform (the
 * part the front end reads) and of that noise segment, so the mixed waveform has exactly the drawn
 * SNR (a silent waveform or segment gets no noise).
 *
 * <p>The samples of a batch are independent, so they are split over the training team
 * ({@link Parallel}); each is computed alone in a fixed order, so the bits do not depend on the
 * thread count. Each thread keeps its own scratch (a mix buffer of the longest waveform and a
 * front-end workspace), made on its first batch: nothing is allocated per batch after that.
 */
final class WaveNoise {
    private final Waveforms waves;
    private final NoiseBank noise;
    private final FeatureRecipe recipe;
    private final LogMel front;
    private final double lo, hi, prob;
    private final int maxLead;
    private final long seed;
    private final Parallel par;
    private final int n;
    private final ThreadLocal<Scratch> scratch;
    private final Parallel.RangeBody body = this::range;
    // the batch being filled, set before each par.range (published by it)
    private Dataset tr;
    private int[] order;
    private int from, epoch, batch;
    private float[] x;

    private static final class Scratch {
        final float[] mix;
        final LogMel.Workspace ws;
        final Augment.Draws r = new Augment.Draws();

        Scratch(int len, LogMel front) {
            mix = new float[len];
            ws = front.workspace();
        }
    }

    WaveNoise(TrainConfig tc, Dataset train, Waveforms waves, NoiseBank noise, Parallel par) {
        if (waves.size() != train.size) {
            throw new IllegalArgumentException("--aug-snr: " + waves.size() + " waveforms for " + train.size + " training samples");
        }
        if (waves.recipe.frames != train.steps || waves.recipe.mels != train.channels) {
            throw new IllegalArgumentException("--aug-snr: the waveforms' recipe makes " + waves.recipe.frames + " × " + waves.recipe.mels
                    + " features but the samples are " + train.steps + " × " + train.channels);
        }
        if (noise.sampleRate != waves.recipe.sampleRate) {
            throw new IllegalArgumentException("--aug-snr: noise at " + noise.sampleRate + " Hz for waveforms at " + waves.recipe.sampleRate + " Hz");
        }
        this.waves = waves;
        this.noise = noise;
        this.recipe = waves.recipe;
        this.front = LogMel.of(recipe);
        this.lo = tc.augSnr.lo();
        this.hi = tc.augSnr.hi();
        this.prob = tc.augSnrProb;
        this.maxLead = tc.augLead;
        this.seed = tc.seed;
        this.par = par;
        this.n = train.steps * train.channels;
        int len = Math.max(1, waves.maxLength() + maxLead * recipe.hop);
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(len, front));
    }

    /** The seed of one sample's waveform draws: a pure function of (seed, epoch, batch, sample in batch). */
    static long sampleSeed(long seed, int epoch, int batch, int b) {
        return Trainer.mix(Augment.sampleSeed(seed, epoch, batch, b), 0x57415645L, 0x534E52L); // "WAVE", "SNR"
    }

    /**
     * Writes the features of samples {@code order[from .. from + B)} into {@code x[b·T·C ..)}, each
     * mixed with noise (or, when its draw says not, the cached features), before any input scale.
     */
    void fill(Dataset tr, int[] order, int from, int B, int epoch, int batch, float[] x) {
        this.tr = tr;
        this.order = order;
        this.from = from;
        this.epoch = epoch;
        this.batch = batch;
        this.x = x;
        par.range(B, 1, body);
        this.x = null;
        this.tr = null;
        this.order = null;
    }

    private void range(int b0, int b1) {
        Scratch sc = scratch.get();
        for (int b = b0; b < b1; b++) sample(tr, order[from + b], b, sc);
    }

    private void sample(Dataset tr, int s, int b, Scratch sc) {
        Augment.Draws r = sc.r;
        r.reset(sampleSeed(seed, epoch, batch, b));
        int off = b * n;
        boolean on = r.uniform() < prob;
        double snr = lo + (hi - lo) * r.uniform();
        int k = r.below(noise.size());
        float[] clip = noise.clip(k);
        int at = r.below(clip.length);
        // drawn last and only when on, so the draws above are those of a run without it
        int lead = maxLead > 0 ? r.below(maxLead + 1) * recipe.hop : 0;
        if (!on && lead == 0) {
            System.arraycopy(tr.x, s * n, x, off, n);
            return;
        }
        int len = waves.length(s);
        mix(waves.samples(), waves.start(s), len, clip, at, on ? snr : Double.POSITIVE_INFINITY, lead, sc.mix);
        front.frames(sc.mix, lead + len, x, off, sc.ws);
        LogMel.normalise(recipe, x, off, 1);
    }

    /**
     * {@code out[0, len)} = {@code sig[so, so + len)} + g·noise, the noise being {@code clip} read
     * from {@code at} wrapping round, g such that the mean-square ratio of signal to scaled noise is
     * 10^(snrDb/10) (0 when either is silent). The sums are in double, the mix in float.
     *
     * @return g
     */
    static double mix(float[] sig, int so, int len, float[] clip, int at, double snrDb, float[] out) {
        return mix(sig, so, len, clip, at, snrDb, 0, out);
    }

    /**
     * As {@link #mix(float[], int, int, float[], int, double, float[])} with the signal starting
     * {@code lead} samples into {@code out[0, lead + len)}: noise alone before it, the SNR that of
     * the signal's mean square to the noise's over the whole window (lead 0: the same bits as
     * without a lead). An infinite SNR adds no noise.
     */
    static double mix(float[] sig, int so, int len, float[] clip, int at, double snrDb, int lead, float[] out) {
        double ps = 0, pn = 0;
        for (int j = 0; j < len; j++) ps += (double) sig[so + j] * sig[so + j];
        int L = clip.length, w = lead + len;
        for (int j = 0, q = at; j < w; j++) {
            pn += (double) clip[q] * clip[q];
            if (++q == L) q = 0;
        }
        double g = 0;
        if (ps > 0 && pn > 0 && snrDb != Double.POSITIVE_INFINITY) {
            double f = StrictMath.pow(10, snrDb / 10);
            g = lead == 0 ? Math.sqrt(ps / (pn * f)) : Math.sqrt((ps / len) / (pn / w * f));
        }
        float gf = (float) g;
        for (int j = 0, q = at; j < w; j++) {
            out[j] = (j < lead ? 0f : sig[so + j - lead]) + gf * clip[q];
            if (++q == L) q = 0;
        }
        return g;
    }

    /** Memory of the waveforms and the noise, in bytes. */
    long bytes() {
        return waves.bytes() + noise.bytes();
    }
}
