package org.myelin.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Recordings made at test time, so that tests of the audio paths run on a fresh clone without
 * ../shared/data: a spoken-digit stand-in per class ({@link #word}, a tone pair; {@link #spoken},
 * more like speech and varied by speaker and take), an FSDD-layout folder of them
 * ({@link #fsdd}) and a 16-bit mono WAV writer.
 */
public final class GeneratedAudio {
    private GeneratedAudio() {}

    /** Writes {@code x} (in [-1, 1]) as a 16-bit mono PCM WAV file at {@code rate}. */
    public static void wav(Path f, int rate, float[] x) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * x.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(2 * rate).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * x.length);
        for (float v : x) b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32767))));
        Files.write(f, b.array());
    }

    /**
     * Half a second standing in for the word of class {@code cls} (0..9 at 8 kHz): a tone pair at
     * 300 + 350·cls Hz with a rising or falling glide, silence around it, faint noise.
     */
    public static float[] word(int cls, int rate, Random r) {
        int n = (int) (0.5 * rate);
        float[] x = new float[n];
        double f = 300 + 350 * cls, glide = cls % 2 == 0 ? 400 : -150;
        int on = (int) (0.08 * rate), off = (int) (0.42 * rate);
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = (i - on) / (double) rate;
            phase += 2 * Math.PI * (f + glide * Math.max(0, t)) / rate;
            double v = 0.003 * r.nextGaussian();
            if (i >= on && i < off) v += 0.4 * Math.sin(Math.PI * (i - on) / (off - on)) * (Math.sin(phase) + 0.3 * Math.sin(2.7 * phase));
            x[i] = (float) v;
        }
        return x;
    }

    /** FSDD's six speakers, in its order: the generated folders use their names, so split rules read the same. */
    public static final List<String> FSDD_SPEAKERS = List.of("george", "jackson", "lucas", "nicolas", "theo", "yweweler");

    /**
     * A word more like speech than {@link #word}, for the voice detector and the data paths:
     * harmonics of a falling pitch (the speaker's, 95–230 Hz) shaped by two formants (the digit's,
     * scaled by the speaker), a noise onset for the digits that start with a fricative (0, 3, 4, 5,
     * 6, 7), a second syllable after a 60–100 ms dip to 3 % (−30 dB) for 0 and 7, 0.2–0.45 s of voice per
     * syllable, a peak level of −26 to −6 dBFS, 0.05–0.2 s of faint noise (−62 dBFS) before and
     * after. Take and generator vary the length, level and silences. (Words voiced from their first
     * sample are tested in engine/KeywordStreamTest, cut out of these.)
     */
    public static float[] spoken(int digit, int speaker, int rate, Random r) {
        double[][] formants = {{500, 1400}, {450, 1000}, {400, 800}, {350, 2100}, {550, 900},
                               {650, 1200}, {400, 1900}, {550, 1800}, {600, 2000}, {700, 1300}};
        double f0 = 95 + 135 * ((speaker * 0.37) % 1.0), scale = 0.88 + 0.06 * (speaker % 5);
        boolean fricative = digit == 0 || (digit >= 3 && digit <= 7), twoSyllables = digit == 0 || digit == 7;
        int lead = (int) ((0.05 + 0.15 * r.nextDouble()) * rate), trail = (int) ((0.05 + 0.15 * r.nextDouble()) * rate);
        int fric = fricative ? (int) ((0.04 + 0.04 * r.nextDouble()) * rate) : 0;
        int syllables = twoSyllables ? 2 : 1;
        int[] voiced = new int[syllables];
        int dip = (int) ((0.06 + 0.04 * r.nextDouble()) * rate);
        int total = lead + fric + trail + (syllables - 1) * dip;
        for (int k = 0; k < syllables; k++) total += voiced[k] = (int) ((0.2 + 0.25 * r.nextDouble()) * rate);
        double[] x = new double[total];
        int at = lead;
        for (int i = 0; i < fric; i++) x[at + i] = 0.15 * r.nextGaussian() * Math.sin(Math.PI * i / fric);
        at += fric;
        double phase = 0;
        for (int k = 0; k < syllables; k++) {
            double fa = formants[digit][0] * scale * (k == 0 ? 1 : 0.8), fb = formants[digit][1] * scale * (k == 0 ? 1 : 1.15);
            boolean last = k == syllables - 1;
            // a syllable, then (but for the last) the dip: the voice going on at 3 %
            int n = voiced[k], len = last ? n : n + dip, attack = rate / 50, release = rate / 25;
            double floor = last ? 0 : 0.03;
            for (int i = 0; i < len; i++) {
                double pitch = f0 * (1 - 0.15 * Math.min(i, n) / n);
                phase += 2 * Math.PI * pitch / rate;
                double v = 0;
                for (int h = 1; h * pitch < Math.min(4000, 0.45 * rate); h++) {
                    double f = h * pitch;
                    double amp = 1 / (1 + Math.pow((f - fa) / 90, 2)) + 0.6 / (1 + Math.pow((f - fb) / 130, 2)) + 0.02;
                    v += amp * Math.sin(h * phase);
                }
                double env = i >= n ? floor : Math.min(Math.min(1, i / (double) attack), Math.max(floor, (n - i) / (double) release));
                x[at + i] += v * env;
            }
            at += len;
        }
        double peak = 0;
        for (double v : x) peak = Math.max(peak, Math.abs(v));
        double gain = Math.pow(10, -(6 + 20 * r.nextDouble()) / 20) / peak;
        float[] out = new float[total];
        for (int i = 0; i < total; i++) out[i] = (float) (gain * x[i] + 0.0008 * r.nextGaussian());
        return out;
    }

    /**
     * A small FSDD-layout folder in {@code d} of tone-pair {@link #word}s: recordings/{c}_{speaker}_{k}.wav
     * for 3 classes, speakers "aa", "bb" and "tst" (held out), 4 takes each, with both split files.
     * Seeded: the same files on every run.
     *
     * @return {@code d}
     */
    public static Path toneFsdd(Path d, int rate) throws IOException {
        Files.createDirectories(d.resolve("recordings"));
        Random r = new Random(1);
        StringBuilder train = new StringBuilder(), test = new StringBuilder();
        for (int c = 0; c < 3; c++) {
            for (String spk : new String[] {"aa", "bb", "tst"}) {
                for (int k = 0; k < 4; k++) {
                    String n = c + "_" + spk + "_" + k + ".wav";
                    wav(d.resolve("recordings").resolve(n), rate, word(c, rate, r));
                    (spk.equals("tst") ? test : train).append(n).append('\n');
                }
            }
        }
        Files.writeString(d.resolve("train_filenames.txt"), train);
        Files.writeString(d.resolve("test_filenames.txt"), test);
        return d;
    }

    /**
     * An FSDD-layout folder in {@code dir} of {@link #spoken} words at 8 kHz:
     * {@code recordings/{digit}_{speaker}_{take}.wav} for digits 0–9, the first {@code speakers}
     * names of {@link #FSDD_SPEAKERS} and takes 0 … {@code takes − 1}; with {@code splitFiles},
     * also {@code train_filenames.txt} and {@code test_filenames.txt} by FSDD's rule (takes 0–4 are
     * test). Seeded: the same files on every run.
     *
     * @return {@code dir}
     */
    public static Path fsdd(Path dir, int speakers, int takes, boolean splitFiles, long seed) throws IOException {
        Files.createDirectories(dir.resolve("recordings"));
        Random r = new Random(seed);
        StringBuilder train = new StringBuilder(), test = new StringBuilder();
        for (int s = 0; s < speakers; s++) {
            for (int d = 0; d < 10; d++) {
                for (int t = 0; t < takes; t++) {
                    String n = d + "_" + FSDD_SPEAKERS.get(s) + "_" + t + ".wav";
                    wav(dir.resolve("recordings").resolve(n), 8000, spoken(d, s, 8000, r));
                    (t < 5 ? test : train).append(n).append('\n');
                }
            }
        }
        if (splitFiles) {
            Files.writeString(dir.resolve("train_filenames.txt"), train);
            Files.writeString(dir.resolve("test_filenames.txt"), test);
        }
        return dir;
    }
}
