package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.run.Codec;
import org.myelin.run.DataSpec;
import org.myelin.run.RunSpec;
import org.myelin.train.SnrRange;
import org.myelin.train.TrainConfig;

/** --aug-snr, --aug-snr-prob and --aug-noise-dir: parsed, printed back, recorded, refused by name with one line. */
class WaveNoiseFlagsTest {
    @TempDir
    Path dir;

    @Test
    void theFlagsRoundTripAndAreRecorded() {
        RunSpec s = TrainFlagsTest.parse(List.of("--data", "fsdd", "--aug-snr", "-5:12.5", "--aug-snr-prob", "0.5", "--aug-noise-dir", "my noise"));
        TrainConfig t = s.training();
        assertEquals(new SnrRange(-5, 12.5), t.augSnr);
        assertEquals(0.5, t.augSnrProb);
        assertEquals(Path.of("my noise"), t.augNoiseDir);
        List<String> argv = TrainFlags.argv(s);
        assertTrue(String.join(" ", argv).contains("--aug-snr -5:12.5 --aug-snr-prob 0.5 --aug-noise-dir my noise"), argv.toString());
        TrainFlagsTest.roundTrip(s);
        assertEquals(new SnrRange(7, 7), TrainFlagsTest.parse(List.of("--data", "fsdd", "--aug-snr", "7")).training().augSnr, "one value: a fixed SNR");
        // on by default for a folder of recordings (train as deployed: 5:40 dB, a lead of 0..12 frames)
        RunSpec dflt = TrainFlagsTest.parse(List.of("--data", "fsdd"));
        assertEquals(new SnrRange(5, 40), dflt.training().augSnr);
        assertEquals(12, dflt.training().augLead);
        // off: the lead goes with it, and then no aug_* key is written; on, the model, report and checkpoint record it
        RunSpec off = TrainFlagsTest.parse(List.of("--data", "fsdd", "--aug-snr", "off"));
        assertNull(off.training().augSnr);
        assertEquals(0, off.training().augLead);
        assertEquals(List.of("--aug-snr", "off"), TrainFlags.argv(off).stream().filter(w -> w.startsWith("--aug") || w.equals("off")).toList());
        TrainFlagsTest.roundTrip(off);
        assertTrue(Codec.trainingToMap(off.training(), false).keySet().stream().noneMatch(k -> k.startsWith("aug_")));
        TrainConfig back = Codec.trainingFromMap(Codec.trainingToMap(t, true), "test");
        assertEquals(t.augSnr, back.augSnr);
        assertEquals(t.augSnrProb, back.augSnrProb);
        assertEquals(t.augNoiseDir, back.augNoiseDir);
        // a checkpoint records the noise folder absolute
        assertEquals(Path.of("my noise").toAbsolutePath().normalize(), s.absolute().training().augNoiseDir);
        TrainFlagsTest.roundTrip(s.absolute());
    }

    @Test
    void aChangeOnResumeIsNoted() {
        RunSpec base = TrainFlagsTest.parse(List.of("--data", "fsdd", "--aug-snr", "0:20"));
        RunSpec none = TrainFlagsTest.parse(List.of("--data", "fsdd", "--aug-snr", "off"));
        Object[][] cases = {
            {base, new String[] {"--aug-snr", "0:10"}, "--aug-snr 0:10 (the checkpoint's run has 0:20)"},
            {none, new String[] {"--aug-snr", "0:20"}, "--aug-snr 0:20 (the checkpoint's run has off)"},
            {base, new String[] {"--aug-snr-prob", "0.5"}, "--aug-snr-prob 0.5"},
            {base, new String[] {"--aug-noise-dir", "n"}, "--aug-noise-dir n"},
        };
        for (Object[] c : cases) {
            TrainFlags.Reader r = new TrainFlags.Reader(new Args("train", (String[]) c[1]), Set.of());
            TrainFlags.rest(r, (RunSpec) c[0]);
            assertEquals(1, r.changed.size(), String.join(" ", (String[]) c[1]) + ": " + r.changed);
            assertTrue(r.changed.get(0).startsWith((String) c[2]), r.changed.get(0));
        }
        TrainFlags.Reader same = new TrainFlags.Reader(new Args("train", new String[] {"--aug-snr", "0:20.0"}), Set.of());
        TrainFlags.rest(same, base);
        assertEquals(List.of(), same.changed, "the same range written otherwise is no change");
    }

    @Test
    void badValuesAndDataWithoutRecordingsAreRefusedInOneLine() throws Exception {
        Path feats = Files.createDirectories(dir.resolve("feats"));
        Files.write(feats.resolve("x.npy"), new byte[0]);
        String[][] runs = {
            {"--aug-snr", "abc"}, {"--aug-snr", "20:0"}, {"--aug-snr", "NaN:3"}, {"--aug-snr", "0:20", "--aug-snr-prob", "1.5"},
            {"--aug-noise-dir", dir.toString()}, {"--aug-snr-prob", "0.5"}, {"--aug-snr", "0:20"}, {"--data", feats.toString(), "--aug-snr", "0:20"},
        };
        String[] expected = {
            "--aug-snr takes LO:HI in dB (e.g. 0:20) or one value, got 'abc'", "--aug-snr LO:HI needs LO ≤ HI, got 20:0",
            "--aug-snr needs finite dB values", "--aug-snr-prob must be in [0, 1], got 1.5", "--aug-noise-dir needs --aug-snr LO:HI",
            "--aug-snr-prob needs --aug-snr LO:HI", "--aug-snr mixes noise into recordings: it needs an audio dataset",
            "--aug-snr mixes noise into recordings: " + feats + " holds features (x.npy), not recordings",
        };
        for (int k = 0; k < runs.length; k++) {
            TrainEvalCommandTest.Run r = MessagesTest.main(MessagesTest.with(MessagesTest.with(new String[] {"train"}, MessagesTest.TINY), runs[k]));
            String err = MessagesTest.oneLine(r);
            assertEquals(2, r.code, err);
            assertTrue(err.startsWith("myelin train: " + expected[k]), String.join(" ", runs[k]) + " → " + err);
        }
    }

    @Test
    void theHelpDescribesTheFlags() {
        String help = new TrainCommand().help();
        for (String f : new String[] {"--aug-snr LO:HI", "--aug-snr-prob P", "--aug-noise-dir DIR"}) assertTrue(help.contains(f), f);
    }

    @Test
    void dataSpecRefusesWaveformsWithoutRecordings() {
        TrainConfig tc = new TrainConfig();
        DataSpec.builtInDefault().checkWaveforms(tc); // off: nothing to check
        tc.augSnr = new SnrRange(0, 20);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DataSpec.builtInDefault().checkWaveforms(tc));
        assertTrue(e.getMessage().startsWith("--aug-snr"), e.getMessage());
        DataSpec cache = new DataSpec(dir, "cache", false, 1, 2000, 1000);
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> cache.checkWaveforms(tc));
        assertTrue(e.getMessage().contains("holds features"), e.getMessage());
    }
}
