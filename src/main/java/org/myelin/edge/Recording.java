package org.myelin.edge;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.myelin.data.audio.Audio;
import org.myelin.data.audio.AudioFiles;
import org.myelin.data.audio.BadAudioException;

/**
 * A recording read from a WAV (PCM 8–32 bit or float) or FLAC file, mixed to mono: what to give a
 * {@link WordStream} or {@link KeywordSpotter#classify} when the audio is a file rather than a
 * sound card. Immutable.
 */
public final class Recording {
    private final float[] samples;
    private final int sampleRate;

    private Recording(float[] samples, int sampleRate) {
        this.samples = samples;
        this.sampleRate = sampleRate;
    }

    /**
     * Reads and decodes a file (the codec is chosen by its content, not its name).
     *
     * @throws java.nio.file.NoSuchFileException when it does not exist
     * @throws IOException naming the file when it cannot be read or decoded (truncated, corrupt, an
     *                     unsupported format)
     */
    public static Recording read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try {
            Audio a = AudioFiles.read(file);
            return new Recording(a.mono(), a.sampleRate);
        } catch (BadAudioException e) {
            throw new IOException(e.getMessage());
        }
    }

    /** The mono samples in [−1, 1] (a copy). */
    public float[] samples() {
        return samples.clone();
    }

    /** Samples in the recording. */
    public int length() {
        return samples.length;
    }

    /** The file's sample rate in Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /**
     * Pushes the recording into a stream in chunks of {@code chunkMillis} (as a sound card would
     * deliver it); the stream stays open.
     *
     * @throws IllegalArgumentException unless {@code chunkMillis} ≥ 1, or when the stream takes
     *                                  another rate than the recording's
     */
    public void pushTo(WordStream stream, int chunkMillis) {
        if (chunkMillis < 1) throw new IllegalArgumentException("chunk must be at least 1 ms, got " + chunkMillis);
        if (stream.sampleRate() != sampleRate) {
            throw new IllegalArgumentException("the stream takes " + stream.sampleRate() + " Hz, the recording is " + sampleRate + " Hz");
        }
        int chunk = (int) Math.max(1, (long) sampleRate * chunkMillis / 1000);
        for (int q = 0; q < samples.length; q += chunk) stream.push(samples, q, Math.min(chunk, samples.length - q));
    }
}
