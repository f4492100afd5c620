package org.myelin.train;

import org.myelin.data.Dataset;
import org.myelin.data.NoiseBank;
import org.myelin.data.Waveforms;
import org.myelin.kernel.Parallel;

/**
 * Training-time augmentation of one mini-batch, applied to the batch buffer inside the training
 * loop (the dataset itself is never copied or changed). Every setting is off at 0; the transforms
 * of one sample run in this order:
 *
 * <ol>
 * <li><b>waveform noise</b> ({@code --aug-snr LO:HI}, {@code --aug-snr-prob P},
 *     {@code --aug-noise-dir DIR}; audio data only): with probability P (default 1), noise mixed
 *     into the sample's waveform at an SNR uniform in [LO, HI] dB, then the dataset's front end
 *     and normalisation compute its features ({@link WaveNoise}); the other transforms act on
 *     those features (blend mixes them with the partner's cached ones);</li>
 * <li><b>blend</b> ({@code --aug-blend P}): with probability P the sample is replaced by
 *     λ·x + (1 − λ)·x', x' another training sample of the same class drawn uniformly (never the
 *     sample itself; a class with one sample is left alone), λ uniform in [0, 1), frame t mixed
 *     with frame t (frame-aligned);</li>
 * <li><b>time CutMix</b> ({@code --aug-cutmix P}, as SNN-delays' {@code datasets.py} does it):
 *     sample b of the batch and its partner, sample b + 1 of the batch (the last sample of a batch
 *     has none and is left alone): with probability P, λ uniform in [0, 1), a run of
 *     w = ⌊λ·T⌋ frames, first frame uniform in [0, T − w), is replaced by the partner's same
 *     frames (as read from the data, before its own augmentation), and b's target becomes
 *     (1 − λ)·onehot(y_b) + λ·onehot(y_b+1): the batch's second labels and shares
 *     ({@link #fill}'s {@code mix}, {@code share}; the loss is the soft-target cross-entropy,
 *     {@link org.myelin.network.Network#loss(int[], int[], double[])});</li>
 * <li><b>time shift</b> ({@code --aug-shift S}): moved by k frames, k uniform in [−S, S]; frames
 *     moved in from outside are the edge frame repeated (the first for k &gt; 0, the last for
 *     k &lt; 0), as the log-Mel recipe completes a short utterance by repeating its last frame;
 *     for spike counts ({@link Dataset#spikeCounts}) they are empty, as the loader pads;</li>
 * <li><b>channel shift</b> ({@code --aug-channel-shift S}): channel c takes channel c − k, k
 *     uniform in [−S, S], the channels moved in from outside set to 0 (no spikes);</li>
 * <li><b>thinning</b> ({@code --aug-thin P}, DelRec; spike counts only): each spike dropped
 *     with probability P — a count n becomes Binomial(n, 1 − P), one draw a spike; a fractional
 *     part (left by blend) is kept whole or dropped, with the same probabilities;</li>
 * <li><b>channel mask</b> ({@code --aug-freq-mask F}): width f uniform in [0, F], first channel
 *     uniform in [0, C − f]; those channels set to 0 at every frame (0 is the mean of the
 *     recipe's per-utterance standardised features);</li>
 * <li><b>time mask</b> ({@code --aug-time-mask W}): width w uniform in [0, W], first frame
 *     uniform in [0, T − w]; those frames set to 0;</li>
 * <li><b>noise</b> ({@code --aug-noise L}): L·z added to every value, z standard normal (drawn
 *     from a fixed table of 65,536 normal values, {@link #NORMAL}); L is in the units of the
 *     standardised features, whose per-utterance standard deviation is 1;</li>
 * </ol>
 * then the trainer's input scale multiplies every value.
 *
 * <p>Determinism: the draws of sample b of batch i in epoch e come from one generator seeded by a
 * pure function of (seed, e, i, b), so a batch is augmented identically whatever the thread count,
 * and a resumed run draws exactly what the uninterrupted one did. The samples of a batch are split
 * over the training team (each thread with its own generator and scratch), the waveform noise's
 * front end first, then the feature transforms; the code is scalar. Nothing is allocated per
 * batch.
 */
