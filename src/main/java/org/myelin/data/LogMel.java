package org.myelin.data;

import java.util.Locale;
import java.util.Map;
import org.myelin.model.FeatureRecipe;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The 80 × 40 log-Mel input features of docs/MODEL.md ("Data"), computed at the audio's native sample
 * rate. Every choice the model description leaves open is pinned here (and identically in
 * {@code golden/features_ref.py}):
 *
 * <ol>
 * <li>Input: mono samples as float in [-1, 1) (integer PCM scaled by 2^-(bits-1), channels
 *     averaged; see {@link org.myelin.data.audio.Audio#mono()}). All arithmetic below is in double.</li>
 * <li>Pre-emphasis: y[0] = x[0], y[i] = x[i] − 0.95·x[i−1], applied to the whole signal.</li>
 * <li>Frame length L = round(0.025·sr), hop H = round(0.010·sr), rounding halves up
 *     ({@code (sr*25+500)/1000}, {@code (sr*10+500)/1000}): 1200/480 at 48 kHz, 200/80 at 8 kHz.</li>
 * <li>Frame count: only whole frames, frame t covering y[t·H, t·H+L): T = 1 + ⌊(N − L)/H⌋ for
 *     N ≥ L; a signal shorter than one frame gives T = 1 with the missing samples taken as 0.</li>
 * <li>Window: the symmetric Hamming window 0.54 − 0.46·cos(2πn/(L−1)) (NumPy's {@code hamming}).</li>
 * <li>Spectrum: the windowed frame is zero-padded to n_fft = the smallest power of two ≥ L and
 *     transformed; power P[k] = |X[k]|² for k = 0..n_fft/2 (no 1/n_fft scaling).</li>
 * <li>Mel filters: 40 triangles on the HTK scale mel(f) = 2595·log10(1 + f/700); 42 edge points
 *     equally spaced in mel from mel(0) to mel(sr/2), converted back to Hz; filter m has weight
 *     max(0, min((f−f[m−1])/(f[m]−f[m−1]), (f[m+1]−f)/(f[m+1]−f[m]))) at bin frequency
 *     f = k·sr/n_fft; peak 1, no area normalisation.</li>
 * <li>Log: natural log of (energy + 1e-6) ({@link #LOG_FLOOR}); stored as float32.</li>
 * <li>Length: the first 80 frames are kept; a shorter utterance is padded by repeating its last
 *     frame.</li>
 * <li>Standardise: per utterance over all 80 × 40 values together (one mean, one population
 *     standard deviation per sample, not per channel), v' = (v − mean) / max(std, 1e-6), in double
 *     over the float32 log values, stored as float32.</li>
 * </ol>
 *
 * <p>{@link #frame} computes one frame's 40 log-Mel values (steps 2–8) and is what a streaming front
 * end calls frame by frame; {@link #features} is built on the same method, so the two agree
 * exactly. Only the standardisation (step 10) needs whole-utterance statistics and is therefore
 * separate ({@link #standardise}); a streaming consumer must choose its own normalisation.
 *
 * <p>Instances are immutable and thread-safe; {@link #forRate} caches one per sample rate.
 */
public final class LogMel {
    public static final int FRAMES = 80;
    public static final int MELS = 40;
    public static final double PRE_EMPHASIS = 0.95;
    public static final double LOG_FLOOR = 1e-6;
    public static final double STD_FLOOR = 1e-6;
    /** A text naming every parameter of the recipe; part of the feature cache key. */
    public static final String RECIPE = String.format(Locale.ROOT,
            "logmel-v1 preemph=%s frame=25ms hop=10ms round-half-up hamming=symmetric nfft=pow2>=L power=|X|^2 "
                    + "mels=%d htk 0..nyquist peak=1 log=ln(E+%s) frames=%d pad=repeat-last crop=first "
                    + "standardise=per-sample-all-values std=population floor=%s",
            PRE_EMPHASIS, MELS, LOG_FLOOR, FRAMES, STD_FLOOR);

    private static final Map<FeatureRecipe, LogMel> CACHE = new ConcurrentHashMap<>();

    /** The recipe this extractor computes (its normalisation is applied by {@link #normalise}). */
    public final FeatureRecipe recipe;
    public final int sampleRate;
    /** Samples per frame (L). */
    public final int frameLength;
    /** Samples between frame starts (H). */
    public final int hop;
    /** FFT size (smallest power of two ≥ L in the paper's recipe). */
    public final int nFft;
    /** Mel bands per frame. */
    public final int mels;
    private final double preEmphasis, logFloor;
    private final double[] window;
    private final Fft fft;
    /** For filter m: the first bin with a non-zero weight and the weights from there on. */
    private final int[] firstBin;
    private final double[][] weights;

    private LogMel(FeatureRecipe r) {
        this.recipe = r;
        this.sampleRate = r.sampleRate;
        this.frameLength = r.frameLength;
        this.hop = r.hop;
        this.nFft = r.nFft;
        this.mels = r.mels;
        this.preEmphasis = r.preEmphasis;
        this.logFloor = r.logFloor;
        int n = nFft;
        this.fft = new Fft(n);
        window = new double[frameLength];
        for (int i = 0; i < frameLength; i++) window[i] = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (frameLength - 1));
        double melMin = hzToMel(r.fMin), melMax = hzToMel(r.fMax);
        double[] edge = new double[mels + 2];
        for (int i = 0; i < mels + 2; i++) edge[i] = melToHz(melMin + (melMax - melMin) * i / (mels + 1));
        int bins = n / 2 + 1;
        firstBin = new int[mels];
        weights = new double[mels][];
        for (int m = 0; m < mels; m++) {
            double lo = edge[m], mid = edge[m + 1], hi = edge[m + 2];
            double[] w = new double[bins];
            int first = -1, last = -1;
            for (int k = 0; k < bins; k++) {
                double f = (double) k * sampleRate / n;
                double v = Math.max(0.0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
                w[k] = v;
                if (v > 0) {
                    if (first < 0) first = k;
                    last = k;
                }
            }
            if (first < 0) { first = 0; last = -1; }
            firstBin[m] = first;
            weights[m] = java.util.Arrays.copyOfRange(w, first, last + 1);
        }
    }

    /** The HTK Mel scale. */
    public static double hzToMel(double hz) {
        return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }

    public static double melToHz(double mel) {
        return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }

    /** The (cached) extractor of the paper's recipe at one sample rate. */
    public static LogMel forRate(int sampleRate) {
        return of(FeatureRecipe.paper(sampleRate));
    }

    /** The (cached) extractor of a recipe's front end (its normalisation does not matter here). */
    public static LogMel of(FeatureRecipe recipe) {
        FeatureRecipe key = recipe.normalization == FeatureRecipe.Normalization.UTTERANCE ? recipe : recipe.withUtteranceNormalization();
        LogMel m = CACHE.get(key);
        if (m != null) return m;
        for (Map.Entry<FeatureRecipe, LogMel> e : CACHE.entrySet()) if (e.getKey().sameFrontEnd(key)) return e.getValue();
        m = new LogMel(key);
        CACHE.putIfAbsent(key, m);
        return m;
    }

    /** Scratch arrays of one frame computation, so that a stream computes frames without allocating. */
    public final class Workspace {
        final double[] re = new double[nFft], im = new double[nFft], power = new double[nFft / 2 + 1];
    }

    /** A new scratch space for {@link #frame(float[], int, float[], int, Workspace)} (one per thread). */
    public Workspace workspace() {
        return new Workspace();
    }

    /** Number of whole frames in a signal of {@code samples} samples (at least 1). */
    public int frameCount(int samples) {
        return samples <= frameLength ? 1 : 1 + (samples - frameLength) / hop;
    }

    /**
     * One frame's 40 log-Mel values (pre-emphasis, window, power spectrum, Mel filters, log).
     * The frame covers {@code signal[start, start + L)}; samples past the end of the array count as
     * zero. Pre-emphasis uses {@code signal[start - 1]} as the predecessor of the first sample, or
     * none when {@code start == 0} (the start of the utterance). A streaming caller keeps the last
     * L + 1 samples and passes them with {@code start = 1} (or {@code 0} for the very first frame).
     *
     * @param out receives the 40 values at {@code out[outOffset .. outOffset + 40)}
     */
    public void frame(float[] signal, int start, float[] out, int outOffset) {
        frame(signal, start, out, outOffset, new Workspace());
    }

    /** {@link #frame(float[], int, float[], int)} in a given scratch space: allocates nothing. */
    public void frame(float[] signal, int start, float[] out, int outOffset, Workspace ws) {
        frame(signal, start, signal.length, out, outOffset, ws);
    }

    /**
     * {@link #frame(float[], int, float[], int, Workspace)} of a signal that ends at {@code end}
     * ({@code signal[end..]} is ignored and counts as past the end, as in a shorter array).
     */
    public void frame(float[] signal, int start, int end, float[] out, int outOffset, Workspace ws) {
        double[] re = ws.re, im = ws.im;
        java.util.Arrays.fill(re, 0.0);
        java.util.Arrays.fill(im, 0.0);
        int len = end;
        for (int i = 0; i < frameLength; i++) {
            int j = start + i;
            double y;
            if (j >= len) y = 0;
            else if (j == 0) y = signal[0];
            else y = (double) signal[j] - preEmphasis * (double) signal[j - 1];
            re[i] = y * window[i];
        }
        fft.transform(re, im);
        int bins = nFft / 2 + 1;
        double[] power = ws.power;
        for (int k = 0; k < bins; k++) power[k] = re[k] * re[k] + im[k] * im[k];
        for (int m = 0; m < mels; m++) {
            double[] w = weights[m];
            int b = firstBin[m];
            double e = 0;
            for (int k = 0; k < w.length; k++) e += w[k] * power[b + k];
            out[outOffset + m] = (float) Math.log(e + logFloor);
        }
    }

    /**
     * The log-Mel frames of a whole utterance before normalisation: frames × mels values (80 × 40
     * in the paper's recipe), frame-major ({@code [t * mels + m]}), cropped to the first frames or
     * padded by repeating the last.
     */
    public float[] frames(float[] samples) {
        float[] out = new float[recipe.frames * mels];
        frames(samples, samples.length, out, 0, workspace());
        return out;
    }

    /**
     * {@link #frames(float[])} of the signal {@code signal[0, len)} into
     * {@code out[off, off + frames·mels)}, in a given scratch space: allocates nothing (the
     * training loop's waveform augmentation computes its features with this, the feature cache
     * with {@link #frames(float[])}, so the two agree to the bit).
     */
    public void frames(float[] signal, int len, float[] out, int off, Workspace ws) {
        int T = recipe.frames;
        int t = Math.min(frameCount(len), T);
        for (int k = 0; k < t; k++) frame(signal, k * hop, len, out, off + k * mels, ws);
        padFrames(out, off, t, T, mels);
    }

    /** Pads frame-major frames {@code [0, t)} to {@code T} by repeating frame t − 1 (the recipe's rule). */
    public static void padFrames(float[] out, int t, int T, int mels) {
        padFrames(out, 0, t, T, mels);
    }

    /** {@link #padFrames(float[], int, int, int)} of the frames starting at {@code out[off]}. */
    public static void padFrames(float[] out, int off, int t, int T, int mels) {
        for (int k = t; k < T; k++) System.arraycopy(out, off + (t - 1) * mels, out, off + k * mels, mels);
    }

    /** Standardises in place: one mean and one population standard deviation over all values. */
    public static float[] standardise(float[] v) {
        return standardise(v, 0, v.length, STD_FLOOR);
    }

    /**
     * The {@code utterance} normalisation of {@code v[off, off+len)} in place: one mean and one
     * population standard deviation (floored) over all the values, in double.
     */
    public static float[] standardise(float[] v, int off, int len, double stdFloor) {
        double sum = 0;
        for (int i = off; i < off + len; i++) sum += v[i];
        double mean = sum / len;
        double ss = 0;
        for (int i = off; i < off + len; i++) {
            double d = v[i] - mean;
            ss += d * d;
        }
        double std = Math.max(Math.sqrt(ss / len), stdFloor);
        for (int i = off; i < off + len; i++) v[i] = (float) ((v[i] - mean) / std);
        return v;
    }

    /**
     * The {@code global} normalisation of one frame {@code v[off, off+mels)} in place:
     * (v − mean[c]) / std[c] in double, rounded once to float. Offline and streaming paths both
     * call this, so they agree to the bit.
     */
    public static void normaliseFrame(FeatureRecipe r, float[] v, int off) {
        for (int c = 0; c < r.mels; c++) v[off + c] = (float) (((double) v[off + c] - r.mean(c)) / r.std(c));
    }

    /** Normalises whole utterances (frames × mels values each, frame-major) in place as the recipe says. */
    public static void normalise(FeatureRecipe r, float[] x, int off, int utterances) {
        int per = r.frames * r.mels;
        for (int u = 0; u < utterances; u++) {
            int o = off + u * per;
            if (r.normalization == FeatureRecipe.Normalization.UTTERANCE) standardise(x, o, per, r.stdFloor);
            else for (int t = 0; t < r.frames; t++) normaliseFrame(r, x, o + t * r.mels);
        }
    }

    /**
     * The training-set statistics of {@code global} normalisation: per Mel channel, the mean and the
     * population standard deviation (floored at the recipe's floor) over every frame of every
     * utterance, summed in double in row order; returned as {mean, std} rounded to float.
     */
    public static float[][] channelStatistics(float[] x, int utterances, int frames, int mels, double stdFloor) {
        double[] sum = new double[mels], ss = new double[mels];
        long n = (long) utterances * frames;
        for (long q = 0; q < n; q++) for (int c = 0; c < mels; c++) sum[c] += x[(int) (q * mels + c)];
        float[] mean = new float[mels], std = new float[mels];
        for (int c = 0; c < mels; c++) mean[c] = (float) (sum[c] / n);
        for (long q = 0; q < n; q++) {
            for (int c = 0; c < mels; c++) {
                double d = x[(int) (q * mels + c)] - (double) mean[c];
                ss[c] += d * d;
            }
        }
        for (int c = 0; c < mels; c++) std[c] = (float) Math.max(Math.sqrt(ss[c] / n), stdFloor);
        for (int c = 0; c < mels; c++) if (std[c] < stdFloor) std[c] = Math.nextUp((float) stdFloor);
        return new float[][] {mean, std};
    }

    /** The model's input for one utterance: {@link #frames} then {@link #standardise}; 80 × 40 frame-major. */
    public static float[] features(float[] samples, int sampleRate) {
        return standardise(forRate(sampleRate).frames(samples));
    }

    /** The model's input for one utterance at the recipe's rate: frames, then the recipe's normalisation. */
    public static float[] features(float[] samples, FeatureRecipe r) {
        float[] f = of(r).frames(samples);
        normalise(r, f, 0, 1);
        return f;
    }
}
