package org.myelin.model;

import java.util.Locale;
import java.util.Map;
import org.myelin.io.Json;

/**
 * The complete front end a model was trained with: how audio becomes its input frames, and how the
 * frames are normalised. It travels in the model file, so inference needs nothing but the model.
 *
 * <p>The front end (implemented by {@code org.myelin.data.LogMel}): mono samples at
 * {@link #sampleRate} (other rates are resampled to it); pre-emphasis y[0] = x[0],
 * y[i] = x[i] − a·x[i−1]; frames of {@link #frameLength} samples every {@link #hop} samples (whole
 * frames only; a signal shorter than one frame gives one zero-padded frame); the symmetric Hamming
 * window; the power spectrum of an {@link #nFft}-point FFT; {@link #mels} triangular HTK-Mel filters
 * with peak 1 between {@link #fMin} and {@link #fMax}; ln(energy + {@link #logFloor}); the first
 * {@link #frames} frames, a shorter utterance padded by repeating its last frame.
 *
 * <p>Normalisation ({@link Normalization}): {@code utterance} standardises each utterance with one
 * mean and one population standard deviation over all its frames × mels values (the paper's; needs
 * the whole utterance); {@code global} standardises each Mel channel c with the training set's
 * mean[c] and std[c] (stored here), so a frame is normalised the moment it exists. Both floor the
 * standard deviation at {@link #stdFloor}.
 *
 * <p>Immutable (the statistics are copied in and out).
 */
public final class FeatureRecipe {
    /** How frames are standardised. */
    public enum Normalization {
        /** Per utterance over all values (the paper's). */
        UTTERANCE,
        /** Per Mel channel with the training set's statistics. */
        GLOBAL;

        /** Parses {@code utterance} or {@code global}. */
        public static Normalization parse(String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "utterance": return UTTERANCE;
                case "global": return GLOBAL;
                default: throw new IllegalArgumentException("normalize must be utterance or global, got '" + s + "'");
            }
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The front end's name in files; a different algorithm would get another. */
    public static final String KIND = "logmel-v1";
    /** Paper defaults. */
    public static final int PAPER_MELS = 40, PAPER_FRAMES = 80;
    public static final double PAPER_PRE_EMPHASIS = 0.95, PAPER_LOG_FLOOR = 1e-6, PAPER_STD_FLOOR = 1e-6;

    public final int sampleRate;
    public final int frameLength, hop, nFft;
    public final int mels;
    public final double fMin, fMax;
    public final double preEmphasis, logFloor;
    public final int frames;
    public final Normalization normalization;
    public final double stdFloor;
    private final float[] mean, std;

    private FeatureRecipe(int sampleRate, int frameLength, int hop, int nFft, int mels, double fMin, double fMax, double preEmphasis,
                          double logFloor, int frames, Normalization normalization, double stdFloor, float[] mean, float[] std) {
        this.sampleRate = sampleRate;
        this.frameLength = frameLength;
        this.hop = hop;
        this.nFft = nFft;
        this.mels = mels;
        this.fMin = fMin;
        this.fMax = fMax;
        this.preEmphasis = preEmphasis;
        this.logFloor = logFloor;
        this.frames = frames;
        this.normalization = normalization;
        this.stdFloor = stdFloor;
        this.mean = mean == null ? null : mean.clone();
        this.std = std == null ? null : std.clone();
        validate();
    }

    /**
     * The paper's recipe at a sample rate (docs/MODEL.md "Data"): 25 ms frames and 10 ms hops rounded
     * half up, FFT size the smallest power of two ≥ the frame, 40 Mels from 0 Hz to Nyquist,
     * pre-emphasis 0.95, log floor 1e-6, 80 frames, per-utterance standardisation.
     */
    public static FeatureRecipe paper(int sampleRate) {
        if (sampleRate < 400 || sampleRate > MAX_RATE) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz is outside [400, " + MAX_RATE + "] for 25 ms log-Mel frames");
        }
        int len = (int) ((sampleRate * 25L + 500) / 1000);
        int hop = (int) ((sampleRate * 10L + 500) / 1000);
        int n = 1;
        while (n < len) n <<= 1;
        return new FeatureRecipe(sampleRate, len, hop, n, PAPER_MELS, 0.0, sampleRate / 2.0, PAPER_PRE_EMPHASIS, PAPER_LOG_FLOOR,
                PAPER_FRAMES, Normalization.UTTERANCE, PAPER_STD_FLOOR, null, null);
    }

