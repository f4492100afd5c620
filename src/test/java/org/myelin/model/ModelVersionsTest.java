package org.myelin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.SyntheticDataset;
import org.myelin.io.Container;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;
import org.myelin.network.CsrSynapses;
import org.myelin.network.DelayMode;
import org.myelin.network.NetConfig;
import org.myelin.train.Evaluation;

/**
 * Model files of both versions: a committed file of version 1 (one hidden layer, written by the
 * build before layer lists: {@code myelin train --hidden 6 --max-delay 3 --epochs 1 --train-size 16
 * --test-size 8 --batch 8}) still loads and evaluates to the loss that build computed; a model of
 * two hidden layers round-trips through version 2; a file of an unknown version, of a layer
 * count its configuration does not have, or of a shape that disagrees, is refused naming the file.
 */
class ModelVersionsTest {
    static final Path V1 = Path.of("src", "test", "resources", "model", "one-layer-v1.myelin");

    @TempDir
    Path dir;

    @Test
    void aVersionOneFileStillLoadsAndEvaluatesAsBefore() throws IOException {
        Container c = Container.read(V1, 'M');
        assertNull(c.header.get("model_version"), "the fixture is a version 1 file");
        Model m = Model.load(V1);
        assertEquals(1, m.config.depth());
        assertEquals(6, m.config.hidden(0));
        assertEquals(2, m.layers.size());
        assertEquals(1, m.norms.size());
        try (Parallel par = new Parallel(1)) {
            double[] r = Evaluation.run(m, SyntheticDataset.generate(1, 16, 8).test, 8, 1.0, KernelProvider.scalar(), par);
            // the loss the version-1 build (main before issue 24) printed for this file, to the bit
            assertEquals(42.63763453119048, r[0], 0.0);
        }
        // saved again it is a version 2 file with the same arrays
        Path f = dir.resolve("again.myelin");
        m.save(f);
        Container again = Container.read(f, 'M');
        assertEquals(Model.VERSION, ((Number) again.header.get("model_version")).intValue());
        assertEquals(c.arrays.keySet(), again.arrays.keySet());
        for (String k : c.arrays.keySet()) {
            Object a = c.arrays.get(k), b = again.arrays.get(k);
            if (a instanceof float[]) assertArrayEquals((float[]) a, (float[]) b, k);
            else assertArrayEquals((int[]) a, (int[]) b, k);
        }
    }

    static Model deep(int[] widths, boolean bn) {
        NetConfig cfg = NetConfig.builder().inputs(5).hidden(widths).outputs(3).steps(7).maxDelay(2).delayMode(DelayMode.INT).batchNorm(bn).build();
        SplittableRandom r = new SplittableRandom(4);
        List<CsrSynapses> layers = new ArrayList<>();
        List<float[]> learnt = new ArrayList<>();
        for (int s = 0; s <= widths.length; s++) {
            int pre = cfg.width(s), post = cfg.width(s + 1);
            float[] w = new float[post * pre], d = new float[w.length];
            for (int q = 0; q < w.length; q++) {
                w[q] = r.nextDouble() < 0.3 ? 0f : (float) r.nextGaussian();
                d[q] = r.nextInt(3);
            }
            CsrSynapses l = CsrSynapses.fromDense(pre, post, 2, w, d);
            layers.add(l);
            float[] ld = l.delays().clone();
            for (int q = 0; q < l.size(); q++) ld[q] = Math.min(2f, ld[q] + 0.25f);
            learnt.add(java.util.Arrays.copyOf(ld, l.size()));
        }
        List<Model.BatchNorm> norms = new ArrayList<>();
        for (int k = 0; bn && k < widths.length; k++) {
            int n = widths[k];
            float[] g = new float[n], b = new float[n], mu = new float[n], var = new float[n];
            for (int h = 0; h < n; h++) { g[h] = 1f + h; b[h] = -h; mu[h] = 0.5f * h; var[h] = 2f + h; }
            norms.add(new Model.BatchNorm(g, b, mu, var));
        }
        return new Model(cfg, layers, norms, null, learnt, null);
    }

    @Test
    void aModelOfTwoHiddenLayersRoundTrips() throws IOException {
        for (boolean bn : new boolean[] {false, true}) {
            Model m = deep(new int[] {4, 6}, bn);
            Path f = dir.resolve("deep-" + bn + ".myelin");
            m.save(f);
            Container c = Container.read(f, 'M');
            assertEquals(bn, c.arrays.containsKey("bn2.var"));
            assertFalse(c.arrays.containsKey("bn.gamma"), "a deeper model names batch norm by layer");
            Model back = Model.load(f);
            assertArrayEquals(new int[] {4, 6}, back.config.hiddenSizes());
            for (int s = 0; s < 3; s++) {
                assertArrayEquals(m.layers.get(s).denseWeights(), back.layers.get(s).denseWeights(), "layer " + s);
                assertArrayEquals(m.layers.get(s).denseDelays(), back.layers.get(s).denseDelays(), "layer " + s);
                assertArrayEquals(m.learntDelays.get(s), back.learntDelays.get(s), "learnt delays " + s);
            }
            for (int k = 0; bn && k < 2; k++) {
                assertArrayEquals(m.norms.get(k).gamma(), back.norms.get(k).gamma());
                assertArrayEquals(m.norms.get(k).var(), back.norms.get(k).var());
            }
        }
    }

    @Test
    void badFilesAreRefusedNamingTheFile() throws IOException {
        Model m = deep(new int[] {4, 6}, true);
        Path f = dir.resolve("m.myelin");
        m.save(f);

        Container c = Container.read(f, 'M');
        c.header.put("model_version", 3);
        Path v3 = dir.resolve("v3.myelin");
        c.write(v3, 'M');
        assertMessage(v3, "model format version 3 is not supported");

        c = Container.read(f, 'M');
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> cfg = (java.util.Map<String, Object>) c.header.get("config");
        cfg.put("hidden", List.of(4));                 // one layer fewer than the arrays
        Path fewer = dir.resolve("fewer.myelin");
        c.write(fewer, 'M');
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(fewer));
        assertTrue(e.getMessage().startsWith(fewer.toString()), e.getMessage());

        c = Container.read(f, 'M');
        c.arrays.put("bn2.gamma", new float[5]);       // hidden layer 2 has 6 neurons
        Path shape = dir.resolve("shape.myelin");
        c.write(shape, 'M');
        assertMessage(shape, "bn2.gamma");

        c = Container.read(f, 'M');
        ((java.util.Map<String, Object>) c.header.get("config")).put("hidden", List.of(1, 2, 3, 4, 5, 6, 7, 8, 9));
        Path nine = dir.resolve("nine.myelin");
        c.write(nine, 'M');
        assertMessage(nine, "1 to 8 hidden layers");

        c = Container.read(f, 'M');
        c.header.remove("model_version");              // a version 1 file cannot hold two layers
        Path v1 = dir.resolve("v1deep.myelin");
        c.write(v1, 'M');
        assertMessage(v1, "version 1 holds one hidden layer");
    }

    private static void assertMessage(Path f, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(part), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
