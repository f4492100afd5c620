package org.myelin.edge;

import java.util.List;
import java.util.Objects;
import org.myelin.engine.KeywordStream;
import org.myelin.engine.Segmentation;
import org.myelin.engine.Spotter;

/**
 * One audio source: mono PCM in, in chunks of any size as it arrives, {@link Word}s out to the
 * stream's {@link WordListener} as each ends. Opened by {@link KeywordSpotter#openStream}; closed
 * by {@link #close()} (try-with-resources), which reports a word still open at the end of the
 * audio.
 *
 * <p><b>Not thread-safe:</b> one thread at a time pushes to a stream (any number of streams run in
 * parallel on one spotter). In the steady state (once the JIT has compiled it: see
 * docs/EMBEDDING.md) a push that completes no word allocates nothing; a word costs one
 * {@link Word}. A stream holds about 50 KB of its own (49.5 KB on the paper's network, docs/EMBEDDING.md).
 *
 * <p><b>Bad input</b> is refused before anything changes — the stream then goes on exactly as if it
 * had never seen the chunk: an empty chunk, bounds outside the array, a NaN, infinite or far
 * out-of-range float sample (magnitude over 8: 16-bit PCM belongs in
 * {@link #push(short[], int, int)}) are {@link IllegalArgumentException}s; a push after
 * {@link #close()} is an {@link IllegalStateException}.
 */
public final class WordStream implements AutoCloseable {
    private final KeywordStream stream;
    private final KeywordStream.Listener relay;
    private final int rate;

    WordStream(Spotter spotter, int rate, Segmentation seg, boolean resample, boolean warmUp, WordListener listener) {
        this.stream = spotter.newStream(rate, seg, resample, warmUp);
        this.rate = rate;
        List<String> names = spotter.classNames();
        this.relay = d -> listener.word(new Word(d.start, d.end, d.label, names.get(d.label), d.p, d.accepted));
    }

    /**
     * Pushes a whole chunk of float samples, nominally in [−1, 1].
     *
     * @throws IllegalArgumentException on an empty chunk or a NaN, infinite or far out-of-range sample
     * @throws IllegalStateException    after {@link #close()}
     */
    public void push(float[] pcm) {
        push(pcm, 0, Objects.requireNonNull(pcm, "pcm").length);
    }

    /**
     * Pushes float samples {@code pcm[off, off+len)}, nominally in [−1, 1].
     *
     * @throws IllegalArgumentException on {@code len} 0, bad bounds, or a NaN, infinite or far
     *                                  out-of-range sample (nothing changes)
     * @throws IllegalStateException    after {@link #close()}
     */
    public void push(float[] pcm, int off, int len) {
        Objects.requireNonNull(pcm, "pcm");
        requireOpenAndSome(len);
        stream.push(pcm, off, len, relay);
    }

    /**
     * Pushes signed 16-bit samples {@code pcm[off, off+len)} (full scale 32768).
     *
     * @throws IllegalArgumentException on {@code len} 0 or bad bounds (nothing changes)
     * @throws IllegalStateException    after {@link #close()}
     */
    public void push(short[] pcm, int off, int len) {
        Objects.requireNonNull(pcm, "pcm");
        requireOpenAndSome(len);
        stream.push(pcm, off, len, relay);
    }

    private void requireOpenAndSome(int len) {
        if (stream.isClosed()) throw new IllegalStateException("stream is closed: no samples after close()");
        if (len == 0) throw new IllegalArgumentException("empty chunk: push at least one sample");
    }

    /**
     * Ends the audio: the word still open, if any, goes to the listener. Later pushes throw
     * {@link IllegalStateException}; closing again does nothing.
     */
    @Override
    public void close() {
        stream.close(relay);
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return stream.isClosed();
    }

    /** Samples pushed so far. */
    public long samples() {
        return stream.samples();
    }

    /** The sample rate of the audio this stream takes, in Hz. */
    public int sampleRate() {
        return rate;
    }
}
