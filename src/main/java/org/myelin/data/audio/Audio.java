package org.myelin.data.audio;

/**
 * Decoded audio: one array of samples per channel, either integer PCM ({@link #pcm}, with
 * {@link #bitsPerSample} significant bits, signed) or floating point ({@link #floats}, nominally in
 * [-1, 1]). Exactly one of the two is non-null.
 */
public final class Audio {
    public final int sampleRate;
    public final int channels;
    /** Bits per sample of integer PCM (8..32); 32 for float data. */
    public final int bitsPerSample;
    /** Integer samples, {@code pcm[channel][i]}, or null for float data. */
    public final int[][] pcm;
    /** Float samples, {@code floats[channel][i]}, or null for integer data. */
    public final float[][] floats;
    public final int frames;

    private Audio(int sampleRate, int bitsPerSample, int[][] pcm, float[][] floats) {
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive");
        this.sampleRate = sampleRate;
        this.bitsPerSample = bitsPerSample;
        this.pcm = pcm;
        this.floats = floats;
        this.channels = pcm != null ? pcm.length : floats.length;
        this.frames = pcm != null ? pcm[0].length : floats[0].length;
    }

    /** Integer PCM audio; {@code samples[channel][i]} holds signed values of {@code bits} bits. */
    public static Audio ofPcm(int sampleRate, int bits, int[][] samples) {
        if (bits < 1 || bits > 32) throw new IllegalArgumentException("bits per sample must be 1..32");
        return new Audio(sampleRate, bits, samples, null);
    }

    /** Floating-point audio. */
    public static Audio ofFloat(int sampleRate, float[][] samples) {
        return new Audio(sampleRate, 32, null, samples);
    }

    /**
     * The samples mixed to mono as floats in [-1, 1): integer PCM is scaled by 2^-(bits-1), then
     * the channels are averaged (sum in double, divided by the channel count, rounded once to
     * float). A WAV and a FLAC file holding the same integer samples give identical results.
     */
    public float[] mono() {
        float[] out = new float[frames];
        if (pcm != null) {
            double scale = 1.0 / (double) (1L << (bitsPerSample - 1));
            if (channels == 1) {
                int[] c = pcm[0];
                for (int i = 0; i < frames; i++) out[i] = (float) (c[i] * scale);
            } else {
                for (int i = 0; i < frames; i++) {
                    double s = 0;
                    for (int ch = 0; ch < channels; ch++) s += pcm[ch][i] * scale;
                    out[i] = (float) (s / channels);
                }
            }
        } else {
            if (channels == 1) {
                System.arraycopy(floats[0], 0, out, 0, frames);
            } else {
                for (int i = 0; i < frames; i++) {
                    double s = 0;
                    for (int ch = 0; ch < channels; ch++) s += floats[ch][i];
                    out[i] = (float) (s / channels);
                }
            }
        }
        return out;
    }

    /** Duration in seconds. */
    public double seconds() {
        return frames / (double) sampleRate;
    }
}
