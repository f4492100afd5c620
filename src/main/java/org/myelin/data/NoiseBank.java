package org.myelin.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.myelin.data.audio.AudioFiles;
import org.myelin.data.audio.BadAudioException;

/**
 * The noise that waveform augmentation ({@code --aug-snr}) mixes into the training utterances:
 * a few clips at the recipe's sample rate, read from a folder of recordings
 * ({@link #read}, {@code --aug-noise-dir}) or generated ({@link #generated}: white and pink).
 * A mix takes a clip and a start in it and reads as many samples as the utterance has, wrapping
 * round to the clip's start at its end (the generated clips are periodic, so the wrap is seamless).
 */
public final class NoiseBank {
    /** Frequency below which the generated pink noise has no energy (Hz). */
    public static final double PINK_LOW_HZ = 20;
    /** The generated clips: 2^k samples, the smallest power of two at least this many seconds long. */
    public static final double GENERATED_SECONDS = 8;

    public final int sampleRate;
    private final float[][] clips;
    private final List<String> names;

    private NoiseBank(int sampleRate, float[][] clips, List<String> names) {
        this.sampleRate = sampleRate;
        this.clips = clips;
        this.names = List.copyOf(names);
    }

    /** Number of clips. */
    public int size() {
        return clips.length;
    }

    /** Clip k (read-only by contract). */
    public float[] clip(int k) {
        return clips[k];
    }

    /** The name of clip k: a file relative to the folder, or {@code white} / {@code pink}. */
    public String name(int k) {
        return names.get(k);
    }

    /** Memory held, in bytes. */
    public long bytes() {
        long b = 0;
        for (float[] c : clips) b += 4L * c.length;
        return b;
    }

    /**
     * White and pink Gaussian noise at {@code rate}, each {@code 2^k ≥ 8 s} samples, the same bits
     * on every JVM (a fixed SplitMix64 stream, Box–Muller in StrictMath):
     * <ul>
     * <li>{@code white}: independent standard normal samples (a flat spectrum);</li>
     * <li>{@code pink}: another white clip shaped in the frequency domain by 1/√f (power ∝ 1/f,
     *     −3.01 dB per octave) above {@link #PINK_LOW_HZ}, nothing below (infrasound would take
     *     most of the power and none of it is speech band), and transformed back; the shaping is
     *     circular, so the clip is periodic.</li>
     * </ul>
     * Both are scaled to unit RMS.
     */
    public static NoiseBank generated(int rate) {
        Resampler.checkRate(rate, "noise");
        int n = Integer.highestOneBit((int) Math.ceil(GENERATED_SECONDS * rate) - 1) << 1;
        float[] white = unitRms(normal(n, 0x57484954L)); // "WHIT"
        double[] re = new double[n], im = new double[n];
        float[] w2 = normal(n, 0x50494E4BL); // "PINK"
        for (int j = 0; j < n; j++) re[j] = w2[j];
        Fft fft = new Fft(n);
        fft.transform(re, im);
        for (int k = 0; k <= n / 2; k++) {
            double f = (double) k * rate / n;
            double g = f < PINK_LOW_HZ ? 0 : Math.sqrt(PINK_LOW_HZ / f);
            re[k] *= g;
            im[k] *= g;
            if (k > 0 && k < n / 2) { // keep the spectrum Hermitian so the signal stays real
                re[n - k] *= g;
                im[n - k] *= g;
            }
        }
        // inverse transform by the forward one of the conjugate: x = conj(F(conj(X))) / n
        for (int k = 0; k < n; k++) im[k] = -im[k];
        fft.transform(re, im);
        float[] pink = new float[n];
        for (int j = 0; j < n; j++) pink[j] = (float) (re[j] / n);
        return new NoiseBank(rate, new float[][] {white, unitRms(pink)}, List.of("white", "pink"));
    }

    private static float[] normal(int n, long seed) {
        float[] v = new float[n];
        long s = seed;
        for (int j = 0; j < n; j += 2) {
            s += 0x9E3779B97F4A7C15L;
            double u = 1.0 - (mix64(s) >>> 11) * 0x1.0p-53; // (0, 1]
            s += 0x9E3779B97F4A7C15L;
            double w = (mix64(s) >>> 11) * 0x1.0p-53;
            double rad = StrictMath.sqrt(-2 * StrictMath.log(u)), ang = 2 * StrictMath.PI * w;
            v[j] = (float) (rad * StrictMath.cos(ang));
            if (j + 1 < n) v[j + 1] = (float) (rad * StrictMath.sin(ang));
        }
        return v;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static float[] unitRms(float[] x) {
        double ss = 0;
        for (float v : x) ss += (double) v * v;
        double g = 1 / Math.sqrt(ss / x.length);
        for (int j = 0; j < x.length; j++) x[j] = (float) (x[j] * g);
        return x;
    }

    /**
     * The recordings of a folder (and its sub-folders): every {@code .wav} and {@code .flac}, in
     * path order, read as the feature cache reads audio ({@link AudioDatasets#samplesOf}: mono,
     * resampled to {@code rate}); names starting with '.' are ignored.
     *
     * @throws IllegalArgumentException naming the folder when it holds no recordings, or the file
     *         when one cannot be decoded or is silent
     */
    public static NoiseBank read(Path dir, int rate) throws IOException {
        List<Path> files = AudioFiles.list(dir, "aug-noise-dir");
        float[][] clips = new float[files.size()][];
        List<String> names = new ArrayList<>();
        for (int k = 0; k < clips.length; k++) {
            Path f = files.get(k);
            String name = f.toString();
            float[] x = AudioDatasets.samplesOf(f, name, rate);
            boolean silent = true;
            for (float v : x) silent &= v == 0f;
            if (silent) throw new BadAudioException(name + ": silent (every sample is 0), no noise to mix");
            clips[k] = x;
            names.add(dir.relativize(f).toString().replace('\\', '/'));
        }
        return new NoiseBank(rate, clips, names);
    }
}
