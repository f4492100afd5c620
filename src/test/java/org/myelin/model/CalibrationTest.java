package org.myelin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.io.Container;
import org.myelin.io.Json;
import org.myelin.network.Readout;

/** Temperature fitting, reliability and ECE, and the calibration's place in the model file. */
class CalibrationTest {
    /** n samples of k classes whose labels are drawn from softmax(z / t0) of random scores z. */
    static Object[] drawn(int n, int k, double t0, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] z = new float[n * k];
        int[] y = new int[n];
        double[] e = new double[k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) z[i * k + c] = (float) (20 * r.nextDouble());
            Readout.softmax(z, i * k, 1, k, 1 / t0, e);
            double u = r.nextDouble(), acc = 0;
            y[i] = k - 1;
            for (int c = 0; c < k; c++) {
                acc += e[c];
                if (u < acc) {
                    y[i] = c;
                    break;
                }
            }
        }
        return new Object[] {z, y};
    }

    @Test
    void theFittedTemperatureIsTheOneTheLabelsWereDrawnWith() {
        for (double t0 : new double[] {0.5, 4, 30}) {
            Object[] d = drawn(20000, 10, t0, 7);
            Calibration c = Calibration.fitTemperature((float[]) d[0], (int[]) d[1], 20000, 10, "test");
            // maximum likelihood from 20000 draws: within 5 % of the truth (its standard error is ~1 %)
            assertEquals(t0, c.temperature, 0.05 * t0, "T0 = " + t0);
            assertTrue(c.nllAfter <= c.nllBefore + 1e-12, "the fit never raises the NLL");
            double at = Calibration.nll((float[]) d[0], (int[]) d[1], 20000, 10, 1 / c.temperature);
            assertEquals(at, c.nllAfter, 1e-12);
            // a minimum: 1 % either side is worse
            assertTrue(Calibration.nll((float[]) d[0], (int[]) d[1], 20000, 10, 1.01 / c.temperature) > at);
            assertTrue(Calibration.nll((float[]) d[0], (int[]) d[1], 20000, 10, 0.99 / c.temperature) > at);
        }
    }

    @Test
    void aCalibrationSetOfOneClassIsRefusedByName() {
        float[] z = new float[30];
        int[] y = new int[10];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Calibration.fitTemperature(z, y, 10, 3, "--calibrate: held out"));
        assertTrue(e.getMessage().startsWith("--calibrate: held out: every sample is class 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Calibration(1, 1, 0, 0, 0, 0), "threshold 1");
        assertThrows(IllegalArgumentException.class, () -> new Calibration(0, 0.5, 0, 0, 0, 0), "temperature 0");
    }

    @Test
    void reliabilityAndEceByHand() {
        // two classes, T = 1; p(pred) = 0.85, 0.85, 0.65, 0.65 (mid-bin, so rounding cannot move them)
        float a = (float) Math.log(0.85 / 0.15), b = (float) Math.log(0.65 / 0.35);
        float[] z = {a, 0, a, 0, 0, b, 0, b};
        int[] y = {0, 1, 1, 1}; // 1 of 2 right in the 0.8-0.9 bin, 2 of 2 in the 0.6-0.7 bin
        Calibration.Reliability r = Calibration.NONE.reliability(z, y, 4, 2, 10);
        assertEquals(2, r.count()[8]);
        assertEquals(2, r.count()[6]);
        assertEquals(0.5, r.accuracy()[8], 0);
        assertEquals(1.0, r.accuracy()[6], 0);
        double want = 0.5 * Math.abs(0.5 - 0.85) + 0.5 * Math.abs(1.0 - 0.65);
        assertEquals(want, r.ece(), 1e-6);
        assertTrue(r.table().contains("0.60-0.70"), r.table());
    }

    @Test
    void theModelFileCarriesItAndOlderFilesStillLoad(@TempDir Path dir) throws Exception {
        Model m = org.myelin.engine.TestModels.random(3, 8, 6, 3, 10, 2, Readout.VSUM, false, 0.2f);
        assertNull(Calibration.fromMeta(m.meta, "m"));
        assertTrue(Calibration.of(m) == Calibration.NONE);
        new Calibration(2.5, 0.7, 40, 1.2, 0.4, 1.0).into(m.meta);
        Path f = dir.resolve("m.myelin");
        m.save(f);
        Container c = Container.read(f, 'M');
        assertEquals(Model.VERSION, ((Number) c.header.get("model_version")).intValue());
        Calibration back = Calibration.of(Model.load(f));
        assertEquals(2.5, back.temperature);
        assertEquals(0.7, back.threshold);
        assertEquals(1.0, back.falseAlarmsPerHour);
        // a version-1 file (no model_version, no calibration) loads, uncalibrated
        c.header.remove("model_version");
        ((java.util.Map<?, ?>) c.header.get("meta")).remove(Calibration.META_KEY);
        Path old = dir.resolve("old.myelin");
        c.write(old, 'M');
        assertTrue(Calibration.of(Model.load(old)) == Calibration.NONE);
        // a newer version and a bad threshold are refused naming the file
        c.header.put("model_version", Model.VERSION + 1);
        Path newer = dir.resolve("newer.myelin");
        c.write(newer, 'M');
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(newer));
        assertTrue(e.getMessage().startsWith(newer + ": model format version 3"), e.getMessage());
        c.header.put("model_version", Model.VERSION);
        java.util.Map<String, Object> bad = Json.object();
        bad.put("temperature", 1.0);
        bad.put("threshold", 1.5);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> meta = (java.util.Map<String, Object>) c.header.get("meta");
        meta.put(Calibration.META_KEY, bad);
        Path badFile = dir.resolve("bad.myelin");
        c.write(badFile, 'M');
        e = assertThrows(IllegalArgumentException.class, () -> Model.load(badFile));
        assertTrue(e.getMessage().startsWith(badFile + ": meta.calibration: threshold"), e.getMessage());
        assertTrue(Files.exists(badFile));
    }

    @Test
    void theThresholdForAShareOfNonKeywordsByHand(@TempDir Path dir) throws Exception {
        // classes 0, 1 keywords, 2 a rejection class; T = 1, so p = softmax(scores)
        boolean[] rej = {false, false, true};
        float[] s = {
            3, 0, 0, // keyword 0, right, p = e³/(e³+2) ≈ 0.909
            0, 1, 0, // keyword 1, right, p = e/(e+2) ≈ 0.576
            0, 0, 1, // keyword 1, predicted as the rejection class: a miss at every threshold
            2, 0, 0, // non-keyword predicted 0, p ≈ 0.787: a false alarm below that
            0, 0, 3, // non-keyword rejected
            0, 5, 0, // non-keyword predicted 1, p ≈ 0.987
            0, 0, 2, // non-keyword rejected
        };
        int[] y = {0, 1, 1, 2, 2, 2, 2};
        Calibration c = new Calibration(1, 0, 0, Double.NaN, Double.NaN, Double.NaN);
        float[] p = new float[3];
        double[] e = new double[3];
        c.probabilities(new float[] {0, 5, 0}, p, e);
        float top = p[1];
        c.probabilities(new float[] {2, 0, 0}, p, e);
        float second = p[0];
        // share 0.3 of 4 non-keywords allows 1 false alarm: θ just above the second largest
        Calibration.ShareThreshold t = c.thresholdForShare(s, y, 7, 3, rej, 0.3, "test");
        assertEquals(Math.nextUp(second), t.threshold(), 0);
        assertEquals(1, t.falseAlarms());
        assertEquals(4, t.nonKeywords());
        assertEquals(3, t.keywords());
        assertEquals(2, t.misses(), "the rejected keyword and the one with p 0.576 < θ");
        // share 0.1 allows none: just above the largest
        t = c.thresholdForShare(s, y, 7, 3, rej, 0.1, "test");
        assertEquals(Math.nextUp(top), t.threshold(), 0);
        assertEquals(0, t.falseAlarms());
        // share 0.5 allows both: every word is accepted, θ = 0; the rejected keyword is still missed
        t = c.thresholdForShare(s, y, 7, 3, rej, 0.5, "test");
        assertEquals(0, t.threshold(), 0);
        assertEquals(1, t.misses());
        // no non-keywords: refused by name
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> c.thresholdForShare(s, y, 3, 3, rej, 0.1, "--fa-share"));
        assertTrue(x.getMessage().startsWith("--fa-share: a threshold needs keyword and non-keyword examples"), x.getMessage());
        // the model file keeps the share it was chosen for
        Model m = org.myelin.engine.TestModels.random(3, 8, 6, 3, 10, 2, Readout.VSUM, false, 0.2f);
        c.withShareThreshold(0.25, 0.01).into(m.meta);
        Path f = dir.resolve("share.myelin");
        m.save(f);
        Calibration back = Calibration.of(Model.load(f));
        assertEquals(0.25, back.threshold);
        assertEquals(0.01, back.falseAlarmShare);
        assertTrue(Double.isNaN(back.falseAlarmsPerHour));
        assertTrue(Double.isNaN(back.withThreshold(0.5, 2).falseAlarmShare), "a threshold chosen per hour forgets the share");
    }

    @Test
    void theThresholdAllowingACountIsJustAboveTheNextLargest() {
        float[] p = {0.2f, 0.9f, 0.5f, 0.9f, 0.7f};
        // none allowed: above the largest; one allowed: the two 0.9s pass together, so above 0.9 still
        assertEquals(Math.nextUp(0.9f), Calibration.thresholdAllowing(p, 5, 0), 0);
        assertEquals(Math.nextUp(0.9f), Calibration.thresholdAllowing(p, 5, 1), 0);
        assertEquals(Math.nextUp(0.7f), Calibration.thresholdAllowing(p, 5, 2), 0);
        assertEquals(Math.nextUp(0.5f), Calibration.thresholdAllowing(p, 5, 3), 0);
        assertEquals(0, Calibration.thresholdAllowing(p, 5, 5), 0, "every one allowed: every word accepted");
        assertEquals(Math.nextUp(0.9f), Calibration.thresholdAllowing(p, 2, 0), 0, "only the first n count");
        assertEquals(0, Calibration.thresholdAllowing(p, 0, 0), 0, "nothing to allow");
        assertEquals(Math.nextDown(1.0), Calibration.thresholdAllowing(new float[] {1f, 0.3f}, 2, 0), 0, "p = 1: the largest threshold below 1");
        assertEquals(0.2f, p[0], "the input is not reordered");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Calibration.thresholdAllowing(p, 5, -1));
        assertTrue(e.getMessage().startsWith("allowed must be ≥ 0"), e.getMessage());
    }
}
