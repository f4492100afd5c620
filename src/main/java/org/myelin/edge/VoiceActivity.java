package org.myelin.edge;

import org.myelin.engine.Segmentation;

/**
 * How a stream is cut into words: frame energy against an adaptive noise floor. A word opens after
 * {@code onsetMs} of frames louder than the floor by {@code thresholdDb} (and louder than
 * {@code minLevelDb} dBFS), starts {@code prerollMs} before that, and closes after
 * {@code hangoverMs} of quiet frames. docs/KEYWORD-SPOTTING.md says how the defaults were chosen.
 * Immutable.
 *
 * @param thresholdDb dB over the noise floor, ≥ 0
 * @param minLevelDb  minimum level of a loud frame, dB of full scale
 * @param onsetMs     loud time before a word opens, ≥ one frame
 * @param hangoverMs  quiet time before a word closes, ≥ one frame
 * @param prerollMs   time before the onset that belongs to the word, ≥ 0
 */
public record VoiceActivity(double thresholdDb, double minLevelDb, double onsetMs, double hangoverMs, double prerollMs) {
    /** The frame hop the defaults are given in (the paper's front end). */
    private static final double DEFAULT_HOP_MS = 10;

    /**
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public VoiceActivity {
        if (!(thresholdDb >= 0) || !Double.isFinite(thresholdDb)) throw new IllegalArgumentException("voice activity: thresholdDb must be ≥ 0, got " + thresholdDb);
        if (!Double.isFinite(minLevelDb)) throw new IllegalArgumentException("voice activity: minLevelDb must be finite, got " + minLevelDb);
        if (!(onsetMs > 0) || !Double.isFinite(onsetMs)) throw new IllegalArgumentException("voice activity: onsetMs must be > 0, got " + onsetMs);
        if (!(hangoverMs > 0) || !Double.isFinite(hangoverMs)) throw new IllegalArgumentException("voice activity: hangoverMs must be > 0, got " + hangoverMs);
        if (!(prerollMs >= 0) || !(prerollMs <= 10_000)) throw new IllegalArgumentException("voice activity: prerollMs must be 0 .. 10000, got " + prerollMs);
    }

    /** The engine's defaults: 4 dB over the floor, −55 dBFS, 50 ms onset, 120 ms hangover, 100 ms pre-roll. */
    public static VoiceActivity defaults() {
        Segmentation s = Segmentation.defaults();
        return new VoiceActivity(s.thresholdDb, s.minLevelDb, s.onsetFrames * DEFAULT_HOP_MS, s.hangoverFrames * DEFAULT_HOP_MS,
                s.prerollFrames * DEFAULT_HOP_MS);
    }

    /** These settings in frames of a front end's hop. */
    Segmentation toSegmentation(double hopMs) {
        return Segmentation.ofMillis(thresholdDb, minLevelDb, onsetMs, hangoverMs, prerollMs, hopMs);
    }
}
