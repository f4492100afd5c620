package org.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The noise of --aug-snr: generated white and pink with the right spectra, and a folder of recordings read or refused by name. */
class NoiseBankTest {
    static final int RATE = 8000;

    @TempDir
    Path dir;

    @Test
    void generatedNoiseIsDeterministicUnitRmsAndAPowerOfTwoLong() {
        NoiseBank a = NoiseBank.generated(RATE), b = NoiseBank.generated(RATE);
        assertEquals(2, a.size());
        assertEquals("white", a.name(0));
        assertEquals("pink", a.name(1));
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(a.clip(k), b.clip(k), "same bits every time");
            assertEquals(65536, a.clip(k).length, "2^16 ≥ 8 s at 8 kHz");
            double ss = 0;
            for (float v : a.clip(k)) ss += (double) v * v;
            assertEquals(1.0, Math.sqrt(ss / a.clip(k).length), 1e-4, a.name(k) + " RMS");
        }
        assertEquals(1 << 19, NoiseBank.generated(48000).clip(0).length, "2^19 ≥ 8 s at 48 kHz");
    }

    /**
     * Welch estimate (1024-sample Hann segments, 64 of them) averaged per octave band from 125 Hz to
     * 4 kHz: white is flat, pink falls 3.01 dB per octave (power ∝ 1/f). Each band averages
     * ≥ 16 bins × 64 segments ≈ 1,000 χ²₂ values, a standard error of ≈ 3 % (0.14 dB), so a band
     * may miss by 0.5 dB only by chance of < 1e-3; the fitted slope over five octaves to 0.25 dB.
     */
    @Test
    void whiteIsFlatAndPinkFallsThreeDbPerOctave() {
        NoiseBank bank = NoiseBank.generated(RATE);
        double[] white = octaves(bank.clip(0)), pink = octaves(bank.clip(1));
        double meanWhite = 0;
        for (double v : white) meanWhite += v / white.length;
        for (int o = 0; o < white.length; o++) assertEquals(meanWhite, white[o], 0.5, "white, octave " + o + ": " + java.util.Arrays.toString(white));
        assertEquals(0.0, slope(white), 0.25, "white slope, dB per octave");
        for (int o = 1; o < pink.length; o++) {
            assertEquals(-3.01, pink[o] - pink[o - 1], 0.5, "pink, octave " + (o - 1) + " → " + o + ": " + java.util.Arrays.toString(pink));
        }
        assertEquals(-3.01, slope(pink), 0.25, "pink slope, dB per octave");
        // nothing below 20 Hz (float rounding of the clip leaves ≈ 1e-14 of the power there)
        float[] p = bank.clip(1);
        int n = p.length;
        double[] re = new double[n], im = new double[n];
        for (int j = 0; j < n; j++) re[j] = p[j];
        new Fft(n).transform(re, im);
        double low = 0, all = 0;
        for (int k = 0; k <= n / 2; k++) {
            double e = re[k] * re[k] + im[k] * im[k];
            all += e;
            if ((double) k * RATE / n < NoiseBank.PINK_LOW_HZ) low += e;
        }
        assertTrue(low / all < 1e-9, "pink power below 20 Hz: " + low / all);
    }

    /** Mean power density (dB) in the octaves [125·2^o, 250·2^o) Hz, o = 0..4. */
    private static double[] octaves(float[] x) {
        int L = 1024;
        double[] win = new double[L], psd = new double[L / 2 + 1];
        for (int i = 0; i < L; i++) win[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / L);
        Fft fft = new Fft(L);
        double[] re = new double[L], im = new double[L];
        for (int s = 0; s + L <= x.length; s += L) {
            for (int i = 0; i < L; i++) {
                re[i] = x[s + i] * win[i];
                im[i] = 0;
            }
            fft.transform(re, im);
            for (int k = 0; k <= L / 2; k++) psd[k] += re[k] * re[k] + im[k] * im[k];
        }
        double[] band = new double[5];
        for (int o = 0; o < 5; o++) {
            double lo = 125 * Math.pow(2, o), hi = 2 * lo, sum = 0;
            int count = 0;
            for (int k = 0; k <= L / 2; k++) {
                double f = (double) k * RATE / L;
                if (f >= lo && f < hi) {
                    sum += psd[k];
                    count++;
                }
            }
            band[o] = 10 * Math.log10(sum / count);
        }
        return band;
    }

    private static double slope(double[] y) {
        double mx = (y.length - 1) / 2.0, my = 0;
        for (double v : y) my += v / y.length;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < y.length; i++) {
            sxy += (i - mx) * (y[i] - my);
            sxx += (i - mx) * (i - mx);
        }
        return sxy / sxx;
    }

    private static byte[] wav(int rate, int[] samples) {
        return WavReaderTest.riff(WavReaderTest.chunk("fmt ", WavReaderTest.fmt(1, 1, rate, 16, false)),
                WavReaderTest.chunk("data", WavReaderTest.pcm(new int[][] {samples}, 16)));
    }

    private static int[] tone(int n, int rate, double hz) {
        int[] s = new int[n];
        for (int j = 0; j < n; j++) s[j] = (int) Math.round(8000 * Math.sin(2 * Math.PI * hz * j / rate) + 50 * Math.cos(j * 0.37));
        return s;
    }

    @Test
    void aFolderOfRecordingsIsReadInPathOrderAtTheRate() throws Exception {
        Path noise = Files.createDirectories(dir.resolve("noise"));
        Files.write(noise.resolve("b.wav"), wav(16000, tone(16000, 16000, 440)));
        Files.createDirectories(noise.resolve("sub"));
        Files.write(noise.resolve("sub").resolve("a.flac"), FlacTestWriter.write(new int[][] {tone(4000, RATE, 300)}, RATE, 16, 1024));
        Files.write(noise.resolve(".hidden.wav"), new byte[] {1, 2, 3}); // ignored, as is anything not .wav/.flac
        Files.writeString(noise.resolve("notes.txt"), "not audio");
        NoiseBank bank = NoiseBank.read(noise, RATE);
        assertEquals(2, bank.size());
        assertEquals(List.of("b.wav", "sub/a.flac"), List.of(bank.name(0), bank.name(1)));
        assertEquals(RATE, bank.sampleRate);
        assertEquals(new Resampler(16000, RATE).outputLength(16000), bank.clip(0).length, "16 kHz resampled to 8 kHz");
        assertEquals(4000, bank.clip(1).length);
        assertArrayEquals(AudioDatasets.samplesOf(noise.resolve("b.wav"), "b.wav", RATE), bank.clip(0), "read as the feature cache reads audio");
    }

    @Test
    void badFoldersAndFilesAreRefusedByName() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("readme.txt"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NoiseBank.read(empty, RATE));
        assertTrue(e.getMessage().startsWith("--aug-noise-dir " + empty) && e.getMessage().contains("no .wav or .flac"), e.getMessage());

        assertThrows(NoSuchFileException.class, () -> NoiseBank.read(dir.resolve("absent"), RATE));
        e = assertThrows(IllegalArgumentException.class, () -> NoiseBank.read(empty.resolve("readme.txt"), RATE));
        assertTrue(e.getMessage().contains("not a folder"), e.getMessage());

        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.write(bad.resolve("good.wav"), wav(RATE, tone(800, RATE, 500)));
        Files.write(bad.resolve("broken.wav"), new byte[] {'R', 'I', 'F', 'F', 9, 9, 9});
        e = assertThrows(IllegalArgumentException.class, () -> NoiseBank.read(bad, RATE));
        assertTrue(e.getMessage().contains(bad.resolve("broken.wav").toString()), e.getMessage());

        Path silent = Files.createDirectories(dir.resolve("silent"));
        Files.write(silent.resolve("zeros.wav"), wav(RATE, new int[500]));
        e = assertThrows(IllegalArgumentException.class, () -> NoiseBank.read(silent, RATE));
        assertTrue(e.getMessage().contains(silent.resolve("zeros.wav").toString()) && e.getMessage().contains("silent"), e.getMessage());
    }
}
