package org.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.io.Json;
import org.myelin.io.Npy;
import org.myelin.model.FeatureRecipe;

/** The one features reader: layouts, dtypes, class count, one-sided splits, normalisation. */
class FeaturesFolderTest {
    @TempDir
    Path tmp;

    static final int N = 6, T = 80, C = 40;

    Path folder(String name, int[] y, int[] split, boolean logmel, Integer metaClasses) throws Exception {
        Path d = tmp.resolve(name);
        Files.createDirectories(d);
        Random r = new Random(name.hashCode());
        float[] x = new float[y.length * T * C];
        for (int q = 0; q < x.length; q++) x[q] = (float) (-6 + 2 * r.nextGaussian() + (q % C) * 0.05);
        Npy.write(d.resolve("x.npy"), x, y.length, T, C);
        Npy.write(d.resolve("y.npy"), y, y.length);
        Npy.write(d.resolve("split.npy"), split, split.length);
        if (logmel || metaClasses != null) {
            Map<String, Object> m = Json.object();
            if (metaClasses != null) m.put("classes", metaClasses);
            if (logmel) {
                m.put("values", "logmel");
                m.put("recipe", FeatureRecipe.paper(8000).toMap());
            }
            Files.writeString(d.resolve("meta.json"), Json.write(m));
        }
        return d;
    }

