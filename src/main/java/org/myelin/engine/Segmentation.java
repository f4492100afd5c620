package org.myelin.engine;

import java.util.Locale;

/**
 * Voice-activity settings of a {@link KeywordStream}: which frames belong to a word.
 *
 * <p>Each frame's energy is E = 10·log10(mean of x² over its window + 1e-10) dB of full scale
 * (before pre-emphasis). A noise floor N follows the energy while no word is open: it starts at a
 * low percentile of the first {@link #CALIBRATION_FRAMES} frames' energies ({@link #startFloor}:
 * the stream holds those frames until then and runs them through the detector afterwards, so the
 * floor needs no leading silence and the first word is reported at the earliest 0.3 s into the
 * stream; when that window is one word voiced from the first sample, the stream holds on until
 * the quiet after it, see {@link #startUp}) and moves towards each frame's energy by 0.3 of the
 * difference when that is
 * lower, by {@link #floorRise} when higher (so it settles a little below the typical noise level,
 * not at its minimum, and follows a quieter room at once, a louder one slowly). A frame is loud when E &gt; N + {@link #thresholdDb}
 * and E &gt; {@link #minLevelDb}. A word opens after {@link #onsetFrames} loud frames in a row and
 * starts {@link #prerollFrames} before the first of them (as far as the stream goes back, not into
 * the previous word); it closes after {@link #hangoverFrames} quiet frames in a row, ending at the
 * last of them, or when it reaches the model's frame count (then the rest of that loud stretch is
 * skipped). The stream's edges count as silence: a word may open at the first frame (its pre-roll
 * then starts there), and a word still open when the stream is closed is reported.
 *
 * <p>The defaults were chosen on FSDD test digits joined by pauses of 0.3–1 s with white noise 45–60
 * dB below full scale (built as in engine/SegmentationTest, 48 recordings of 5 digits, other seeds
 * than the test's): 4 dB above the floor, 50 ms onset, 120 ms hangover, 100 ms pre-roll, −55 dBFS
 * minimum. Threshold 4 dB with onset 50–60 ms and hangover 100–150 ms found all 240 digits exactly
 * once (3 or 5 dB: 239–241 detections); a 250 ms hangover merges digits 0.3 s apart (232), a 9 dB
 * threshold misses quiet ones (≤ 230), an 80 ms onset misses short ones.
 */
public final class Segmentation {
    /**
     * Frames of the start-up window over which the first noise floor is measured (0.3 s at 10 ms
     * hops: long enough to hold some of the pause after a short word at the very start, short
     * enough that a speech-only start still has its quietest tenth below the word's body).
     */
    public static final int CALIBRATION_FRAMES = 30;

    public final double thresholdDb, minLevelDb, floorRise;
    public final int onsetFrames, hangoverFrames, prerollFrames;

    public Segmentation(double thresholdDb, double minLevelDb, double floorRise, int onsetFrames, int hangoverFrames, int prerollFrames) {
        if (!Double.isFinite(thresholdDb) || thresholdDb < 0) throw new IllegalArgumentException("VAD threshold must be ≥ 0 dB, got " + thresholdDb);
        if (!Double.isFinite(minLevelDb)) throw new IllegalArgumentException("VAD minimum level must be finite");
        if (!(floorRise > 0 && floorRise <= 1)) throw new IllegalArgumentException("VAD floor rise must be in (0, 1], got " + floorRise);
        if (onsetFrames < 1) throw new IllegalArgumentException("VAD onset must be at least one frame, got " + onsetFrames);
        if (hangoverFrames < 1) throw new IllegalArgumentException("VAD hangover must be at least one frame, got " + hangoverFrames);
        if (prerollFrames < 0 || prerollFrames > 1000) throw new IllegalArgumentException("VAD pre-roll must be 0 .. 1000 frames, got " + prerollFrames);
        this.thresholdDb = thresholdDb;
        this.minLevelDb = minLevelDb;
        this.floorRise = floorRise;
        this.onsetFrames = onsetFrames;
        this.hangoverFrames = hangoverFrames;
        this.prerollFrames = prerollFrames;
    }