    /** Highest sample rate a recipe or a recording may have. */
    public static final int MAX_RATE = 768_000;

    /** This recipe with per-utterance standardisation. */
    public FeatureRecipe withUtteranceNormalization() {
        return new FeatureRecipe(sampleRate, frameLength, hop, nFft, mels, fMin, fMax, preEmphasis, logFloor, frames,
                Normalization.UTTERANCE, stdFloor, null, null);
    }

    /** This recipe with per-channel standardisation by the given training-set statistics (copied). */
    public FeatureRecipe withGlobalNormalization(float[] mean, float[] std) {
        return new FeatureRecipe(sampleRate, frameLength, hop, nFft, mels, fMin, fMax, preEmphasis, logFloor, frames,
                Normalization.GLOBAL, stdFloor, mean, std);
    }

    /** Per-channel means of {@code global} normalisation (a copy; null for {@code utterance}). */
    public float[] mean() {
        return mean == null ? null : mean.clone();
    }

    /** Per-channel standard deviations (floored) of {@code global} normalisation (a copy; null for {@code utterance}). */
    public float[] std() {
        return std == null ? null : std.clone();
    }

    /** Mean of channel c ({@code global} only). */
    public float mean(int c) {
        return mean[c];
    }

    /** Standard deviation of channel c ({@code global} only). */
    public float std(int c) {
        return std[c];
    }

    /** True when both describe the same front end (everything but the normalisation). */
    public boolean sameFrontEnd(FeatureRecipe o) {
        return sampleRate == o.sampleRate && frameLength == o.frameLength && hop == o.hop && nFft == o.nFft && mels == o.mels
                && fMin == o.fMin && fMax == o.fMax && preEmphasis == o.preEmphasis && logFloor == o.logFloor && frames == o.frames;
    }

    private void validate() {
        check(sampleRate >= 400 && sampleRate <= MAX_RATE, "sampleRate", sampleRate + " Hz is outside [400, " + MAX_RATE + "]");
        check(frameLength >= 2 && frameLength <= 1 << 20, "frameLength", frameLength + " samples (need 2 .. 2^20)");
        check(hop >= 1 && hop <= frameLength, "hop", hop + " samples (need 1 .. frameLength " + frameLength + ")");
        check(nFft >= frameLength && Integer.bitCount(nFft) == 1 && nFft <= 1 << 21, "nFft", nFft + " (need a power of two ≥ frameLength " + frameLength + ")");
        check(mels >= 1 && mels <= 1024, "mels", mels + " (need 1 .. 1024)");
        check(Double.isFinite(fMin) && fMin >= 0, "fMin", fMin + " Hz (need ≥ 0)");
        check(Double.isFinite(fMax) && fMax > fMin && fMax <= sampleRate / 2.0, "fMax", fMax + " Hz (need fMin < fMax ≤ sampleRate/2 = " + sampleRate / 2.0 + ")");
        check(Double.isFinite(preEmphasis) && preEmphasis >= 0 && preEmphasis < 1, "preEmphasis", preEmphasis + " (need [0, 1))");
        check(Double.isFinite(logFloor) && logFloor > 0, "logFloor", logFloor + " (need > 0)");
        check(frames >= 1 && frames <= 1 << 20, "frames", frames + " (need ≥ 1)");
        check(normalization != null, "normalize", "missing");
        check(Double.isFinite(stdFloor) && stdFloor > 0, "stdFloor", stdFloor + " (need > 0)");
        if (normalization == Normalization.GLOBAL) {
            check(mean != null && mean.length == mels, "mean", (mean == null ? "missing" : mean.length + " values") + " (global normalisation needs " + mels + ")");
            check(std != null && std.length == mels, "std", (std == null ? "missing" : std.length + " values") + " (global normalisation needs " + mels + ")");
            for (int c = 0; c < mels; c++) {
                check(Float.isFinite(mean[c]), "mean", "channel " + c + " is " + mean[c]);
                check(Float.isFinite(std[c]) && std[c] >= stdFloor, "std", "channel " + c + " is " + std[c] + " (need finite ≥ stdFloor " + stdFloor + ")");
            }
        } else {
            check(mean == null && std == null, "mean", "utterance normalisation takes no statistics");
        }
    }