    @Test
    void rawLogMelIsNormalisedAsAsked() throws Exception {
        Path d = folder("raw", new int[] {0, 1, 2, 0, 1, 2}, new int[] {0, 0, 0, 0, 1, 1}, true, 10);
        FeaturesFolder.Features f = FeaturesFolder.read(d, "src");
        assertEquals(10, f.stored.train.classes, "meta.json's class count wins over the labels seen");
        Dataset.Split u = f.normalised(FeatureRecipe.Normalization.UTTERANCE);
        float[] row = Arrays.copyOfRange(f.stored.test.x, T * C, 2 * T * C);
        LogMel.standardise(row);
        assertArrayEquals(row, Arrays.copyOfRange(u.test.x, T * C, 2 * T * C), "utterance: each row standardised alone, as the paper's");
        assertEquals(FeatureRecipe.Normalization.UTTERANCE, u.recipe.normalization);

        Dataset.Split g = f.normalised(FeatureRecipe.Normalization.GLOBAL);
        float[][] ms = LogMel.channelStatistics(f.stored.train.x, 4, T, C, 1e-6);
        assertArrayEquals(ms[0], g.recipe.mean(), "statistics of the training part only");
        assertArrayEquals(ms[1], g.recipe.std());
        double sum = 0;
        for (int s = 0; s < 4; s++) for (int t = 0; t < T; t++) sum += g.train.x[(s * T + t) * C + 7];
        assertEquals(0.0, sum / (4 * T), 1e-5, "channel 7 of the normalised training part has mean 0");
        // evaluation with that recipe reproduces the training values exactly
        assertArrayEquals(g.test.x, f.normalisedFor(g.recipe, "m").test.x);
        // and a model of another front end is refused, naming it
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.normalisedFor(FeatureRecipe.paper(16000), "m16.myelin"));
        assertTrue(e.getMessage().contains("m16.myelin") && e.getMessage().contains("16000"), e.getMessage());
    }

    @Test
    void modelInputIsTakenAsStored() throws Exception {
        Path d = folder("plain", new int[] {0, 1, 1, 0, 1, 0}, new int[] {0, 1, 0, 1, 0, 0}, false, null);
        FeaturesFolder.Features f = FeaturesFolder.read(d, "src");
        assertNull(f.frontEnd);
        assertSame(f.stored, f.normalised(FeatureRecipe.Normalization.UTTERANCE));
        assertEquals(2, f.stored.train.classes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.normalised(FeatureRecipe.Normalization.GLOBAL));
        assertTrue(e.getMessage().contains("--normalize global"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.normalisedFor(FeatureRecipe.paper(8000), "m"));
    }

    @Test
    void oneSidedSplitsAndBadFilesAreRefusedNamingTheFile() throws Exception {
        Path d = folder("onesided", new int[] {0, 1, 0, 1, 0, 1}, new int[] {0, 0, 0, 0, 0, 0}, false, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeaturesFolder.read(d, "s"));
        assertTrue(e.getMessage().contains("split.npy") && e.getMessage().contains("0 test"), e.getMessage());
        Path d2 = folder("badsplit", new int[] {0, 1, 0, 1, 0, 1}, new int[] {0, 1, 3, 0, 1, 0}, false, null);
        e = assertThrows(IllegalArgumentException.class, () -> FeaturesFolder.read(d2, "s"));
        assertTrue(e.getMessage().contains("split.npy") && e.getMessage().contains("entry 2 is 3"), e.getMessage());
        // 2 marks the validation part (GSC's validation_list.txt), in row order
        Path dv = folder("valid", new int[] {0, 1, 0, 1, 0, 1}, new int[] {0, 1, 2, 0, 2, 1}, false, null);
        Dataset.Split v = FeaturesFolder.read(dv, "s").stored;
        assertEquals(List.of(2, 2, 2), List.of(v.train.size, v.valid.size, v.test.size));
        assertArrayEquals(new int[] {0, 0}, v.valid.y);
        assertArrayEquals(new int[] {1, 1}, v.test.y);
        Path dl = folder("validlogmel", new int[] {0, 1, 0, 1, 0, 1}, new int[] {0, 1, 2, 0, 2, 1}, true, null);
        Dataset.Split n = FeaturesFolder.read(dl, "s").normalised(FeatureRecipe.Normalization.UTTERANCE);
        assertEquals(2, n.valid.size, "normalisation keeps the validation part");
        assertTrue(n.valid.x[0] != FeaturesFolder.read(dl, "s").stored.valid.x[0], "and normalises it");
        Path d3 = folder("neg", new int[] {0, -1, 0, 1, 0, 1}, new int[] {0, 1, 0, 1, 0, 1}, false, null);
        e = assertThrows(IllegalArgumentException.class, () -> FeaturesFolder.read(d3, "s"));
        assertTrue(e.getMessage().contains("y.npy") && e.getMessage().contains("row 1"), e.getMessage());
        Npy.write(d3.resolve("y.npy"), new float[] {0, 1, 0, 1, 0, 1}, 6);
        e = assertThrows(IllegalArgumentException.class, () -> FeaturesFolder.read(d3, "s"));
        assertTrue(e.getMessage().contains("y.npy") && e.getMessage().contains("<i4"), e.getMessage());
    }

    /** A little-endian float64 .npy (NumPy format 1.0). */
    static byte[] f8(double[] v, int... shape) {
        StringBuilder sh = new StringBuilder();
        for (int k : shape) sh.append(k).append(", ");
        String h = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + sh.toString().trim() + "), }";
        int pad = 64 - (10 + h.length() + 1) % 64;
        h = h + " ".repeat(pad % 64) + "\n";
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + h.length() + 8 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes()).put((byte) 1).put((byte) 0).putShort((short) h.length()).put(h.getBytes());
        for (double x : v) b.putDouble(x);
        return b.array();
    }

    @Test
    void trainAndTestFoldersAndFloat64AreRead() throws Exception {
        Path d = tmp.resolve("tt");
        for (String p : new String[] {"train", "test"}) {
            Files.createDirectories(d.resolve(p));
            int n = p.equals("train") ? 3 : 2;
            double[] x = new double[n * 5 * 2];
            for (int q = 0; q < x.length; q++) x[q] = q * 0.25;
            Files.write(d.resolve(p).resolve("x.npy"), f8(x, n, 5, 2));
            Npy.write(d.resolve(p).resolve("y.npy"), p.equals("train") ? new int[] {0, 3, 1} : new int[] {1, 0}, n);
        }
        assertTrue(FeaturesFolder.accepts(d));
        Dataset.Split s = FeaturesFolder.read(d, "tt").stored;
        assertEquals(3, s.train.size);
        assertEquals(2, s.test.size);
        assertEquals(4, s.test.classes);
        assertEquals(0.75f, s.train.x[3]);
        Files.delete(d.resolve("test").resolve("y.npy"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeaturesFolder.read(d, "tt"));
        assertTrue(e.getMessage().contains("test") && e.getMessage().contains("y.npy"), e.getMessage());
    }
}