public final class Augment {
    private final double blend, noise, cutmix, thin;
    private final int shift, freqMask, timeMask, channelShift;
    private final long seed;
    /** Training-sample indices of each class (for blend partners): indices, not a copy of the data. */
    private final int[][] byClass;
    /** The position of each training sample in its class's list. */
    private final int[] posInClass;
    /** Each thread's generator and shift buffer (the feature transforms are split over the team). */
    private final ThreadLocal<Lane> lanes;
    /** The team the samples of a batch are split over; null or one thread: the calling thread alone. */
    private final Parallel par;
    private final Parallel.RangeBody body = this::range;
    // the batch being filled, set before each par.range (which publishes them to the team)
    private Dataset fTr;
    private int[] fOrder;
    private int fFrom, fB, fEpoch, fBatch;
    private int[] fMix;
    private double[] fShare;
    private float fScale;
    private float[] fX;
    /** Waveform noise, or null when off. */
    private final WaveNoise wave;

    /** One thread's draws and scratch. */
    static final class Lane {
        final Draws r = new Draws();
        final float[] scratch;
        /** A partner sample's values (blend, CutMix). */
        final float[] partner;
        /** The CutMix share λ of the sample just augmented (0: not mixed). */
        double share;

        Lane(int n) {
            scratch = new float[n];
            partner = new float[n];
        }
    }

    Augment(TrainConfig tc, Dataset train) {
        this(tc, train, null, null);
    }

    private Augment(TrainConfig tc, Dataset train, WaveNoise wave, Parallel par) {
        this.wave = wave;
        this.par = par;
        this.blend = tc.augBlend;
        this.noise = tc.augNoise;
        this.shift = tc.augShift;
        this.freqMask = tc.augFreqMask;
        this.timeMask = tc.augTimeMask;
        this.cutmix = tc.augCutmix;
        this.channelShift = tc.augChannelShift;
        this.thin = tc.augThin;
        this.seed = tc.seed;
        int[] count = new int[train.classes];
        for (int s = 0; s < train.size; s++) count[train.y[s]]++;
        byClass = new int[train.classes][];
        for (int c = 0; c < count.length; c++) byClass[c] = new int[count[c]];
        posInClass = new int[train.size];
        int[] fill = new int[train.classes];
        for (int s = 0; s < train.size; s++) {
            int c = train.y[s];
            posInClass[s] = fill[c];
            byClass[c][fill[c]++] = s;
        }
        int n = train.steps * train.channels;
        lanes = ThreadLocal.withInitial(() -> new Lane(n));
    }

    /**
     * The augmentation a configuration asks for, or null when every setting is off.
     *
     * @throws IllegalArgumentException naming the flag when a shift or mask does not fit the
     *         samples (shift ≥ T frames, channel mask wider than C, time mask wider than T)
     */
    public static Augment of(TrainConfig tc, Dataset train) {
        return of(tc, train, null, null, null);
    }

    /**
     * {@link #of(TrainConfig, Dataset)} with the training waveforms and the noise for
     * {@code --aug-snr} (both null when it is off), the front end of noisy samples split over
     * {@code par} (null: the calling thread alone).
     *
     * @throws IllegalArgumentException naming the flag when a shift or mask does not fit, or when
     *         waveform noise is asked for without waveforms
     */
    public static Augment of(TrainConfig tc, Dataset train, Waveforms waves, NoiseBank noise, Parallel par) {
        if (!any(tc)) return null;
        if (tc.augSnr != null && (waves == null || noise == null)) {
            throw new IllegalArgumentException("--aug-snr mixes noise into the waveforms, and this training set has none "
                    + "(it needs an audio dataset given by --data)");
        }
        int T = train.steps, C = train.channels;
        if (tc.augShift >= T) throw new IllegalArgumentException("--aug-shift " + tc.augShift + " must be below the samples' " + T + " frames");
        if (tc.augFreqMask > C) throw new IllegalArgumentException("--aug-freq-mask " + tc.augFreqMask + " is wider than the samples' " + C + " channels");
        if (tc.augTimeMask > T) throw new IllegalArgumentException("--aug-time-mask " + tc.augTimeMask + " is longer than the samples' " + T + " frames");
        if (tc.augChannelShift >= C) {
            throw new IllegalArgumentException("--aug-channel-shift " + tc.augChannelShift + " must be below the samples' " + C + " channels");
        }
        if (tc.augThin > 0 && !train.spikeCounts()) {
            throw new IllegalArgumentException("--aug-thin " + tc.augThin + " drops spikes, and this training set holds features, not spike counts (SHD/SSC)");
        }
        WaveNoise w = null;
        if (tc.augSnr != null) w = new WaveNoise(tc, train, waves, noise, par != null ? par : new Parallel(1));
        return new Augment(tc, train, w, par);
    }

