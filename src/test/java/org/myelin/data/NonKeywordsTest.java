package org.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.model.FeatureRecipe;

/** The generated non-keywords: each kind is what its comment says, drawn from the seed alone. */
class NonKeywordsTest {
    static final int RATE = 8000;

    /** Word i: 0.1 s of silence, 0.4 s of a tone whose pitch names the word, 0.1 s of silence. */
    static float[][] words(int n) {
        float[][] w = new float[n][];
        for (int i = 0; i < n; i++) {
            float[] x = new float[(int) (0.6 * RATE)];
            for (int j = (int) (0.1 * RATE); j < (int) (0.5 * RATE); j++) x[j] = (float) (0.3 * Math.sin(2 * Math.PI * (200 + 50 * i) * j / RATE));
            w[i] = x;
        }
        return w;
    }

    /** Whether {@code part} occurs in {@code whole} at {@code at}. */
    static boolean at(float[] whole, int at, float[] part) {
        return at >= 0 && at + part.length <= whole.length && Arrays.equals(Arrays.copyOfRange(whole, at, at + part.length), part);
    }

    @Test
    void eachKindIsWhatItSaysAndTheSeedDecides() {
        float[][] u = words(6);
        Waveforms w = Waveforms.of(FeatureRecipe.paper(RATE), u);
        int[] labels = {0, 0, 1, 1, 2, 2};
        NoiseBank noise = NoiseBank.generated(RATE);
        float[][] a = NonKeywords.make(w, labels, noise, 40, 9), b = NonKeywords.make(w, labels, noise, 40, 9), c = NonKeywords.make(w, labels, noise, 40, 10);
        for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], "the same seed, the same example " + i);
        boolean differ = false;
        for (int i = 0; i < a.length; i++) differ |= !Arrays.equals(a[i], c[i]);
        assertTrue(differ, "another seed, other examples");
        int act0 = (int) (0.1 * RATE), actLen = (int) (0.4 * RATE);
        for (int i = 0; i < a.length; i++) {
            float[] x = a[i];
            assertTrue(x.length > 0);
            switch (NonKeywords.Kind.values()[i % 5]) {
                case NOISE -> {
                    assertTrue(x.length >= 0.2 * RATE - 1 && x.length <= 0.8 * RATE + 1, "0.2-0.8 s: " + x.length);
                    double ss = 0;
                    for (float v : x) ss += (double) v * v;
                    double db = 10 * Math.log10(ss / x.length);
                    assertTrue(db > -60.01 && db < -19.99, "RMS -60..-20 dBFS: " + db);
                }
                case REVERSED -> {
                    boolean found = false;
                    for (float[] word : u) {
                        float[] r = new float[word.length];
                        for (int j = 0; j < r.length; j++) r[j] = word[r.length - 1 - j];
                        found |= Arrays.equals(r, x);
                    }
                    assertTrue(found, "example " + i + " is a word reversed");
                }
                case ONSET, TAIL -> {
                    boolean onset = i % 5 == 2, found = false;
                    assertTrue(x.length >= 0.2 * actLen - 1 && x.length <= 0.4 * actLen + 1, "20-40 % of the active part: " + x.length);
                    for (float[] word : u) found |= at(word, onset ? act0 : act0 + actLen - x.length, x);
                    assertTrue(found, "example " + i + " is the " + (onset ? "start" : "end") + " of a word's active part");
                }
                case SPLICE -> {
                    assertEquals(actLen, x.length, "two halves of active parts");
                    float[] head = Arrays.copyOf(x, actLen / 2), tail = Arrays.copyOfRange(x, actLen / 2, actLen);
                    int from = -1, to = -1;
                    for (int k = 0; k < u.length; k++) {
                        if (at(u[k], act0, head)) from = k;
                        if (at(u[k], act0 + actLen / 2, tail)) to = k;
                    }
                    assertTrue(from >= 0 && to >= 0, "example " + i + ": a word's first half then a word's second half");
                    assertFalse(labels[from] == labels[to], "the two words are of different classes");
                }
            }
        }
    }

    @Test
    void theActivePartLeavesOutTheSilenceAndNamesAreRecognised() {
        float[] x = words(1)[0];
        assertArrayEquals(new int[] {(int) (0.1 * RATE), (int) (0.5 * RATE)}, NonKeywords.active(x, 0, x.length, RATE));
        assertArrayEquals(new int[] {0, 100}, NonKeywords.active(new float[100], 0, 100, RATE), "silence: the whole");
        assertTrue(org.myelin.model.Model.isRejectionClass("_unknown_") && org.myelin.model.Model.isRejectionClass("_silence_"));
        assertFalse(org.myelin.model.Model.isRejectionClass("unknown") || org.myelin.model.Model.isRejectionClass("seven"));
        assertTrue(NonKeywords.anyRejection(List.of("yes", "_silence_")));
        assertFalse(NonKeywords.anyRejection(null));
        assertEquals(429, NonKeywords.countFor(0.15, 2430), "0.15/0.85 of 2430");
        assertEquals(0, NonKeywords.countFor(0, 2430));
        assertThrows(IllegalArgumentException.class, () -> NonKeywords.countFor(1, 10));
    }

    @Test
    void oneClassGivesNoSplicesAndBadInputIsNamed() {
        float[][] u = words(3);
        Waveforms w = Waveforms.of(FeatureRecipe.paper(RATE), u);
        float[][] a = NonKeywords.make(w, new int[] {4, 4, 4}, NoiseBank.generated(RATE), 10, 1);
        int act0 = (int) (0.1 * RATE);
        boolean found = false;
        for (float[] word : u) found |= at(word, act0, a[4]);
        assertTrue(found, "with one class, a splice's place takes an onset");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NonKeywords.make(w, new int[] {0, 1, 2}, NoiseBank.generated(16000), 5, 1));
        assertTrue(e.getMessage().contains("16000 Hz"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NonKeywords.make(w, new int[] {0, 1}, NoiseBank.generated(RATE), 5, 1));
    }
}
