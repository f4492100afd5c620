package org.myelin.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.data.GeneratedAudio;
import org.myelin.data.audio.Audio;
import org.myelin.data.audio.AudioFiles;
import org.myelin.model.FeatureRecipe;

/**
 * Voice-activity segmentation on continuous recordings built at test time from isolated digits:
 * several digits separated by pauses of 0.3–1 s, with white noise 45–60 dB below full scale
 * throughout, at 8 kHz and resampled to 16 kHz. The digits are generated ones
 * ({@link GeneratedAudio#spoken}, so the test runs on a fresh clone) and, as an extra check, FSDD's
 * test recordings (../shared/data/fsdd; skipped with a message when absent).
 */
class SegmentationTest {
    static final Path FSDD = Path.of("..", "shared", "data", "fsdd");

    @TempDir
    Path tmp;

    /** A built recording: samples and the true [start, end) of each digit in seconds. */
    static final class Built {
        final float[] x;
        final List<double[]> words = new ArrayList<>();
        final List<String> files = new ArrayList<>();

        Built(float[] x) {
            this.x = x;
        }
    }

    /**
     * The isolated digits to join: the test takes (0–4) of a generated FSDD-layout folder of six
     * speakers, or FSDD's own test files.
     */
    List<Path> testFiles(String source) throws IOException {
        Path dir = FSDD;
        if (source.equals("generated")) {
            dir = GeneratedAudio.fsdd(tmp.resolve("fsdd"), 6, 5, true, 2026);
        } else {
            assumeTrue(Files.isRegularFile(FSDD.resolve("test_filenames.txt")), "shared FSDD data " + FSDD.toAbsolutePath().normalize()
                    + " is absent; skipping the segmentation test on FSDD (the generated one ran)");
        }
        List<Path> out = new ArrayList<>();
        for (String s : Files.readAllLines(dir.resolve("test_filenames.txt"))) {
            if (!s.isBlank()) out.add(dir.resolve("recordings").resolve(s.trim().endsWith(".wav") ? s.trim() : s.trim() + ".wav"));
        }
        return out;
    }

    /** Digits from the pool joined by pauses, with noise; true spans are where each file sits. */
    static Built build(List<Path> pool, Random r, int digits) throws IOException {
        List<float[]> parts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        double[] pauses = new double[digits + 1];
        int total = 0;
        for (int k = 0; k <= digits; k++) {
            pauses[k] = 0.3 + 0.7 * r.nextDouble();
            total += (int) (pauses[k] * 8000);
            if (k < digits) {
                Path f = pool.get(r.nextInt(pool.size()));
                String n = f.getFileName().toString();
                Audio a = AudioFiles.read(f);
                assertEquals(8000, a.sampleRate, n);
                float[] x = a.mono();
                parts.add(x);
                names.add(n);
                total += x.length;
            }
        }
        Built b = new Built(new float[total]);
        double noise = Math.pow(10, -(45 + 15 * r.nextDouble()) / 20);
        for (int i = 0; i < total; i++) b.x[i] = (float) (noise * r.nextGaussian());
        int at = 0;
        for (int k = 0; k < digits; k++) {
            at += (int) (pauses[k] * 8000);
            float[] x = parts.get(k);
            for (int i = 0; i < x.length; i++) b.x[at + i] += x[i];
            b.words.add(new double[] {at / 8000.0, (at + x.length) / 8000.0});
            b.files.add(names.get(k));
            at += x.length;
        }
        return b;
    }

    static List<double[]> segment(Spotter sp, float[] x, int rate, Segmentation seg) {
        KeywordStream ks = sp.newStream(rate, seg, true);
        List<double[]> found = new ArrayList<>();
        KeywordStream.Listener l = w -> found.add(new double[] {w.start, w.end});
        int chunk = rate / 100;
        for (int q = 0; q < x.length; q += chunk) ks.push(x, q, Math.min(chunk, x.length - q), l);
        ks.close(l);
        return found;
    }

    /**
     * How detections match true words: a detection matches the word it overlaps most; returns
     * {words, detections, words matched by exactly one detection}.
     */
    static int[] score(List<double[]> truth, List<double[]> found) {
        int[] hits = new int[truth.size()];
        for (double[] f : found) {
            int best = -1;
            double most = 0;
            for (int k = 0; k < truth.size(); k++) {
                double o = Math.min(f[1], truth.get(k)[1]) - Math.max(f[0], truth.get(k)[0]);
                if (o > most) {
                    most = o;
                    best = k;
                }
            }
            if (best >= 0) hits[best]++;
        }
        int one = 0;
        for (int h : hits) if (h == 1) one++;
        return new int[] {truth.size(), found.size(), one};
    }

    @ParameterizedTest
    @ValueSource(strings = {"generated", "shared"})
    void findsTheDigitsOfContinuousRecordings(String source) throws IOException {
        List<Path> pool = testFiles(source);
        Spotter sp = Spotter.of(KeywordStreamTest.model(FeatureRecipe.Normalization.GLOBAL, 5), "random model");
        Random r = new Random(2026);
        int words = 0, detections = 0, matched = 0;
        for (int rec = 0; rec < 12; rec++) {
            Built b = build(pool, r, 5);
            int rate = rec % 2 == 0 ? 8000 : 16000;
            float[] x = rate == 8000 ? b.x : org.myelin.data.Resampler.resample(b.x, 8000, 16000);
            int[] s = score(b.words, segment(sp, x, rate, Segmentation.defaults()));
            words += s[0];
            detections += s[1];
            matched += s[2];
        }
        System.out.printf("segmentation on 12 built %s recordings: %d digits, %d detections, %d digits found exactly once%n", source, words, detections, matched);
        // Chosen on the FSDD recordings: every digit found once and nothing else. A VAD a little off
        // (half the hangover, or a 3 dB higher threshold) splits or misses words there. On the
        // generated ones half the hangover splits the two-syllable words (in 6 of the 12
        // recordings) and a 7 or 9 dB threshold splits one (checked when they were made).
        assertEquals(words, matched, "digits found exactly once");
        assertEquals(words, detections, "detections");
    }
}