    /** Whether any augmentation is on. */
    public static boolean any(TrainConfig tc) {
        return tc.augBlend > 0 || tc.augNoise > 0 || tc.augShift > 0 || tc.augFreqMask > 0 || tc.augTimeMask > 0 || tc.augSnr != null
                || tc.augCutmix > 0 || tc.augChannelShift > 0 || tc.augThin > 0;
    }

    /**
     * {@link #fill(Dataset, int[], int, int, int, int, float, float[], int[], double[])} of an
     * augmentation that mixes no labels (no CutMix).
     *
     * @throws IllegalStateException with CutMix on
     */
    public void fill(Dataset tr, int[] order, int from, int B, int epoch, int batch, float scale, float[] x) {
        if (cutmix > 0) throw new IllegalStateException("CutMix mixes labels: give the arrays of second labels and shares");
        fill(tr, order, from, B, epoch, batch, scale, x, null, null);
    }

    /**
     * Whether this augmentation mixes labels (CutMix): then {@link #fill} needs arrays for the
     * batch's second labels and shares, and the loss takes soft targets.
     */
    public boolean mixesLabels() {
        return cutmix > 0;
    }

    /**
     * Fills the batch buffer: {@code x[(b·T + t)·C + c]} for b &lt; B is training sample
     * {@code order[from + b]}, augmented, times {@code scale}; with CutMix also each sample's
     * target: (1 − {@code share[b]})·onehot(its label) + {@code share[b]}·onehot({@code mix[b]})
     * ({@code share[b]} 0 and {@code mix[b]} its own label when it was not mixed).
     *
     * @param epoch 0-based epoch
     * @param batch 0-based batch within the epoch
     * @param mix   B second labels (written), or null when {@link #mixesLabels} is false
     * @param share B shares of the second label (written), or null when {@link #mixesLabels} is false
     */
    public void fill(Dataset tr, int[] order, int from, int B, int epoch, int batch, float scale, float[] x, int[] mix, double[] share) {
        if (cutmix > 0 && (mix == null || share == null || mix.length < B || share.length < B)) {
            throw new IllegalArgumentException("CutMix mixes labels: give " + B + " second labels and shares");
        }
        if (wave != null) wave.fill(tr, order, from, B, epoch, batch, x);
        fTr = tr;
        fOrder = order;
        fFrom = from;
        fB = B;
        fMix = mix;
        fShare = share;
        fEpoch = epoch;
        fBatch = batch;
        fScale = scale;
        fX = x;
        if (par == null || par.threads() == 1) range(0, B);
        else par.range(B, 1, body);
    }

    /** Samples b0 .. b1 − 1 of the batch set up by {@link #fill}: each from its own seed, so any split gives the same bits. */
    private void range(int b0, int b1) {
        Lane ln = lanes.get();
        Dataset tr = fTr;
        float[] x = fX;
        float scale = fScale;
        int n = tr.steps * tr.channels;
        for (int b = b0; b < b1; b++) {
            int s = fOrder[fFrom + b];
            int next = b + 1 < fB ? fOrder[fFrom + b + 1] : -1;
            ln.r.reset(sampleSeed(seed, fEpoch, fBatch, b));
            sample(tr, s, next, x, b * n, wave != null, ln);
            for (int q = b * n, end = q + n; q < end; q++) x[q] *= scale;
            if (fMix != null) {
                fShare[b] = ln.share;
                fMix[b] = ln.share > 0 ? tr.y[next] : tr.y[s];
            }
        }
    }

    /** The seed of one sample's draws: a pure function of (seed, epoch, batch, sample in batch). */
    static long sampleSeed(long seed, int epoch, int batch, int b) {
        return Trainer.mix(Trainer.mix(seed, epoch, batch) ^ 0x5DEECE66DL, b, 0x61756721L);
    }

