package org.myelin.data;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The 80 × 40 log-Mel input features of MODEL.md ("Data"), computed at the audio's native sample
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

    private static final Map<Integer, LogMel> CACHE = new ConcurrentHashMap<>();

    public final int sampleRate;
    /** Samples per frame (L). */
    public final int frameLength;
    /** Samples between frame starts (H). */
    public final int hop;
    /** FFT size (smallest power of two ≥ L). */
    public final int nFft;
    private final double[] window;
    private final Fft fft;
    /** For filter m: the first bin with a non-zero weight and the weights from there on. */
    private final int[] firstBin;
    private final double[][] weights;

    private LogMel(int sampleRate) {
        if (sampleRate < 400) throw new IllegalArgumentException("sample rate " + sampleRate + " Hz is too low for 25 ms log-Mel frames");
        this.sampleRate = sampleRate;
        this.frameLength = (int) ((sampleRate * 25L + 500) / 1000);
        this.hop = (int) ((sampleRate * 10L + 500) / 1000);
        int n = 1;
        while (n < frameLength) n <<= 1;
        this.nFft = n;
        this.fft = new Fft(n);
        window = new double[frameLength];
        for (int i = 0; i < frameLength; i++) window[i] = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (frameLength - 1));
        double melMax = hzToMel(sampleRate / 2.0);
        double[] edge = new double[MELS + 2];
        for (int i = 0; i < MELS + 2; i++) edge[i] = melToHz(melMax * i / (MELS + 1));
        int bins = n / 2 + 1;
        firstBin = new int[MELS];
        weights = new double[MELS][];
        for (int m = 0; m < MELS; m++) {
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

    /** The (cached) feature extractor for one sample rate. */
    public static LogMel forRate(int sampleRate) {
        return CACHE.computeIfAbsent(sampleRate, LogMel::new);
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
        double[] re = new double[nFft];
        double[] im = new double[nFft];
        int len = signal.length;
        for (int i = 0; i < frameLength; i++) {
            int j = start + i;
            double y;
            if (j >= len) y = 0;
            else if (j == 0) y = signal[0];
            else y = (double) signal[j] - PRE_EMPHASIS * (double) signal[j - 1];
            re[i] = y * window[i];
        }
        fft.transform(re, im);
        int bins = nFft / 2 + 1;
        double[] power = new double[bins];
        for (int k = 0; k < bins; k++) power[k] = re[k] * re[k] + im[k] * im[k];
        for (int m = 0; m < MELS; m++) {
            double[] w = weights[m];
            int b = firstBin[m];
            double e = 0;
            for (int k = 0; k < w.length; k++) e += w[k] * power[b + k];
            out[outOffset + m] = (float) Math.log(e + LOG_FLOOR);
        }
    }

    /**
     * The log-Mel frames of a whole utterance before standardisation: 80 × 40 values, frame-major
     * ({@code [t * 40 + m]}), cropped to the first 80 frames or padded by repeating the last.
     */
    public float[] frames(float[] samples) {
        float[] out = new float[FRAMES * MELS];
        int t = Math.min(frameCount(samples.length), FRAMES);
        for (int k = 0; k < t; k++) frame(samples, k * hop, out, k * MELS);
        for (int k = t; k < FRAMES; k++) System.arraycopy(out, (t - 1) * MELS, out, k * MELS, MELS);
        return out;
    }

    /** Standardises in place: one mean and one population standard deviation over all values. */
    public static float[] standardise(float[] v) {
        double sum = 0;
        for (float f : v) sum += f;
        double mean = sum / v.length;
        double ss = 0;
        for (float f : v) {
            double d = f - mean;
            ss += d * d;
        }
        double std = Math.max(Math.sqrt(ss / v.length), STD_FLOOR);
        for (int i = 0; i < v.length; i++) v[i] = (float) ((v[i] - mean) / std);
        return v;
    }

    /** The model's input for one utterance: {@link #frames} then {@link #standardise}; 80 × 40 frame-major. */
    public static float[] features(float[] samples, int sampleRate) {
        return standardise(forRate(sampleRate).frames(samples));
    }
}
