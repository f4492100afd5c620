package org.myelin.engine;

/**
 * Turns one window of audio into one feature frame: the per-frame step of the log-Mel front end.
 * The streaming front end ({@link StreamingFrontEnd}) cuts the stream into windows and calls this;
 * {@link DataLogMelFeatures} is the data package's recipe (what models are trained on), and
 * {@link LogMelFeatures} a self-contained variant.
 *
 * <p>Contract: the window holds {@link #frameLength()} samples that are already pre-emphasised by
 * the front end (the filter spans window boundaries, so it runs on the stream, not per window);
 * windows start every {@link #hop()} samples. {@code compute} must not keep the arrays, may use the
 * window as scratch, and should not allocate (it runs once per 10 ms of audio).
 */
public interface FrameFeatures {
    /** Samples per window (25 ms at the sample rate). */
    int frameLength();

    /** Samples between window starts (10 ms at the sample rate). */
    int hop();

    /** Number of features per frame (40 Mel bands). */
    default int size() {
        return 40;
    }

    /** Computes the features of one pre-emphasised window into {@code out} ({@link #size()} values). */
    void compute(float[] window, float[] out);

    /** Forgets any state carried between windows (called by {@link StreamingFrontEnd#reset()}). */
    default void reset() {
    }
}