    /**
     * One sample into {@code x[off .. off + T·C)}, augmented, before the input scale, drawing from
     * {@code ln}'s generator (already seeded for this sample); it starts from the values already at
     * {@code x[off ..)} instead of the cached features when {@code inPlace} (the waveform noise put
     * them there). {@code next} is CutMix's partner (the next sample of the batch, -1 for none);
     * the CutMix share λ it drew is left in {@code ln.share} (0: not mixed).
     */
    void sample(Dataset tr, int s, int next, float[] x, int off, boolean inPlace, Lane ln) {
        Draws r = ln.r;
        ln.share = 0;
        int T = tr.steps, C = tr.channels, n = T * C;
        int partner = -1;
        double lambda = 1;
        if (blend > 0 && r.uniform() < blend) {
            int[] cls = byClass[tr.y[s]];
            if (cls.length > 1) {
                int j = r.below(cls.length - 1); // uniform over the class without s itself
                partner = cls[j >= posInClass[s] ? j + 1 : j];
                lambda = r.uniform();
            }
        }
        if (!inPlace) tr.read(s, x, off, 1f);
        if (partner >= 0) {
            float l = (float) lambda, m = (float) (1 - lambda);
            float[] ps = ln.partner;
            tr.read(partner, ps, 0, 1f);
            for (int q = 0; q < n; q++) x[off + q] = l * x[off + q] + m * ps[q];
        }
        if (cutmix > 0 && next >= 0 && r.uniform() < cutmix) cutmix(tr, next, x, off, ln);
        if (shift > 0) {
            int k = r.below(2 * shift + 1) - shift;
            if (tr.spikeCounts()) shiftEmpty(x, off, T, C, k, ln.scratch);
            else shift(x, off, T, C, k, ln.scratch);
        }
        if (channelShift > 0) shiftChannels(x, off, T, C, r.below(2 * channelShift + 1) - channelShift, ln.scratch);
        if (thin > 0) thin(x, off, n, thin, r);
        if (freqMask > 0) {
            int f = r.below(Math.min(freqMask, C) + 1);
            int c0 = r.below(C - f + 1);
            for (int t = 0; t < T; t++) for (int c = c0; c < c0 + f; c++) x[off + t * C + c] = 0f;
        }
        if (timeMask > 0) {
            int w = r.below(Math.min(timeMask, T) + 1);
            int t0 = r.below(T - w + 1);
            java.util.Arrays.fill(x, off + t0 * C, off + (t0 + w) * C, 0f);
        }
        if (noise > 0) addNoise(x, off, n, (float) noise, r);
    }

    /**
     * SNN-delays' time CutMix of one sample at {@code off}: λ uniform in [0, 1), w = ⌊λ·T⌋ frames
     * from a first frame uniform in [0, T − w) copied from sample {@code partner}; λ is left in
     * {@code ln.share}, the partner label's share of the target.
     */
    static void cutmix(Dataset tr, int partner, float[] x, int off, Lane ln) {
        int T = tr.steps, C = tr.channels;
        double lambda = ln.r.uniform();
        int w = (int) Math.floor(lambda * T);
        int t0 = ln.r.below(T - w);
        tr.read(partner, ln.partner, 0, 1f);
        System.arraycopy(ln.partner, t0 * C, x, off + t0 * C, w * C);
        ln.share = lambda;
    }

    /** Entries of {@link #NORMAL}: a power of two, so 16 random bits pick one. */
    static final int NORMAL_SIZE = 1 << 16;

    /**
     * The noise's normal distribution as a table: {@link #NORMAL_SIZE} standard-normal draws
     * (Box–Muller on a fixed SplitMix64 stream, in StrictMath so the table is the same on every
     * JVM), then shifted and scaled to mean 0 and standard deviation 1 exactly. A noise value is
     * one entry picked by 16 random bits (four per 64-bit draw): the exact Box–Muller form costs
     * a log, a root, a sine and a cosine per pair and made the noise of one 256 × 80 × 40 batch
     * cost a quarter of a training step; the table lookup costs a few nanoseconds. Its tails end
     * at the largest of the 65,536 draws (about 4.3 σ).
     */
    static final float[] NORMAL = normalTable();

    private static float[] normalTable() {
        Draws d = new Draws();
        d.reset(0x4E4F495345L); // "NOISE"
        double[] v = new double[NORMAL_SIZE];
        for (int k = 0; k < NORMAL_SIZE; k += 2) {
            double u = 1.0 - d.uniform(), w = d.uniform();
            double rad = StrictMath.sqrt(-2 * StrictMath.log(u)), ang = 2 * StrictMath.PI * w;
            v[k] = rad * StrictMath.cos(ang);
            v[k + 1] = rad * StrictMath.sin(ang);
        }
        double sum = 0, ss = 0;
        for (double a : v) sum += a;
        double mean = sum / NORMAL_SIZE;
        for (double a : v) ss += (a - mean) * (a - mean);
        double std = Math.sqrt(ss / NORMAL_SIZE);
        float[] t = new float[NORMAL_SIZE];
        for (int k = 0; k < NORMAL_SIZE; k++) t[k] = (float) ((v[k] - mean) / std);
        return t;
    }

