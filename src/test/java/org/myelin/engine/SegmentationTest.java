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
import org.junit.jupiter.api.Test;
import org.myelin.data.audio.Audio;
import org.myelin.data.audio.AudioFiles;
import org.myelin.model.FeatureRecipe;

/**
 * Voice-activity segmentation on continuous recordings built at test time from FSDD test digits
 * (../shared/data/fsdd; skipped with a message when absent): several digits separated by pauses of
 * 0.3–1 s, with white noise 45–60 dB below full scale throughout, at 8 kHz and resampled to 16 kHz.
 */
class SegmentationTest {
    static final Path FSDD = Path.of("..", "shared", "data", "fsdd");

    /** A built recording: samples and the true [start, end) of each digit in seconds. */
    static final class Built {
        final float[] x;
        final List<double[]> words = new ArrayList<>();
        final List<String> files = new ArrayList<>();

        Built(float[] x) {
            this.x = x;
        }
    }

    static List<String> testFiles() throws IOException {
        Path list = FSDD.resolve("test_filenames.txt");
        assumeTrue(Files.isRegularFile(list), "shared FSDD data " + FSDD.toAbsolutePath().normalize() + " is absent; skipping the segmentation test");
        List<String> out = new ArrayList<>();
        for (String s : Files.readAllLines(list)) if (!s.isBlank()) out.add(s.trim().endsWith(".wav") ? s.trim() : s.trim() + ".wav");
        return out;
    }

    /** Digits of the FSDD test set joined by pauses, with noise; true spans are where each file sits. */
    static Built build(List<String> pool, Random r, int digits) throws IOException {
        List<float[]> parts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        double[] pauses = new double[digits + 1];
        int total = 0;
        for (int k = 0; k <= digits; k++) {
            pauses[k] = 0.3 + 0.7 * r.nextDouble();
            total += (int) (pauses[k] * 8000);
            if (k < digits) {
                String n = pool.get(r.nextInt(pool.size()));
                Audio a = AudioFiles.read(FSDD.resolve("recordings").resolve(n));
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

    @Test
    void findsTheDigitsOfContinuousRecordings() throws IOException {
        List<String> pool = testFiles();
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
        System.out.printf("segmentation on 12 built FSDD recordings: %d digits, %d detections, %d digits found exactly once%n", words, detections, matched);
        // Chosen on these recordings: every digit found once and nothing else. A VAD a little off
        // (half the hangover, or a 3 dB higher threshold) splits or misses words here.
        assertEquals(words, matched, "digits found exactly once");
        assertEquals(words, detections, "detections");
    }
}
