package org.myelin.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.Dataset;
import org.myelin.model.FeatureRecipe;
import org.myelin.train.TrainConfig;

/** The field defaults of a folder of recordings, the built-in task's unchanged ones, and the calibration hold-out. */
class FieldDefaultsTest {
    @Test
    void recordingsGetTheFieldDefaultsAndTheBuiltInTaskKeepsItsOwn(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("recordings"));
        TrainConfig audio = RunSpec.defaults(DataSpec.folder(dir)).training();
        assertEquals(FeatureRecipe.Normalization.GLOBAL, audio.normalize);
        assertEquals(RunSpec.DATA_AUG_SNR, audio.augSnr);
        assertEquals(12, audio.augLead);
        assertEquals(0.1, audio.calibrate);
        assertEquals(0, audio.reject, "the rejection class is asked for (it costs offline accuracy)");
        TrainConfig builtIn = RunSpec.defaults(DataSpec.builtInDefault()).training();
        assertEquals(FeatureRecipe.Normalization.UTTERANCE, builtIn.normalize);
        assertNull(builtIn.augSnr);
        assertEquals(0, builtIn.augLead);
        assertEquals(0, builtIn.calibrate);
        assertEquals(0, builtIn.reject);
        // a folder of features has no recordings to mix noise into: calibration only
        Path feat = Files.createDirectories(dir.resolve("feat"));
        for (String f : new String[] {"x.npy", "y.npy", "split.npy"}) Files.write(feat.resolve(f), new byte[0]);
        DataSpec fs = DataSpec.folder(feat);
        assertFalse(fs.recordings());
        assertNull(RunSpec.defaults(fs).training().augSnr);
        assertEquals(0.1, RunSpec.defaults(fs).training().calibrate);
        // spike trains (SHD/SSC) are neither: no waveform noise, the whole training part trained on
        Path shd = Files.createDirectories(dir.resolve("shd"));
        Files.write(shd.resolve("shd_train.h5"), new byte[0]);
        DataSpec sp = DataSpec.folder(shd);
        assertTrue(sp.spikes());
        assertFalse(sp.recordings());
        assertNull(RunSpec.defaults(sp).training().augSnr);
        assertEquals(FeatureRecipe.Normalization.UTTERANCE, RunSpec.defaults(sp).training().normalize);
        assertEquals(0, RunSpec.defaults(sp).training().calibrate);
        // the settings survive the specification's JSON form (checkpoints, model metadata)
        TrainConfig back = Codec.trainingFromMap(Codec.trainingToMap(audio, false), "test");
        assertEquals(12, back.augLead);
        assertEquals(0.1, back.calibrate);
        TrainConfig rej = audio.copy();
        rej.reject = RunSpec.MEASURED_REJECT;
        rej.faShare = 0.05;
        back = Codec.trainingFromMap(Codec.trainingToMap(rej, false), "test");
        assertEquals(RunSpec.MEASURED_REJECT, back.reject);
        assertEquals(0.05, back.faShare);
        assertEquals(0, RunSpec.defaults(fs).training().reject, "features: no recordings to make non-keywords from");
        // and are refused by name when out of range
        TrainConfig bad = audio.copy();
        bad.calibrate = 0.7;
        assertThrows(IllegalArgumentException.class, bad::validate, "--calibrate");
        bad = audio.copy();
        bad.augSnr = null;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::validate);
        assertTrue(e.getMessage().startsWith("--aug-lead needs --aug-snr"), e.getMessage());
    }

    static Dataset labelled(int[] perClass) {
        int n = 0;
        for (int c : perClass) n += c;
        float[] x = new float[n * 2];
        int[] y = new int[n];
        java.util.List<String> names = new java.util.ArrayList<>();
        int i = 0;
        for (int c = 0; c < perClass.length; c++) {
            for (int k = 0; k < perClass[c]; k++, i++) {
                y[i] = c;
                x[2 * i] = i;
                names.add("s" + i);
            }
        }
        return new Dataset(x, y, 1, 2, perClass.length, names);
    }

    @Test
    void theHoldOutIsStratifiedDisjointAndSeeded() {
        Dataset d = labelled(new int[] {50, 30, 3, 1});
        Dataset[] a = Runs.holdOut(d, 0.1, 7), b = Runs.holdOut(d, 0.1, 7), c = Runs.holdOut(d, 0.1, 8);
        int[] per = new int[4];
        for (int y : a[1].y) per[y]++;
        assertArrayEquals(new int[] {5, 3, 1, 0}, per, "round(0.1·n_c), at least 1, none from a class of one sample");
        assertEquals(d.size, a[0].size + a[1].size);
        Set<String> seen = new HashSet<>(a[0].names);
        for (String n : a[1].names) assertTrue(seen.add(n), n + " in both parts");
        assertEquals(a[1].names, b[1].names, "the same seed, the same draw");
        assertFalse(a[1].names.equals(c[1].names), "another seed, another draw");
        for (int k = 0; k < a[1].size; k++) assertEquals(Integer.parseInt(a[1].names.get(k).substring(1)), a[1].x[2 * k], 0, "rows follow their names");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Runs.holdOut(labelled(new int[] {20, 1}), 0.1, 1));
        assertTrue(e.getMessage().startsWith("--calibrate 0.1: the training set has fewer than two classes"), e.getMessage());
    }
}