    /** Adds {@code level} × a draw from {@link #NORMAL} to each of {@code x[off .. off + n)}. */
    static void addNoise(float[] x, int off, int n, float level, Draws r) {
        int q = off, end = off + n;
        for (; q + 4 <= end; q += 4) {
            long z = r.next();
            x[q] += level * NORMAL[(int) z & 0xFFFF];
            x[q + 1] += level * NORMAL[(int) (z >>> 16) & 0xFFFF];
            x[q + 2] += level * NORMAL[(int) (z >>> 32) & 0xFFFF];
            x[q + 3] += level * NORMAL[(int) (z >>> 48) & 0xFFFF];
        }
        for (; q < end; q++) x[q] += level * NORMAL[(int) r.next() & 0xFFFF];
    }

    /**
     * Shifts the T frames of one sample at {@code off} by k frames in place (frame t takes frame
     * t − k), the frames moved in being copies of the edge frame: frame 0 for k &gt; 0, frame T − 1
     * for k &lt; 0. {@code tmp} holds at least T·C values.
     */
    static void shift(float[] x, int off, int T, int C, int k, float[] tmp) {
        if (k == 0) return;
        System.arraycopy(x, off, tmp, 0, T * C);
        for (int t = 0; t < T; t++) {
            int from = Math.min(T - 1, Math.max(0, t - k));
            System.arraycopy(tmp, from * C, x, off + t * C, C);
        }
    }

    /**
     * Shifts the T frames of one sample at {@code off} by k frames in place (frame t takes frame
     * t − k), the frames moved in empty (0): a spike train moved in time. {@code tmp} holds at
     * least T·C values.
     */
    static void shiftEmpty(float[] x, int off, int T, int C, int k, float[] tmp) {
        if (k == 0) return;
        System.arraycopy(x, off, tmp, 0, T * C);
        for (int t = 0; t < T; t++) {
            int from = t - k;
            if (from >= 0 && from < T) System.arraycopy(tmp, from * C, x, off + t * C, C);
            else java.util.Arrays.fill(x, off + t * C, off + (t + 1) * C, 0f);
        }
    }

    /**
     * Shifts the C channels of every frame of one sample at {@code off} by k in place (channel c
     * takes channel c − k), the channels moved in set to 0. {@code tmp} holds at least T·C values.
     */
    static void shiftChannels(float[] x, int off, int T, int C, int k, float[] tmp) {
        if (k == 0) return;
        System.arraycopy(x, off, tmp, 0, T * C);
        int lo = Math.max(0, k), hi = Math.min(C, C + k); // channels c with 0 <= c − k < C
        for (int t = 0; t < T; t++) {
            int row = off + t * C;
            java.util.Arrays.fill(x, row, row + C, 0f);
            if (lo < hi) System.arraycopy(tmp, t * C + lo - k, x, row + lo, hi - lo);
        }
    }

    /**
     * Spike thinning: each of the ⌊v⌋ spikes of a value v is kept with probability 1 − p (one
     * uniform draw a spike), and a fractional part v − ⌊v⌋ is kept whole with the same
     * probability; zeros draw nothing.
     */
    static void thin(float[] x, int off, int n, double p, Draws r) {
        for (int q = off, end = off + n; q < end; q++) {
            float v = x[q];
            if (v <= 0f) continue;
            int whole = (int) v;
            int kept = 0;
            for (int k = 0; k < whole; k++) if (r.uniform() >= p) kept++;
            float frac = v - whole;
            x[q] = kept + (frac > 0f && r.uniform() >= p ? frac : 0f);
        }
    }

    /**
     * A SplitMix64 generator (Steele, Lea &amp; Flood's output mix) that can be re-seeded without
     * allocating, so the batch loop stays allocation-free; written out so its draws are pinned here.
     */
    static final class Draws {
        private long s;

        void reset(long seed) {
            s = seed;
        }

        long next() {
            long z = (s += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform in [0, 1), 53 bits. */
        double uniform() {
            return (next() >>> 11) * 0x1.0p-53;
        }

        /** Uniform integer in [0, n), n ≥ 1 (Lemire's multiply-shift with rejection: unbiased). */
        int below(int n) {
            if (n <= 1) return 0;
            long m;
            long lo;
            do {
                long u = next() >>> 32;
                m = u * n;
                lo = m & 0xFFFFFFFFL;
            } while (lo < (0x1_0000_0000L % n));
            return (int) (m >>> 32);
        }
    }
}