    private static void check(boolean ok, String field, String what) {
        if (!ok) throw new IllegalArgumentException("feature recipe field '" + field + "': " + what);
    }

    /** The scalar fields as a JSON-ready map (the statistics travel as arrays: {@link #STAT_MEAN}, {@link #STAT_STD}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = Json.object();
        m.put("kind", KIND);
        m.put("sampleRate", sampleRate);
        m.put("frameLength", frameLength);
        m.put("hop", hop);
        m.put("nFft", nFft);
        m.put("window", "hamming-symmetric");
        m.put("mels", mels);
        m.put("melScale", "htk");
        m.put("fMin", fMin);
        m.put("fMax", fMax);
        m.put("preEmphasis", preEmphasis);
        m.put("logFloor", logFloor);
        m.put("frames", frames);
        m.put("pad", "repeat-last");
        m.put("normalize", normalization.id());
        m.put("stdFloor", stdFloor);
        return m;
    }

    /** Container array names of the global statistics. */
    public static final String STAT_MEAN = "features.mean", STAT_STD = "features.std";

    /**
     * Parses {@link #toMap()} output (plus the statistics, null for {@code utterance}).
     *
     * @throws IllegalArgumentException naming {@code where} and the missing, unknown or inconsistent field
     */
    public static FeatureRecipe fromMap(Map<?, ?> m, float[] mean, float[] std, String where) {
        try {
            Object kind = m.get("kind");
            if (!KIND.equals(kind)) throw new IllegalArgumentException("feature recipe field 'kind': " + kind + " (this version reads " + KIND + ")");
            expect(m, "window", "hamming-symmetric");
            expect(m, "melScale", "htk");
            expect(m, "pad", "repeat-last");
            Object norm = m.get("normalize");
            if (!(norm instanceof String)) throw new IllegalArgumentException("feature recipe field 'normalize': missing");
            Normalization n;
            try {
                n = Normalization.parse((String) norm);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("feature recipe field 'normalize': " + e.getMessage());
            }
            return new FeatureRecipe(integer(m, "sampleRate"), integer(m, "frameLength"), integer(m, "hop"), integer(m, "nFft"),
                    integer(m, "mels"), number(m, "fMin"), number(m, "fMax"), number(m, "preEmphasis"), number(m, "logFloor"),
                    integer(m, "frames"), n, number(m, "stdFloor"), mean, std);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static void expect(Map<?, ?> m, String k, String v) {
        if (!v.equals(m.get(k))) throw new IllegalArgumentException("feature recipe field '" + k + "': " + m.get(k) + " (this version knows " + v + ")");
    }

    private static int integer(Map<?, ?> m, String k) {
        double d = number(m, k);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) throw new IllegalArgumentException("feature recipe field '" + k + "': " + d + " is not a whole number");
        return (int) d;
    }

    private static double number(Map<?, ?> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof Number)) throw new IllegalArgumentException("feature recipe field '" + k + "': missing or not a number");
        return ((Number) v).doubleValue();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %d Hz, frame %d hop %d nfft %d, %d mels %.0f-%.0f Hz, preemph %s, log floor %s, %d frames, %s normalisation",
                KIND, sampleRate, frameLength, hop, nFft, mels, fMin, fMax, preEmphasis, logFloor, frames, normalization.id());
    }
}
