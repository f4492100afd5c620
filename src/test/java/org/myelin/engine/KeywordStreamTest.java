package org.myelin.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.myelin.network.Readout;
import org.myelin.model.FeatureRecipe;
import org.myelin.model.Model;
import org.myelin.testing.SteadyState;

/** The streaming path against the offline path, its allocation, and its bad input. */
class KeywordStreamTest {
    static final int[] RATES = {8000, 16000, 44100, 48000};

    /** A random 40 → 48 → 10 model at 8 kHz with the given normalisation (plausible log-Mel statistics). */
    static Model model(FeatureRecipe.Normalization n, long seed) {
        Model m = TestModels.random(seed, 40, 48, 10, 80, 8, Readout.VSUM, true, 0.3f);
        FeatureRecipe r = FeatureRecipe.paper(8000);
        if (n == FeatureRecipe.Normalization.GLOBAL) {
            float[] mean = new float[40], std = new float[40];
            Random q = new Random(seed);
            for (int c = 0; c < 40; c++) {
                mean[c] = -6f + q.nextFloat() * 4f;
                std[c] = 1.5f + q.nextFloat() * 2f;
            }
            r = r.withGlobalNormalization(mean, std);
        }
        return m.withRecipe(r);
    }

    /** A word-like recording at a rate: silence, a voiced burst with formant-ish tones, silence, faint noise throughout. */
    static float[] recording(int rate, long seed, double seconds) {
        Random q = new Random(seed);
        int n = (int) (rate * seconds);
        float[] x = new float[n];
        double f0 = 110 + 60 * q.nextDouble(), f1 = 500 + 400 * q.nextDouble(), f2 = 1200 + 1000 * q.nextDouble();
        int on = (int) (0.12 * rate), off = (int) ((seconds - 0.15) * rate);
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate, v = 0.002 * q.nextGaussian();
            if (i >= on && i < off) {
                double env = Math.sin(Math.PI * (i - on) / (off - on));
                v += env * (0.3 * Math.sin(2 * Math.PI * f0 * t) + 0.2 * Math.sin(2 * Math.PI * f1 * t + 0.3 * Math.sin(9 * t))
                        + 0.1 * Math.sin(2 * Math.PI * f2 * t));
            }
            x[i] = (float) v;
        }
        return x;
    }

    static float[] as16bit(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (float) (toShort(x[i]) * (1.0 / 32768));
        return y;
    }

    static short toShort(float v) {
        return (short) Math.max(-32768, Math.min(32767, Math.round(v * 32768)));
    }

    /** Pushes a recording in random chunks (float or 16-bit) through a stream without segmentation. */
    static List<float[]> stream(Spotter sp, float[] x, int rate, Random r, boolean pcm16, int maxChunk) {
        KeywordStream ks = sp.newStream(rate, null, true);
        List<float[]> words = new ArrayList<>();
        KeywordStream.Listener l = w -> words.add(w.scores.clone());
        short[] s = null;
        if (pcm16) {
            s = new short[x.length];
            for (int i = 0; i < x.length; i++) s[i] = toShort(x[i]);
        }
        int q = 0;
        while (q < x.length) {
            int n = Math.min(x.length - q, 1 + r.nextInt(maxChunk));
            if (pcm16) ks.push(s, q, n, l);
            else ks.push(x, q, n, l);
            q += n;
        }
        ks.close(l);
        return words;
    }

    @Test
    void aGlobalModelStreamedInAnyChunkingGivesTheOfflineScoresAtEveryRate() {
        checkStreamEqualsOffline(FeatureRecipe.Normalization.GLOBAL);
    }

    @Test
    void anUtteranceModelBuffersTheWordAndGivesTheOfflineScoresToo() {
        checkStreamEqualsOffline(FeatureRecipe.Normalization.UTTERANCE);
    }

    private void checkStreamEqualsOffline(FeatureRecipe.Normalization norm) {
        Spotter sp = Spotter.of(model(norm, 5), "test model");
        Random r = new Random(11);
        int distinct = 0;
        for (int rate : RATES) {
            for (double seconds : new double[] {0.6, 0.9, 0.012}) { // 0.9 s: more than 80 frames; 12 ms: less than one frame
                float[] x = recording(rate, rate + (long) (seconds * 1000), seconds);
                for (boolean pcm16 : new boolean[] {false, true}) {
                    float[] in = pcm16 ? as16bit(x) : x;
                    Spotter.Result off = sp.classify(in, rate, true, "rec");
                    for (int trial = 0; trial < 4; trial++) {
                        int max = trial == 0 ? in.length : trial == 1 ? 1 : trial == 2 ? 37 : 2000;
                        List<float[]> words = stream(sp, x, rate, r, pcm16, max);
                        String what = norm + " " + rate + " Hz " + seconds + " s " + (pcm16 ? "16-bit" : "float") + " chunks ≤ " + max;
                        assertEquals(seconds > 0.8 ? 2 : 1, words.size(), what + ": utterances of 80 frames");
                        assertArrayEquals(off.scores, words.get(0), what);
                    }
                    if (off.scores[0] != off.scores[1]) distinct++;
                }
            }
        }
        assertTrue(distinct > 0, "the random model gives degenerate scores: the comparison would be empty");
    }

    @Test
    void aWordOfARejectionClassIsReportedRejected() {
        Model m = model(FeatureRecipe.Normalization.GLOBAL, 5);
        float[] x = recording(8000, 3, 0.7);
        List<KeywordStream.Detection> got = new ArrayList<>();
        Spotter plain = Spotter.of(m, "m");
        int[] label = {-1};
        boolean[] accepted = {false};
        KeywordStream ks = plain.newStream(8000, Segmentation.defaults(), true);
        KeywordStream.Listener l = w -> {
            label[0] = w.label;
            accepted[0] = w.accepted;
        };
        ks.push(x, 0, x.length, l);
        ks.close(l);
        assertTrue(label[0] >= 0 && accepted[0], "the word is found and, with class numbers for names, accepted");
        Spotter.Result off = plain.classify(x, 8000, true, "x");
        assertTrue(off.accepted);
        // the same model with the word's class and the offline class named as rejection classes
        List<String> names = new ArrayList<>();
        for (int k = 0; k < 10; k++) names.add(k == label[0] ? "_unknown_" : k == off.label ? "_silence_" : "w" + k);
        Model named = m.withRecipe(m.recipe);
        named.meta.put(Model.CLASS_NAMES, new ArrayList<Object>(names));
        Spotter rej = Spotter.of(named, "named");
        assertTrue(rej.rejects(label[0]) && rej.rejects(off.label));
        int other = (label[0] + 1) % 10 == off.label ? (label[0] + 2) % 10 : (label[0] + 1) % 10;
        assertFalse(rej.rejects(other));
        assertTrue(rej.accepts(other, 0.5f) && !rej.accepts(label[0], 1f), "a keyword with p ≥ threshold 0 is accepted, a rejection class never");
        int[] label2 = {-1};
        KeywordStream ks2 = rej.newStream(8000, Segmentation.defaults(), true);
        KeywordStream.Listener l2 = w -> {
            label2[0] = w.label;
            accepted[0] = w.accepted;
        };
        ks2.push(x, 0, x.length, l2);
        ks2.close(l2);
        assertEquals(label[0], label2[0], "the same word, the same class");
        assertFalse(accepted[0], "reported, but rejected");
        assertFalse(rej.classify(x, 8000, true, "x").accepted, "offline too");
    }

    @Test
    void onlyTheModelsRateAvoidsResamplingWhenResamplingIsOff() {
        Spotter sp = Spotter.of(model(FeatureRecipe.Normalization.GLOBAL, 5), "m.myelin");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sp.newStream(16000, null, false));
        assertTrue(e.getMessage().contains("16000 Hz") && e.getMessage().contains("8000 Hz") && e.getMessage().contains("m.myelin"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> sp.classify(new float[100], 44100, false, "a.wav"));
        assertTrue(e.getMessage().startsWith("a.wav: sample rate 44100 Hz"), e.getMessage());
        sp.newStream(8000, null, false);
        for (int bad : new int[] {0, -8000, 100_000_000}) {
            e = assertThrows(IllegalArgumentException.class, () -> sp.newStream(bad, null, true));
            assertTrue(e.getMessage().contains(bad + " Hz"), e.getMessage());
        }
    }

    @Test
    void badSamplesAndChunksAfterCloseLeaveTheStreamAsItWas() {
        Spotter sp = Spotter.of(model(FeatureRecipe.Normalization.GLOBAL, 5), "m");
        float[] x = recording(16000, 1, 0.6);
        Random r = new Random(2);
        List<float[]> clean = stream(sp, x, 16000, r, false, 500);

        KeywordStream ks = sp.newStream(16000, null, true);
        List<float[]> words = new ArrayList<>();
        KeywordStream.Listener l = w -> words.add(w.scores.clone());
        int half = x.length / 2;
        ks.push(x, 0, half, l);
        float[] poisoned = x.clone();
        poisoned[half + 10] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ks.push(poisoned, half, 100, l));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains(String.valueOf(half + 10)), e.getMessage());
        poisoned[half + 10] = Float.POSITIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> ks.push(poisoned, half, 100, l));
        assertThrows(IllegalArgumentException.class, () -> ks.push(x, x.length - 5, 10, l));
        assertEquals(half, ks.samples(), "a refused chunk is not consumed");
        ks.push(x, half, x.length - half, l);
        ks.close(l);
        assertEquals(1, words.size());
        assertArrayEquals(clean.get(0), words.get(0), "the refused chunks changed nothing");
        assertThrows(IllegalStateException.class, () -> ks.push(x, 0, 10, l));
        assertThrows(IllegalStateException.class, () -> ks.push(new short[10], 0, 10, l));
        ks.close(l); // closing twice does nothing
        assertEquals(1, words.size());
    }

    /** Runs in a JVM of its own ({@code allocation-*} executions in pom.xml): see {@link SteadyState}. */
    @Test
    @Tag("allocation")
    void pushAllocatesNothingInTheSteadyState() {
        SteadyState meter = SteadyState.meter();
        for (FeatureRecipe.Normalization norm : FeatureRecipe.Normalization.values()) {
            Spotter sp = Spotter.of(model(norm, 9), "m");
            for (int rate : new int[] {8000, 44100}) {
                for (Segmentation seg : new Segmentation[] {null, Segmentation.defaults()}) {
                    // 3 s of words and pauses, pushed over and over in 10 ms chunks (float and 16-bit)
                    float[] a = recording(rate, 3, 1.0), b = recording(rate, 4, 0.8);
                    float[] x = new float[a.length + b.length + rate];
                    System.arraycopy(a, 0, x, 0, a.length);
                    System.arraycopy(b, 0, x, a.length + rate / 2, b.length);
                    short[] s = new short[x.length];
                    for (int i = 0; i < x.length; i++) s[i] = toShort(x[i]);
                    KeywordStream ks = sp.newStream(rate, seg, true);
                    int[] count = {0};
                    KeywordStream.Listener l = w -> count[0]++;
                    int chunk = rate / 100;
                    String what = norm + " " + rate + " Hz " + (seg == null ? "no VAD" : "VAD");
                    int before = count[0];
                    long[] windows = meter.measure(what, () -> pushAll(ks, x, s, chunk, l), 3);
                    // a pass is ~600 chunks: an allocation per chunk would be >= 9,600 bytes a pass
                    SteadyState.assertNothing(what, windows, SteadyState.ONE_OFF);
                    assertTrue(count[0] > before, what + ": words were reported during the passes");
                }
            }
        }
    }

    private static void pushAll(KeywordStream ks, float[] x, short[] s, int chunk, KeywordStream.Listener l) {
        for (int q = 0; q < x.length; q += chunk) {
            int n = Math.min(chunk, x.length - q);
            if ((q / chunk) % 2 == 0) ks.push(x, q, n, l);
            else ks.push(s, q, n, l);
        }
    }

    @Test
    void segmentationFindsTheWordsOfASyntheticRecording() {
        Spotter sp = Spotter.of(model(FeatureRecipe.Normalization.GLOBAL, 5), "m");
        int rate = 16000;
        float[] x = new float[rate * 4];
        Random q = new Random(1);
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.001 * q.nextGaussian());
        double[][] words = {{0.3, 0.5}, {1.5, 0.6}, {2.8, 0.4}};
        for (double[] w : words) {
            float[] word = recording(rate, (long) (w[0] * 10), w[1] + 0.27);
            int at = (int) ((w[0] - 0.12) * rate);
            for (int i = 0; i < word.length; i++) x[at + i] += word[i];
        }
        KeywordStream ks = sp.newStream(rate, Segmentation.defaults(), true);
        List<double[]> found = new ArrayList<>();
        KeywordStream.Listener l = w -> found.add(new double[] {w.start, w.end});
        for (int i = 0; i < x.length; i += 160) ks.push(x, i, Math.min(160, x.length - i), l);
        ks.close(l);
        assertEquals(words.length, found.size(), "words found");
        for (int k = 0; k < words.length; k++) {
            double s = words[k][0], e = words[k][0] + words[k][1];
            assertTrue(found.get(k)[0] <= s + 0.05 && found.get(k)[0] >= s - 0.2, "word " + k + " starts at " + found.get(k)[0] + ", true " + s);
            assertTrue(found.get(k)[1] >= e - 0.1 && found.get(k)[1] <= e + 0.45, "word " + k + " ends at " + found.get(k)[1] + ", true " + e);
        }
        assertFalse(found.get(0)[1] > found.get(1)[0], "words do not overlap");
    }

    /** The words a segmenting stream reports for x pushed in 10 ms chunks: {start, end} each. */
    static List<double[]> words(Spotter sp, float[] x, int rate) {
        KeywordStream ks = sp.newStream(rate, Segmentation.defaults(), true);
        List<double[]> found = new ArrayList<>();
        KeywordStream.Listener l = w -> found.add(new double[] {w.start, w.end});
        for (int i = 0; i < x.length; i += rate / 100) ks.push(x, i, Math.min(rate / 100, x.length - i), l);
        ks.close(l);
        return found;
    }

    @Test
    void theEdgesOfARecordingCountAsSilence() {
        Spotter sp = Spotter.of(model(FeatureRecipe.Normalization.GLOBAL, 5), "m");
        int rate = 16000;
        float[] word = recording(rate, 7, 0.9); // voiced from 0.12 s to 0.75 s, faint noise throughout
        int on = (int) (0.12 * rate), mid = (int) (0.45 * rate);
        // starts with the word at the first sample (no leading silence for the floor), pause after
        List<double[]> a = words(sp, java.util.Arrays.copyOfRange(word, on, word.length), rate);
        assertEquals(1, a.size(), "a word at the first sample is found once");
        assertEquals(0.0, a.get(0)[0], 1e-9, "and starts at the stream's start");
        // leading pause, the word cut off by the end of the recording: close() reports it
        List<double[]> b = words(sp, java.util.Arrays.copyOfRange(word, 0, mid), rate);
        assertEquals(1, b.size(), "a word open at the last sample is reported on close");
        assertTrue(b.get(0)[1] >= mid / (double) rate - 0.03, "it ends at the stream's end, got " + b.get(0)[1]);
        // nothing but the word, shorter than the start-up window of the floor
        List<double[]> c = words(sp, java.util.Arrays.copyOfRange(word, on, mid), rate);
        assertEquals(1, c.size(), "a 0.33 s recording that is all word is one word");
        // and silence (faint noise) alone stays silent, however short or long
        float[] quiet = new float[rate * 2];
        Random q = new Random(3);
        for (int i = 0; i < quiet.length; i++) quiet[i] = (float) (0.002 * q.nextGaussian());
        assertEquals(0, words(sp, quiet, rate).size(), "2 s of noise");
        assertEquals(0, words(sp, java.util.Arrays.copyOf(quiet, rate / 5), rate).size(), "0.2 s of noise");
    }

    @Test
    void aWordVoicedFromTheFirstSampleIsFound() {
        // generated digits without a fricative onset (1, 2, 8, 9), cut at their first voiced
        // sample: the start-up window is all voice, its quiet part the word's own. Before the
        // start-up hold, 66 of the 120 such words among 300 generated digits gave no word.
        Spotter sp = Spotter.of(model(FeatureRecipe.Normalization.GLOBAL, 5), "m");
        Random r = new Random(11);
        int[] digits = {1, 2, 8, 9};
        for (int k = 0; k < 120; k++) {
            float[] x = org.myelin.data.GeneratedAudio.spoken(digits[k % 4], k % 6, 8000, r);
            int a = 0;
            while (Math.abs(x[a]) < 0.004) a++; // the faint noise before the voice is 0.0008 rms
            float[] y = java.util.Arrays.copyOfRange(x, a, x.length);
            List<double[]> w = words(sp, y, 8000);
            assertEquals(1, w.size(), "word " + k + " (digit " + digits[k % 4] + ", " + y.length / 8000.0 + " s) is one word");
            assertEquals(0.0, w.get(0)[0], 1e-9, "word " + k + " starts at the stream's start");
            assertTrue(w.get(0)[1] <= y.length / 8000.0, "word " + k + " ends inside the recording");
        }
    }

    @Test
    void theStartUpHoldDecidesByTheFirstWordOrTheFallAfterIt() {
        Segmentation s = Segmentation.defaults(); // 4 dB, onset 5, floor rise 0.02
        double[] scratch = new double[120];
        // a word over the whole window and on, then the quiet after it: the floor starts where the fall ends
        double[] e = new double[60];
        for (int i = 0; i < 40; i++) e[i] = -20 + (i % 3) * 0.5;
        double[] fall = {-22, -26, -35, -50, -61, -60.5, -61.5};
        System.arraycopy(fall, 0, e, 40, fall.length);
        for (int i = 47; i < 60; i++) e[i] = -61;
        assertTrue(Double.isNaN(s.startUp(e, 29, 120, false, scratch)), "under the start-up window: hold");
        assertTrue(Double.isNaN(s.startUp(e, 40, 120, false, scratch)), "a uniform window and no fall yet: hold");
        assertTrue(Double.isNaN(s.startUp(e, 44, 120, false, scratch)), "the fall has begun (-26 is 6 dB under the window's floor) and goes on: hold");
        assertEquals(-61, s.startUp(e, 46, 120, false, scratch), 0, "the fall ends at -61 (the next frame, -60.5, is not lower)");
        assertEquals(-61, s.startUp(e, 60, 120, false, scratch), 0, "more frames change nothing");
        assertEquals(-50, s.startUp(e, 44, 120, true, scratch), 0, "the stream ends mid-fall: its lowest frame");
        // noise in the window, then a word: the window's floor, as without the hold
        double[] f = new double[50];
        for (int i = 0; i < 50; i++) f[i] = i < 35 ? -60 + (i % 4) * 0.5 : -30;
        double p10 = Segmentation.startFloor(f, 30, scratch);
        assertTrue(Double.isNaN(s.startUp(f, 39, 120, false, scratch)), "4 loud frames: not yet a word");
        assertEquals(p10, s.startUp(f, 40, 120, false, scratch), 0, "the 5th loud frame opens a word: the window's floor");
        assertEquals(p10, s.startUp(f, 30, 120, true, scratch), 0, "a stream ending after its window: the window's floor");
        // steady noise: held until the cap, then the window's floor
        double[] g = new double[80];
        for (int i = 0; i < 80; i++) g[i] = -50 + (i % 5) * 0.4;
        assertTrue(Double.isNaN(s.startUp(g, 79, 80, false, scratch)), "below the cap: hold");
        assertEquals(Segmentation.startFloor(g, 30, scratch), s.startUp(g, 80, 80, false, scratch), 0, "at the cap: the window's floor");
        assertThrows(IllegalArgumentException.class, () -> s.startUp(g, 0, 80, true, scratch));
    }

    @Test
    void theStartFloorIsALowPercentileNotTheMinimum() {
        double[] e = new double[30];
        for (int i = 0; i < 30; i++) e[i] = -20 + i * 0.5; // a word, rising
        e[0] = -100; // one frame of digital silence
        double f = Segmentation.startFloor(e, 30, new double[30]);
        assertEquals(-20 + 2 * 0.5, f, 0, "the 3rd smallest of 30 (index ⌊0.1·29⌋ = 2)");
        assertEquals(-100, Segmentation.startFloor(e, 5, new double[30]), 0, "of 5: the smallest");
        assertThrows(IllegalArgumentException.class, () -> Segmentation.startFloor(e, 0, new double[30]));
    }
}