    /** Defaults (see the class comment) in frames of the paper's 10 ms hop. */
    public static Segmentation defaults() {
        return new Segmentation(4, -55, 0.02, 5, 12, 10);
    }

    /** Times in milliseconds converted to frames of {@code hopMs} (rounded, at least 1; pre-roll at least 0). */
    public static Segmentation ofMillis(double thresholdDb, double minLevelDb, double onsetMs, double hangoverMs, double prerollMs, double hopMs) {
        return new Segmentation(thresholdDb, minLevelDb, 0.02, Math.max(1, (int) Math.round(onsetMs / hopMs)),
                Math.max(1, (int) Math.round(hangoverMs / hopMs)), Math.max(0, (int) Math.round(prerollMs / hopMs)));
    }

    /**
     * The starting noise floor: the 10th percentile (the ⌊0.1·(n − 1)⌋-th smallest) of the first
     * {@code n} energies — the quiet edge of a word, or the noise before it, rather than one frame
     * of digital silence. {@code scratch} (at least n long) receives the sorted energies.
     */
    static double startFloor(double[] energy, int n, double[] scratch) {
        if (n < 1 || n > energy.length || scratch.length < n) throw new IllegalArgumentException("need 1 .. " + energy.length + " energies, got " + n);
        double[] e = scratch;
        System.arraycopy(energy, 0, e, 0, n);
        java.util.Arrays.sort(e, 0, n);
        return e[(int) (0.1 * (n - 1))];
    }

    /**
     * The start-up decision of a stream that holds its first frames: given the energies of the
     * {@code n} frames held so far, the floor the detector starts at, or NaN to hold on.
     *
     * <p>The candidate is {@link #startFloor} of the first {@link #CALIBRATION_FRAMES} (or of all
     * n, fewer, at the stream's end). It is taken as soon as the detector, started there, would
     * open a word in the held frames, or when the hold reaches {@code cap} frames or the stream
     * ends: then the detector runs exactly as if it had started at frame {@code CALIBRATION_FRAMES}.
     * But when, before any word would open, a frame after the first {@code CALIBRATION_FRAMES} is
     * more than {@link #thresholdDb} below the candidate, the window was a word voiced from the
     * first sample (its quiet part, not the room's): the floor starts at the energy where that fall
     * ends (the first frame no lower than the one before it), so the word is found from frame 0
     * (the stream's start counts as silence). A noise that fades
     * by more than the threshold within {@code cap} frames of the start is taken for a word too.
     *
     * @param cap the most frames held (at least {@link #CALIBRATION_FRAMES})
     * @param end whether the stream has ended (decide on what there is)
     * @param scratch at least min(n, {@link #CALIBRATION_FRAMES}) long
     */
    double startUp(double[] energy, int n, int cap, boolean end, double[] scratch) {
        if (n < 1) throw new IllegalArgumentException("need at least one energy, got " + n);
        if (n < CALIBRATION_FRAMES && !end) return Double.NaN;
        double start = startFloor(energy, Math.min(n, CALIBRATION_FRAMES), scratch);
        double f = start, drop = Double.NaN;
        int run = 0;
        for (int k = 0; k < n; k++) {
            double e = energy[k];
            if (Double.isNaN(drop)) {
                // the detector's idle steps (KeywordStream.decide and track), from the candidate floor
                run = e > f + thresholdDb && e > minLevelDb ? run + 1 : 0;
                if (run >= onsetFrames) return start;
                if (k >= CALIBRATION_FRAMES && e < start - thresholdDb) drop = e;
                f += (e < f ? 0.3 : floorRise) * (e - f);
            } else if (e < drop) {
                drop = e; // still falling
            } else {
                return drop; // the fall has ended: the quiet after the word
            }
        }
        if (!Double.isNaN(drop)) return end || n >= cap ? drop : Double.NaN;
        return end || n >= cap ? start : Double.NaN;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "threshold %.1f dB over the noise floor, min level %.1f dBFS, onset %d, hangover %d, pre-roll %d frames",
                thresholdDb, minLevelDb, onsetFrames, hangoverFrames, prerollFrames);
    }
}
