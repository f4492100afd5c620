package org.myelin.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.NonKeywords;
import org.myelin.io.Container;
import org.myelin.model.Calibration;
import org.myelin.model.Model;
import org.myelin.network.DelayMode;
import org.myelin.network.Readout;
import org.myelin.train.SnrRange;
import org.myelin.train.TrainConfig;

/**
 * A run with the rejection class (--reject) through the run layer, on three classes of tones
 * written here: the model gets one more class, {@code _unknown_}, its test accuracy is over the
 * keyword test files alone, train stores the threshold it chose with its share, the same seed
 * gives the same bits on 1 and 2 threads, and data without recordings are refused by flag.
 */
class RejectionRunsTest {
    @TempDir
    Path dir;

    private RunSpec spec(Path data, String name, double reject, boolean noise) {
        TrainConfig tc = new TrainConfig();
        tc.epochs = 2;
        tc.batch = 8;
        tc.seed = 5;
        tc.calibrate = 0.25;
        tc.reject = reject;
        if (reject > 0) tc.faShare = 0.2;
        if (noise) {
            tc.augSnr = new SnrRange(10, 30);
            tc.augLead = 4;
        }
        NetworkSpec n = new NetworkSpec(6, 3, DelayMode.GAUSS, NetworkSpec.defaultSigma(3), 10.05f, 1f, 5f, Readout.VSUM, true);
        return new RunSpec(new DataSpec(data, null, false, 1, 2000, 1000, null, dir.resolve("cache"), false), n, tc,
                new Outputs(dir.resolve(name + ".myelin"), null, null, null));
    }

    private Path tones() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        Path data = dir.resolve("tones");
        String[] cls = {"high", "low", "mid"};
        double[] hz = {1500, 300, 800};
        for (int c = 0; c < 3; c++) {
            Files.createDirectories(data.resolve(cls[c]));
            for (int k = 0; k < 10; k++) {
                Files.write(data.resolve(cls[c]).resolve("t" + k + ".wav"), WaveNoiseRunsTest.wav(8000, WaveNoiseRunsTest.tone(r, hz[c], 2400 + 300 * k)));
            }
        }
        return data;
    }

    @Test
    void theModelLearnsOneMoreClassAndStoresItsThreshold() throws Exception {
        Path data = tones();
        for (boolean noise : new boolean[] {false, true}) {
            String tag = noise ? "noisy" : "clean";
            RunResult one = Runs.train(spec(data, tag + "1", 0.25, noise), 1, null);
            RunResult two = Runs.train(spec(data, tag + "2", 0.25, noise), 2, null);
            Container a = Container.read(one.spec().outputs().model(), 'M'), b = Container.read(two.spec().outputs().model(), 'M');
            for (String k : a.arrays.keySet()) {
                Object x = a.arrays.get(k), y = b.arrays.get(k);
                if (x instanceof float[]) assertArrayEquals((float[]) x, (float[]) y, tag + " " + k + ": the same bits on 1 and 2 threads");
                else assertArrayEquals((int[]) x, (int[]) y, tag + " " + k);
            }
            Model m = Model.load(one.spec().outputs().model());
            assertEquals(List.of("high", "low", "mid", NonKeywords.UNKNOWN), m.classNames(), tag);
            assertEquals(4, m.config.outputs);
            assertTrue(one.dataFingerprint().endsWith("+reject"), one.dataFingerprint());
            // the training words plus share 0.25 of non-keywords; the test part is the keywords' alone
            org.myelin.data.Dataset.Split all = one.spec().data().load(one.config().normalize);
            org.myelin.data.Dataset[] parts = Runs.holdOut(all.train, 0.25, 5);
            int words = parts[0].size, held = parts[1].size;
            assertEquals(words + NonKeywords.countFor(0.25, words), one.trainSamples(), tag);
            assertEquals(all.test.size, one.testSamples(), tag);
            Calibration c = Calibration.of(m);
            assertEquals(0.2, c.falseAlarmShare, tag);
            assertTrue(c.threshold >= 0 && c.threshold < 1);
            @SuppressWarnings("unchecked")
            Map<String, Object> choice = (Map<String, Object>) m.meta.get(Runs.THRESHOLD_CHOICE);
            assertEquals("train", choice.get("by"));
            assertEquals(held, ((Number) choice.get("keywords")).intValue(), "the held-out keywords");
            int nk = Runs.THRESHOLD_NON_KEYWORDS_PER_WORD * held;
            assertEquals(nk, ((Number) choice.get("non_keywords")).intValue(), "the threshold's held-out non-keywords: 4 per held-out word");
            assertTrue(((Number) choice.get("false_alarms")).intValue() <= 0.2 * nk, "at most the share: " + choice);
            assertEquals(held + NonKeywords.countFor(0.25, held), c.samples, "the temperature: the held-out words and share 0.25 of non-keywords");
        }
        // --reject 0: the run is the one without rejection, classes as the data name them
        RunResult off = Runs.train(spec(data, "off", 0, false), 1, null);
        Model m = Model.load(off.spec().outputs().model());
        assertEquals(List.of("high", "low", "mid"), m.classNames());
        assertTrue(Double.isNaN(Calibration.of(m).falseAlarmShare));
        assertEquals(0, Calibration.of(m).threshold);
    }

    @Test
    void theBuiltInTaskAndFeaturesHaveNoRecordingsToMakeThemFrom() throws Exception {
        RunSpec builtIn = spec(null, "b", 0.2, false).withData(DataSpec.builtInDefault());
        TrainConfig tc = builtIn.training();
        tc.calibrate = 0;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Runs.train(builtIn.withTraining(tc), 1, null));
        assertTrue(e.getMessage().startsWith("--reject makes non-keywords from recordings") && e.getMessage().contains("built-in task"), e.getMessage());
        TrainConfig bad = tc.copy();
        bad.reject = 0.6;
        e = assertThrows(IllegalArgumentException.class, bad::validate);
        assertTrue(e.getMessage().startsWith("--reject must be a share in [0, 0.5]"), e.getMessage());
        bad = tc.copy();
        bad.faShare = 1;
        e = assertThrows(IllegalArgumentException.class, bad::validate);
        assertTrue(e.getMessage().startsWith("--fa-share must be in (0, 1)"), e.getMessage());
        bad = tc.copy();
        bad.reject = 0;
        bad.faShare = 0.05;
        e = assertThrows(IllegalArgumentException.class, bad::validate);
        assertTrue(e.getMessage().startsWith("--fa-share chooses the threshold on generated non-keywords: it needs --reject"), e.getMessage());
    }
}
