package org.myelin.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.io.Json;
import org.myelin.io.Npy;

class AnalysisRunnerTest {
    @TempDir
    Path dir;

    static final int N_IN = 12, N_H = 10, N_OUT = 4, TD = 5;

    /** Random signs and delays: no spatial structure. */
    static AnalysisRunner.Network random(String name, long seed) {
        return random(name, seed, false);
    }

    /** {@link #random(String, long)}, with class 0 cut off from the hidden layer when {@code deadClass0}. */
    static AnalysisRunner.Network random(String name, long seed, boolean deadClass0) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w1 = new float[N_H * N_IN], d1 = new float[N_H * N_IN], w2 = new float[N_OUT * N_H], d2 = new float[N_OUT * N_H];
        for (int k = 0; k < w1.length; k++) { w1[k] = (float) r.nextGaussian(); d1[k] = r.nextInt(TD + 1); }
        for (int k = 0; k < w2.length; k++) { w2[k] = (float) r.nextGaussian(); d2[k] = r.nextInt(TD + 1); }
        if (deadClass0) java.util.Arrays.fill(w2, 0, N_H, 0f);
        return new AnalysisRunner.Network(name, N_IN, N_H, N_OUT, TD, w1, d1, w2, d2);
    }

    /** Delays smooth in the channel and signs in blocks of channels: strongly autocorrelated fields. */
    static AnalysisRunner.Network structured(String name, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w1 = new float[N_H * N_IN], d1 = new float[N_H * N_IN], w2 = new float[N_OUT * N_H], d2 = new float[N_OUT * N_H];
        for (int h = 0; h < N_H; h++) {
            for (int j = 0; j < N_IN; j++) {
                w1[h * N_IN + j] = (j < N_IN / 2 ? 1f : -1f) * (0.5f + (float) r.nextDouble());
                d1[h * N_IN + j] = (j * TD) / (N_IN - 1);
            }
        }
        for (int k = 0; k < w2.length; k++) { w2[k] = 0.5f + (float) r.nextDouble(); d2[k] = r.nextInt(2); }
        return new AnalysisRunner.Network(name, N_IN, N_H, N_OUT, TD, w1, d1, w2, d2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void writesEverythingAndTheTestMatches() throws Exception {
        List<AnalysisRunner.Network> trained = new ArrayList<>(), untrained = new ArrayList<>();
        for (int s = 0; s < 3; s++) { trained.add(structured("trained" + s, s)); untrained.add(random("init" + s, 100 + s)); }
        // a class with no hidden-to-output weights: constant field, undefined Moran's I
        AnalysisRunner.Network dead = random("dead", 7, true);
        untrained.add(dead);

        Path out = dir.resolve("a");
        AnalysisRunner.Summary s = AnalysisRunner.run(trained, untrained,
                new AnalysisRunner.Options().seed(3).permutations(150).threads(2), out);

        assertEquals(12, s.trained.size());
        assertEquals(16, s.untrained.size());
        assertTrue(Double.isNaN(s.untrained.get(12).moranMax), "constant field must be undefined");
        for (AnalysisRunner.FieldResult f : s.trained) {
            Path npy = out.resolve("fields").resolve(f.baseName() + ".npy");
            Npy.Array a = Npy.read(npy);
            assertEquals("<f4", a.dtype);
            assertArrayEquals(new int[] {N_IN, 2 * TD + 1}, a.shape);
            assertEquals(f.moranIdentity, MoransI.of(a.f, N_IN, 2 * TD + 1), 1e-12);
            assertTrue(f.moranMax >= -1 && f.moranMax <= 1.5);
            assertTrue(ImageIO.read(out.resolve("fields").resolve(f.baseName() + ".png").toFile()) != null);
        }
        for (String png : new String[] {"summary.png", "moran_distribution.png"}) {
            assertTrue(ImageIO.read(out.resolve(png).toFile()) != null, png);
        }

        Map<String, Object> rep = (Map<String, Object>) Json.parse(Files.readString(out.resolve("report.json")));
        Map<String, Object> tr = (Map<String, Object>) rep.get("trained"), un = (Map<String, Object>) rep.get("untrained");
        List<Object> trMax = (List<Object>) tr.get("moran_max"), unMax = (List<Object>) un.get("moran_max");
        assertEquals(12, trMax.size());
        assertEquals(16, unMax.size());
        assertEquals(16, ((List<Object>) un.get("moran_identity")).size());
        assertNull(unMax.get(12), "undefined Moran's I is null in the JSON");

        double[] a = new double[12], b = new double[15];
        for (int k = 0; k < 12; k++) a[k] = ((Number) trMax.get(k)).doubleValue();
        int nb = 0;
        for (Object o : unMax) if (o != null) b[nb++] = ((Number) o).doubleValue();
        assertEquals(15, nb);
        MannWhitney.Result want = MannWhitney.test(a, b);
        Map<String, Object> mw = (Map<String, Object>) rep.get("mann_whitney");
        assertEquals(want.u, ((Number) mw.get("U")).doubleValue(), 0.0);
        assertEquals(want.p, ((Number) mw.get("p")).doubleValue(), 0.0);
        assertEquals(12L, mw.get("n1"));
        assertEquals(15L, mw.get("n2"));
        assertEquals(want.commonLanguage(), ((Number) mw.get("common_language_effect_size")).doubleValue(), 0.0);
        assertTrue(want.u > 0.9 * 12 * 15, "structured fields should beat random ones, U = " + want.u);

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("3598") && md.contains("3169") && md.contains("3.88") && md.contains("6.69"), md);
        assertTrue(md.contains("| U (trained) | " + AnalysisRunner.num(want.u) + " |"));
    }

    @Test
    void sameSeedSameNumbersWhateverTheThreadsAndHeatMapsOff() throws Exception {
        List<AnalysisRunner.Network> t = List.of(structured("t", 1)), u = List.of(random("u", 2));
        AnalysisRunner.Summary s1 = AnalysisRunner.run(t, u, new AnalysisRunner.Options().seed(9).permutations(64).threads(1).heatMaps(false), dir.resolve("x"));
        AnalysisRunner.Summary s2 = AnalysisRunner.run(t, u, new AnalysisRunner.Options().seed(9).permutations(64).threads(2).heatMaps(false), dir.resolve("y"));
        for (int k = 0; k < N_OUT; k++) {
            assertEquals(s1.trained.get(k).moranMax, s2.trained.get(k).moranMax, 0.0);
            assertEquals(s1.untrained.get(k).moranMax, s2.untrained.get(k).moranMax, 0.0);
        }
        assertEquals(Files.readString(dir.resolve("x/report.json")), Files.readString(dir.resolve("y/report.json")));
        assertFalse(Files.exists(dir.resolve("x/fields/t_class0.png")));
        assertTrue(Files.exists(dir.resolve("x/fields/t_class0.npy")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void oneEmptyGroupGivesNoTestButStillAReport() throws Exception {
        Path out = dir.resolve("e");
        AnalysisRunner.Summary s = AnalysisRunner.run(List.of(structured("only", 4)), List.of(),
                new AnalysisRunner.Options().permutations(20).heatMaps(false), out);
        assertNull(s.mannWhitney);
        Map<String, Object> rep = (Map<String, Object>) Json.parse(Files.readString(out.resolve("report.json")));
        assertTrue(rep.containsKey("mann_whitney"));
        assertNull(rep.get("mann_whitney"));
        assertEquals(N_OUT, ((List<Object>) ((Map<String, Object>) rep.get("trained")).get("moran_max")).size());
        assertTrue(((List<Object>) ((Map<String, Object>) rep.get("untrained")).get("moran_max")).isEmpty());
        assertTrue(Files.exists(out.resolve("moran_distribution.png")));
        assertFalse(Files.exists(out.resolve("summary.png")));
        assertTrue(Files.readString(out.resolve("report.md")).contains("Not computed"));
    }

    @Test
    void numbersInTheMarkdown() {
        assertEquals("3598", AnalysisRunner.num(3598));
        assertEquals("3505.5", AnalysisRunner.num(3505.5));
        assertEquals("3.88e-21", AnalysisRunner.num(3.88e-21));
        assertEquals("0.0557293", AnalysisRunner.num(0.05572931958740492));
        assertEquals("undefined", AnalysisRunner.num(Double.NaN));
    }

    @Test
    void rejectsBadNames() {
        assertThrows(IllegalArgumentException.class, () -> random("a/b", 1));
        AnalysisRunner.Network n = random("same", 1);
        assertThrows(IllegalArgumentException.class,
                () -> AnalysisRunner.run(List.of(n), List.of(n), 1, 10, dir.resolve("z")));
    }
}
