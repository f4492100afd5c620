package org.myelin.engine;

import org.myelin.data.LogMel;

/**
 * The data package's log-Mel recipe ({@link LogMel}, the features every model is trained on) as a
 * streaming {@link FrameFeatures}: frame for frame bit-identical to the offline features before
 * their per-utterance standardisation.
 *
 * <p>Use it with a {@link StreamingFrontEnd} whose own pre-emphasis is 0: this class applies the
 * recipe's pre-emphasis itself, in the recipe's arithmetic, carrying the sample just before each
 * window (the last sample of the previous window's first hop). One instance per stream; the front
 * end's {@code reset()} resets it.
 */
public final class DataLogMelFeatures implements FrameFeatures {
    private final LogMel mel;
    private final float[] buf;
    private float before;

    /** The recipe at a sample rate (25 ms windows every 10 ms, 40 Mel bands). */
    public DataLogMelFeatures(int sampleRate) {
        this.mel = LogMel.forRate(sampleRate);
        if (mel.hop > mel.frameLength) throw new IllegalArgumentException("hop longer than the window at " + sampleRate + " Hz");
        this.buf = new float[mel.frameLength + 1];
    }

    @Override
    public int frameLength() {
        return mel.frameLength;
    }

    @Override
    public int hop() {
        return mel.hop;
    }

    @Override
    public int size() {
        return LogMel.MELS;
    }

    @Override
    public void compute(float[] window, float[] out) {
        buf[0] = before;
        System.arraycopy(window, 0, buf, 1, mel.frameLength);
        before = window[mel.hop - 1];
        // start 1: sample i of the window is pre-emphasised against the sample before it
        mel.frame(buf, 1, out, 0);
    }

    @Override
    public void reset() {
        before = 0f;
    }
}
