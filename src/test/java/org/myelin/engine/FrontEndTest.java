package org.myelin.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming front end and the reference log-Mel frame function. */
class FrontEndTest {
    static final int SR = 16_000;

    static float[] signal(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / SR) + 0.05 * r.nextGaussian());
        return x;
    }

    static List<float[]> stream(StreamingFrontEnd fe, float[] x, int[] chunks) {
        List<float[]> out = new ArrayList<>();
        int pos = 0, c = 0;
        while (pos < x.length) {
            int n = Math.min(chunks[c++ % chunks.length], x.length - pos);
            fe.push(x, pos, n, f -> out.add(f.clone()));
            pos += n;
        }
        return out;
    }

    @Test
    void framesMatchOfflineFramingWhateverTheChunks() {
        LogMelFeatures lm = new LogMelFeatures(SR);
        assertEquals(400, lm.frameLength());
        assertEquals(160, lm.hop());
        float[] x = signal(SR / 2, 1);
        // Offline: pre-emphasise the whole signal, cut windows, compute.
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] - 0.95f * (i > 0 ? x[i - 1] : 0f);
        List<float[]> offline = new ArrayList<>();
        for (int s = 0; s + 400 <= x.length; s += 160) {
            float[] w = new float[400], f = new float[40];
            System.arraycopy(y, s, w, 0, 400);
            lm.compute(w, f);
            offline.add(f);
        }
        for (int[] chunks : new int[][] {{1}, {160}, {7, 1000, 3}, {x.length}}) {
            List<float[]> got = stream(new StreamingFrontEnd(lm, 0.95f, null), x, chunks);
            assertEquals(offline.size(), got.size(), "frame count");
            for (int k = 0; k < got.size(); k++) assertArrayEquals(offline.get(k), got.get(k), "frame " + k);
        }
    }

    @Test
    void logMelMatchesANaiveDftAndFindsTheTone() {
        LogMelFeatures lm = new LogMelFeatures(SR);
        float[] w = new float[400];
        float[] x = signal(400, 2);
        System.arraycopy(x, 0, w, 0, 400);
        float[] fast = new float[40];
        lm.compute(w.clone(), fast);
        int n = lm.fftLength();
        double[] p = new double[n / 2 + 1];
        for (int k = 0; k <= n / 2; k++) {
            double a = 0, b = 0;
            for (int i = 0; i < 400; i++) {
                double v = x[i] * (0.54 - 0.46 * Math.cos(2 * Math.PI * i / 399));
                a += v * Math.cos(2 * Math.PI * k * i / n);
                b -= v * Math.sin(2 * Math.PI * k * i / n);
            }
            p[k] = a * a + b * b;
        }
        double top = LogMelFeatures.hzToMel(SR / 2.0);
        int best = 0;
        for (int m = 0; m < 40; m++) {
            double lo = LogMelFeatures.melToHz(top * m / 41), c = LogMelFeatures.melToHz(top * (m + 1) / 41), hi = LogMelFeatures.melToHz(top * (m + 2) / 41);
            double e = 0;
            for (int k = 0; k <= n / 2; k++) {
                double f = (double) k * SR / n;
                e += Math.max(0, Math.min((f - lo) / (c - lo), (hi - f) / (hi - c))) * p[k];
            }
            assertEquals(Math.log(Math.max(e, 1e-10)), fast[m], 1e-4 * Math.max(1, Math.abs(fast[m])), "band " + m);
            if (fast[m] > fast[best]) best = m;
        }
        double centre = LogMelFeatures.melToHz(top * (best + 1) / 41);
        assertTrue(Math.abs(centre - 1000) < 150, "loudest band centred at " + centre + " Hz");
    }

    @Test
    void badSamplesChangeNothing() {
        LogMelFeatures lm = new LogMelFeatures(SR);
        StreamingFrontEnd a = new StreamingFrontEnd(lm, 0.95f, null), b = new StreamingFrontEnd(lm, 0.95f, null);
        float[] x = signal(2000, 3);
        List<float[]> fa = new ArrayList<>(), fb = new ArrayList<>();
        a.push(x, 0, 1000, f -> fa.add(f.clone()));
        b.push(x, 0, 1000, f -> fb.add(f.clone()));
        float[] bad = x.clone();
        bad[1500] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> a.push(bad, 1000, 1000, f -> fa.add(f.clone())));
        assertThrows(IllegalArgumentException.class, () -> a.push(x, 1500, 1000, f -> { }));
        a.push(x, 1000, 1000, f -> fa.add(f.clone()));
        b.push(x, 1000, 1000, f -> fb.add(f.clone()));
        assertEquals(fb.size(), fa.size());
        for (int k = 0; k < fa.size(); k++) assertArrayEquals(fb.get(k), fa.get(k));
    }

    @Test
    void hopLongerThanWindowSkipsSamplesAndNormalizerApplies() {
        List<float[]> windows = new ArrayList<>();
        FrameFeatures copy = new FrameFeatures() {
            public int frameLength() { return 3; }
            public int hop() { return 5; }
            public int size() { return 3; }
            public void compute(float[] w, float[] out) {
                windows.add(w.clone());
                System.arraycopy(w, 0, out, 0, 3);
            }
        };
        StreamingFrontEnd fe = new StreamingFrontEnd(copy, 0f, FeatureNormalizer.fixed(new float[] {1, 1, 1}, new float[] {2, 2, 2}));
        float[] x = new float[13];
        for (int i = 0; i < 13; i++) x[i] = i;
        List<float[]> frames = stream(fe, x, new int[] {2});
        assertEquals(3, frames.size());
        assertArrayEquals(new float[] {10, 11, 12}, windows.get(2));
        assertArrayEquals(new float[] {4.5f, 5f, 5.5f}, frames.get(2));
        assertThrows(IllegalArgumentException.class, () -> FeatureNormalizer.fixed(new float[] {0}, new float[] {0}));
    }
}
