package org.myelin.engine;

/**
 * Turns a stream of audio samples into feature frames incrementally, with bounded latency: the
 * streaming form of the log-Mel front end (pre-emphasis, 25 ms windows every 10 ms, then the
 * per-frame features of a {@link FrameFeatures}, then a {@link FeatureNormalizer}).
 *
 * <p>Frame k covers samples [k·hop, k·hop + frameLength) of the stream and is handed to the sink as
 * soon as its last sample has been pushed, so a frame is never later than one window (25 ms) after
 * its first sample, whatever the chunk sizes; the frames are the same whichever way the stream is
 * cut into chunks. Pre-emphasis y[n] = x[n] − a·x[n−1] (x[−1] = 0) runs over the whole stream.
 * The offline pipeline pads or crops utterances to exactly 80 frames; a streaming caller decides
 * itself when an utterance ends (e.g. after 80 frames, or by voice activity).
 *
 * <p>Not thread-safe (one per stream). {@link #push} allocates nothing; the frame array given to the
 * sink is reused and valid only during the call.
 */
public final class StreamingFrontEnd {
    /** Receives each feature frame as it is completed. */
    @FunctionalInterface
    public interface FrameSink {
        void accept(float[] frame);
    }

    private final FrameFeatures features;
    private final float preEmphasis;
    private final FeatureNormalizer normalizer;
    private final int len, hop;
    private final float[] buf, window, frame;
    private int filled, skip;
    private float prev;
    private long frames;

    /**
     * @param features the per-frame feature function
     * @param preEmphasis the coefficient a (0.95 for the paper's features; 0 for none)
     * @param normalizer applied to every frame (see {@link FeatureNormalizer} on standardisation)
     */
    public StreamingFrontEnd(FrameFeatures features, float preEmphasis, FeatureNormalizer normalizer) {
        if (features.frameLength() <= 0 || features.hop() <= 0 || features.size() <= 0) {
            throw new IllegalArgumentException("frame length, hop and feature count must be positive");
        }
        if (!Float.isFinite(preEmphasis)) throw new IllegalArgumentException("pre-emphasis must be finite");
        this.features = features;
        this.preEmphasis = preEmphasis;
        this.normalizer = normalizer == null ? FeatureNormalizer.identity() : normalizer;
        this.len = features.frameLength();
        this.hop = features.hop();
        this.buf = new float[len];
        this.window = new float[len];
        this.frame = new float[features.size()];
    }

    /** Features per frame. */
    public int size() {
        return frame.length;
    }

    /** Frames emitted since creation or the last reset. */
    public long frames() {
        return frames;
    }

    /** Starts a new stream (forgets buffered samples and the pre-emphasis memory). */
    public void reset() {
        features.reset();
        filled = 0;
        skip = 0;
        prev = 0f;
        frames = 0;
    }

    /**
     * Pushes samples {@code samples[off .. off+count)}; every frame completed by them goes to the
     * sink, in order. The samples are checked first: on a NaN or infinite sample (or bad bounds)
     * nothing changes. An exception from the sink propagates and the samples after that frame are
     * not consumed.
     *
     * @return the number of frames emitted
     */
    public int push(float[] samples, int off, int count, FrameSink sink) {
        if (off < 0 || count < 0 || off > samples.length - count) {
            throw new IllegalArgumentException("samples [" + off + ", " + off + "+" + count + ") outside an array of " + samples.length);
        }
        for (int q = off; q < off + count; q++) {
            if (!Float.isFinite(samples[q])) throw new IllegalArgumentException("audio sample " + samples[q] + " at index " + q + " is not finite");
        }
        int emitted = 0;
        for (int q = off; q < off + count; q++) {
            float x = samples[q];
            float y = x - preEmphasis * prev;
            prev = x;
            if (skip > 0) {
                skip--;
                continue;
            }
            buf[filled++] = y;
            if (filled == len) {
                System.arraycopy(buf, 0, window, 0, len);
                features.compute(window, frame);
                normalizer.apply(frame);
                if (hop < len) {
                    System.arraycopy(buf, hop, buf, 0, len - hop);
                    filled = len - hop;
                } else {
                    filled = 0;
                    skip = hop - len;
                }
                frames++;
                emitted++;
                sink.accept(frame);
            }
        }
        return emitted;
    }
}
