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

    /** Non-keyword recordings: four long ones at 16 kHz (words of other tones between pauses) and two short ones in a sub-folder. */
    private Path nonKeywords() throws Exception {
        Path d = dir.resolve("other");
        Files.createDirectories(d.resolve("short"));
        java.util.Random r = new java.util.Random(8);
        for (int k = 0; k < 4; k++) org.myelin.data.GeneratedAudio.wav(d.resolve("long" + k + ".wav"), 16000, RejectFolderTest.sentence(16000, 5, r));
        for (int k = 0; k < 2; k++) org.myelin.data.GeneratedAudio.wav(d.resolve("short/s" + k + ".wav"), 8000, org.myelin.data.GeneratedAudio.word(6 + k, 8000, r));
        return d;
    }

    @Test
    void aFolderOfNonKeywordRecordingsJoinsTheRejectionClassAndChoosesTheThreshold() throws Exception {
        Path data = tones(), other = nonKeywords();
        RunSpec base = spec(data, "dir1", 0.25, true);
        TrainConfig tc = base.training();
        tc.rejectDir = other;
        tc.faTarget = 2;
        RunResult one = Runs.train(base.withTraining(tc), 1, null);
        RunResult two = Runs.train(base.withTraining(tc).withOutputs(new Outputs(dir.resolve("dir2.myelin"), null, null, null)), 2, null);
        Container a = Container.read(one.spec().outputs().model(), 'M'), b = Container.read(two.spec().outputs().model(), 'M');
        for (String k : a.arrays.keySet()) {
            Object x = a.arrays.get(k), y = b.arrays.get(k);
            if (x instanceof float[]) assertArrayEquals((float[]) x, (float[]) y, k + ": the same bits on 1 and 2 threads");
            else assertArrayEquals((int[]) x, (int[]) y, k);
        }
        Model m = Model.load(one.spec().outputs().model());
        assertEquals(Model.load(two.spec().outputs().model()).meta.get(Runs.THRESHOLD_CHOICE), m.meta.get(Runs.THRESHOLD_CHOICE));
        assertEquals(List.of("high", "low", "mid", NonKeywords.UNKNOWN), m.classNames());
        // the rejection class keeps its size: the folder's segments take half of it
        org.myelin.data.Dataset.Split all = one.spec().data().load(one.config().normalize);
        int words = Runs.holdOut(all.train, 0.25, 5)[0].size;
        assertEquals(words + NonKeywords.countFor(0.25, words), one.trainSamples());
        RunResult without = Runs.train(spec(data, "nodir", 0.25, true), 1, null);
        assertTrue(!without.dataFingerprint().equals(one.dataFingerprint()), "the folder's segments are in the training data");
        assertEquals(one.config().rejectDir, other.toAbsolutePath().normalize(), "the run records the folder");

        // the threshold: chosen on the held-out files for 2 false alarms an hour, as eval --false-alarms would count them
        Calibration c = Calibration.of(m);
        assertEquals(2, c.falseAlarmsPerHour);
        assertTrue(Double.isNaN(c.falseAlarmShare), "not chosen for a share");
        @SuppressWarnings("unchecked")
        Map<String, Object> choice = (Map<String, Object>) m.meta.get(Runs.THRESHOLD_CHOICE);
        assertEquals("--reject-dir held-out recordings", choice.get("on"));
        RejectFolder.Files files = RejectFolder.split(other, true, 5);
        assertEquals(2, files.held().size(), "round(0.25 · 6) of the folder's files");
        assertEquals(2, ((Number) choice.get("recordings")).intValue());
        org.myelin.engine.Spotter sp = org.myelin.engine.Spotter.of(m, "m").withCalibration(c.withThreshold(0, Double.NaN));
        StreamEval.FalseAlarms fa = StreamEval.falseAlarms(sp, files.held(), org.myelin.engine.Segmentation.defaults());
        assertEquals(fa.hours(), ((Number) choice.get("hours")).doubleValue(), 1e-12);
        int allowed = (int) Math.floor(2 * fa.hours() + 1e-9);
        assertEquals(0, allowed, "seconds of audio allow no false alarm at 2 an hour");
        assertTrue(fa.count(c.threshold) <= allowed, "at most the rate at the threshold");
        assertEquals(fa.count(c.threshold), ((Number) choice.get("false_alarms")).intValue());
        if (c.threshold > 0) {
            assertTrue(fa.count(Math.nextDown((float) c.threshold)) > allowed, "the lowest such threshold: just below it, more alarms");
        }
        assertTrue(fa.p().length > 0, "the held-out recordings gave words to count");
        assertEquals(all.train.size - words, ((Number) choice.get("keywords")).intValue() + 0, "the held-out keywords");
    }

    @Test
    void theFoldersShareOfTheRejectionClassIsAFlag() throws Exception {
        for (int n : new int[] {0, 1, 2, 7, 429, 430}) assertEquals((n + 1) / 2, Runs.fromFolder(n, 0.5), "the default half, as before: " + n);
        assertEquals(429, Runs.fromFolder(429, 1));
        assertEquals(43, Runs.fromFolder(429, 0.1), "rounded up");
        assertEquals(1, Runs.fromFolder(1, 0.01));
        TrainConfig tc = new TrainConfig();
        tc.rejectDirShare = 0.75;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, tc::validate);
        assertEquals("--reject-dir-share is the share of the rejection class from --reject-dir: it needs --reject-dir DIR", e.getMessage());
        tc.reject = 0.2;
        tc.rejectDir = dir;
        for (double bad : new double[] {0, -0.5, 1.5, Double.NaN}) {
            tc.rejectDirShare = bad;
            e = assertThrows(IllegalArgumentException.class, tc::validate);
            assertEquals("--reject-dir-share must be a share in (0, 1], got " + bad, e.getMessage());
        }
        // the whole class from the folder: other training data, recorded in the run, the same bits on any thread count
        Path data = tones(), other = nonKeywords();
        RunSpec base = spec(data, "share1", 0.25, true);
        TrainConfig all = base.training();
        all.rejectDir = other;
        RunResult half = Runs.train(base.withTraining(all.copy()), 1, null);
        all.rejectDirShare = 1;
        RunResult whole = Runs.train(base.withTraining(all).withOutputs(new Outputs(dir.resolve("share1b.myelin"), null, null, null)), 1, null);
        RunResult two = Runs.train(base.withTraining(all).withOutputs(new Outputs(dir.resolve("share1c.myelin"), null, null, null)), 2, null);
        assertTrue(!half.dataFingerprint().equals(whole.dataFingerprint()), "the folder's share changes what is trained on");
        assertEquals(half.trainSamples(), whole.trainSamples(), "the rejection class keeps its size");
        assertEquals(1.0, whole.config().rejectDirShare);
        assertEquals(0.5, half.config().rejectDirShare);
        assertEquals(1.0, Codec.specOf(Model.load(whole.spec().outputs().model()), whole.spec().outputs().model()).training().rejectDirShare,
                "the model records the share");
        Container a = Container.read(whole.spec().outputs().model(), 'M'), b = Container.read(two.spec().outputs().model(), 'M');
        for (String k : a.arrays.keySet()) {
            Object x = a.arrays.get(k), y = b.arrays.get(k);
            if (x instanceof float[]) assertArrayEquals((float[]) x, (float[]) y, k + ": the same bits on 1 and 2 threads");
        }
    }

    @Test
    void aFolderNeedsTheRejectionClassAndAFolderOfRecordings() throws Exception {
        TrainConfig tc = new TrainConfig();
        tc.rejectDir = dir;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, tc::validate);
        assertEquals("--reject-dir adds to the rejection class: it needs --reject F", e.getMessage());
        tc.rejectDir = null;
        tc.faTarget = 3;
        e = assertThrows(IllegalArgumentException.class, tc::validate);
        assertTrue(e.getMessage().startsWith("--fa-target chooses the threshold on the held-out recordings of --reject-dir"), e.getMessage());
        tc.reject = 0.2;
        tc.rejectDir = dir;
        tc.faTarget = -1;
        e = assertThrows(IllegalArgumentException.class, tc::validate);
        assertTrue(e.getMessage().startsWith("--fa-target must be finite and ≥ 0"), e.getMessage());
        // an empty folder: one line naming the flag, before any training
        Path data = tones(), empty = Files.createDirectories(dir.resolve("nothing"));
        RunSpec s = spec(data, "empty", 0.25, false);
        TrainConfig t = s.training();
        t.rejectDir = empty;
        e = assertThrows(IllegalArgumentException.class, () -> Runs.train(s.withTraining(t), 1, null));
        assertEquals("--reject-dir " + empty + ": no .wav or .flac recordings in it", e.getMessage());
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
