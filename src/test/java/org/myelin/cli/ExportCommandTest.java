package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.analysis.Plots;
import org.myelin.io.Json;
import org.myelin.io.Npy;
import org.myelin.kernel.KernelProvider;
import org.myelin.model.Model;

/**
 * {@code export} through {@link Main#run} on tiny trained models: every array matches the model
 * (and, with {@code --checkpoint}, the checkpoint's real-valued delays and learnt structure's
 * signs); the model keeps its learnt delays beside the rounded ones; {@code train --report} draws
 * the training curves; bad command lines are one-line errors.
 */
class ExportCommandTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void chooseKernelsFirst() {
        KernelProvider.get();
    }

    private Path train(String name, String... extra) throws Exception {
        Path data = TrainEvalCommandTest.featuresFolder(dir.resolve("data"), 1);
        Path model = dir.resolve(name + ".myelin");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main(TrainEvalCommandTest.args(new String[] {"train", "--data", data.toString()},
                TrainEvalCommandTest.args(TrainEvalCommandTest.COMMON, TrainEvalCommandTest.args(new String[] {"--out", model.toString()}, extra))));
        assertEquals(0, r.code, r.err);
        return model;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> index(Path out) throws Exception {
        return (Map<String, Object>) Json.parse(Files.readString(out.resolve("index.json")));
    }

    private static float[] floats(Path f) throws Exception {
        Npy.Array a = Npy.read(f);
        assertNotNull(a.f, f + " is not float32");
        return a.f;
    }

    /** A model of two hidden layers: every synapse layer and each hidden layer's batch norm, named by layer, equal to the model's. */
    @Test
    void exportsEveryLayerOfADeeperModel() throws Exception {
        Path data = TrainEvalCommandTest.featuresFolder(dir.resolve("data"), 1);
        Path model = dir.resolve("deep.myelin");
        TrainEvalCommandTest.Run t = TrainEvalCommandTest.main("train", "--data", data.toString(), "--epochs", "1", "--hidden", "7,5",
                "--max-delay", "3", "--batch", "8", "--threads", "1", "--seed", "5", "--out", model.toString());
        assertEquals(0, t.code, t.err);
        Model m = Model.load(model);
        assertEquals(2, m.config.depth());
        Path out = dir.resolve("deep-export");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("export", "--model", model.toString(), "--out", out.toString());
        assertEquals(0, r.code, r.err);
        for (int k = 0; k < 3; k++) {
            String p = Model.layerName(k);
            Npy.Array w = Npy.read(out.resolve(p + ".weight.npy"));
            assertArrayEquals(new int[] {m.config.width(k + 1), m.config.width(k)}, w.shape, p);
            assertArrayEquals(m.layers.get(k).denseWeights(), w.f, p + " weights");
            assertEquals(m.layers.get(k).denseWeights().length, floats(out.resolve(p + ".learnt_delay.npy")).length);
        }
        assertTrue(Files.exists(out.resolve("bn2.var.npy")) && !Files.exists(out.resolve("bn.var.npy")));
        assertArrayEquals(m.norms.get(1).var(), floats(out.resolve("bn2.var.npy")));
        String text = Files.readString(out.resolve("index.json"));
        assertTrue(text.contains("[hidden 2, hidden 1]") && text.contains("[outputs, hidden 2]"), text);
    }

    @Test
    void exportsEveryArrayOfTheModelAndTheLearntDelays() throws Exception {
        Path report = dir.resolve("r.json");
        Path model = train("m", "--report", report.toString());
        // the report's curves beside it
        BufferedImage png = ImageIO.read(dir.resolve("r.png").toFile());
        assertEquals(Plots.CURVES_WIDTH, png.getWidth());
        assertEquals(Plots.CURVES_HEIGHT, png.getHeight());

        Model m = Model.load(model);
        assertNotNull(m.learntDelays.get(0), "the model keeps the learnt real-valued delays");
        assertEquals(m.layers.get(0).size(), m.learntDelays.get(0).length);
        boolean fractional = false;
        for (int q = 0; q < m.layers.get(0).size(); q++) {
            assertEquals(Math.rint(m.learntDelays.get(0)[q]), m.layers.get(0).delays()[q], 0, "rounded delay of synapse " + q);
            if (m.learntDelays.get(0)[q] != Math.rint(m.learntDelays.get(0)[q])) fractional = true;
        }
        assertTrue(fractional, "gauss training leaves real-valued delays");

        Path out = dir.resolve("export");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("export", "--model", model.toString(), "--out", out.toString());
        assertEquals(0, r.code, r.err);
        Map<String, Object> idx = index(out);
        assertEquals("myelin-export", idx.get("format"));
        assertEquals(((Number) idx.get("version")).intValue(), ExportCommand.VERSION);
        Set<String> names = new HashSet<>();
        for (Object o : (List<?>) idx.get("files")) {
            Map<?, ?> e = (Map<?, ?>) o;
            names.add((String) e.get("name"));
            Npy.Array a = Npy.read(out.resolve((String) e.get("file")));
            List<?> shape = (List<?>) e.get("shape");
            assertEquals(shape.size(), a.shape.length, e.toString());
            for (int k = 0; k < shape.size(); k++) assertEquals(((Number) shape.get(k)).intValue(), a.shape[k], e.toString());
            assertEquals(e.get("dtype").equals("float32") ? "<f4" : "<i4", a.dtype, e.toString());
        }
        assertEquals(Set.of("l1.weight", "l1.mask", "l1.sign", "l1.delay", "l1.learnt_delay", "l2.weight", "l2.mask", "l2.sign",
                "l2.delay", "l2.learnt_delay", "bn.gamma", "bn.beta", "bn.mean", "bn.var"), names);
        float[] w1 = floats(out.resolve("l1.weight.npy"));
        assertArrayEquals(m.layers.get(0).denseWeights(), w1);
        assertArrayEquals(m.readout().denseWeights(), floats(out.resolve("l2.weight.npy")));
        assertArrayEquals(ExportCommand.dense(m.layers.get(0), m.learntDelays.get(0)), floats(out.resolve("l1.learnt_delay.npy")));
        assertArrayEquals(m.norms.get(0).var(), floats(out.resolve("bn.var.npy")));
        int[] mask = Npy.read(out.resolve("l1.mask.npy")).i, sign = Npy.read(out.resolve("l1.sign.npy")).i;
        float[] d1 = floats(out.resolve("l1.delay.npy")), dense = m.layers.get(0).denseDelays();
        int present = 0;
        for (int i = 0; i < w1.length; i++) {
            assertEquals(w1[i] != 0 ? 1 : 0, mask[i]);
            assertEquals((int) Math.signum(w1[i]), sign[i]);
            assertEquals(mask[i] == 1 ? dense[i] : 0f, d1[i], 0);
            present += mask[i];
        }
        assertEquals(m.layers.get(0).size(), present);
        assertEquals(8, ((Number) ((Map<?, ?>) idx.get("config")).get("hidden")).intValue());

        assertTrue(idx.get("feature_recipe") == null, "features folder without a recipe: " + idx.get("feature_recipe"));

        // the checkpoint is the same state: its real-valued delays are the model's learnt ones, bit for bit
        Path withCk = dir.resolve("export-ck");
        r = TrainEvalCommandTest.main("export", "--model", model.toString(), "--checkpoint", model + ".ckpt", "--out", withCk.toString());
        assertEquals(0, r.code, r.err);
        assertArrayEquals(floats(out.resolve("l1.learnt_delay.npy")), floats(withCk.resolve("l1.learnt_delay.npy")));
        assertArrayEquals(floats(out.resolve("l2.learnt_delay.npy")), floats(withCk.resolve("l2.learnt_delay.npy")));
    }

    /** A recipe with global normalisation: its per-channel statistics are exported beside its scalars. */
    @Test
    void globalNormalisationStatisticsAreExported() throws Exception {
        org.myelin.network.NetConfig c = org.myelin.network.NetConfig.builder().inputs(40).hidden(4).outputs(3).steps(80).maxDelay(2)
                .delayMode(org.myelin.network.DelayMode.INT).batchNorm(false).build();
        float[] w1 = new float[4 * 40], d1 = new float[4 * 40], w2 = new float[12], d2 = new float[12];
        for (int q = 0; q < w1.length; q++) w1[q] = (q % 5) * 0.1f;
        for (int q = 0; q < w2.length; q++) w2[q] = (q % 3) * 0.2f - 0.2f;
        float[] mean = new float[40], std = new float[40];
        for (int k = 0; k < 40; k++) { mean[k] = -3 + 0.1f * k; std[k] = 0.5f + 0.01f * k; }
        Model m = new Model(c, org.myelin.network.CsrSynapses.fromDense(40, 4, 2, w1, d1), org.myelin.network.CsrSynapses.fromDense(4, 3, 2, w2, d2),
                null, null, null, null, Json.object()).withRecipe(org.myelin.model.FeatureRecipe.paper(8000).withGlobalNormalization(mean, std));
        Path g = dir.resolve("global.myelin");
        m.save(g);
        Path out = dir.resolve("export-global");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("export", "--model", g.toString(), "--out", out.toString());
        assertEquals(0, r.code, r.err);
        assertEquals("global", ((Map<?, ?>) index(out).get("feature_recipe")).get("normalize"));
        assertArrayEquals(mean, floats(out.resolve("features.mean.npy")));
        assertArrayEquals(std, floats(out.resolve("features.std.npy")));
    }

    @Test
    void checkpointOfLearntStructureAddsItsSignsAndAForeignCheckpointIsRefused() throws Exception {
        Path initial = dir.resolve("init.myelin");
        Path model = train("sparse", "--sparsity", "0.5", "--structure", "rigl", "--save-initial", initial.toString());
        Path out = dir.resolve("e");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("export", "--model", model.toString(), "--checkpoint", model + ".ckpt",
                "--out", out.toString());
        assertEquals(0, r.code, r.err);
        Npy.Array s1 = Npy.read(out.resolve("l1.structure_sign.npy"));
        assertArrayEquals(new int[] {TrainEvalCommandTest.C}, s1.shape, "Dale's law: one sign per input channel");
        for (float v : s1.f) assertTrue(v == 1f || v == -1f, "sign " + v);
        // every present synapse's weight has its source's sign
        float[] w1 = floats(out.resolve("l1.weight.npy"));
        for (int i = 0; i < w1.length; i++) if (w1[i] != 0) assertEquals(s1.f[i % TrainEvalCommandTest.C], Math.signum(w1[i]), 0);

        // the untrained model with the trained run's checkpoint: not its state
        r = TrainEvalCommandTest.main("export", "--model", initial.toString(), "--checkpoint", model + ".ckpt", "--out", dir.resolve("x").toString());
        assertEquals(2, r.code);
        assertEquals(1, r.err.strip().split("\n").length, r.err);
        assertTrue(r.err.contains("is not the state " + initial + " was saved from"), r.err);
    }

    @Test
    void badCommandLinesAreOneLineErrors() throws Exception {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        String[][] cases = {
            {"export", "--out", dir.resolve("o").toString()},
            {"export", "--model", dir.resolve("none.myelin").toString(), "--out", dir.resolve("o").toString()},
            {"export", "--model", file.toString(), "--out", dir.resolve("o").toString()},
            {"export", "--model", dir.toString(), "--out", dir.resolve("o").toString()},
        };
        String[] expect = {"--model is required", "none.myelin", "file.txt", "is a folder"};
        for (int k = 0; k < cases.length; k++) {
            TrainEvalCommandTest.Run r = TrainEvalCommandTest.main(cases[k]);
            assertTrue(r.code != 0, String.join(" ", cases[k]));
            assertEquals(1, r.err.strip().split("\n").length, r.err);
            assertTrue(r.err.startsWith("myelin export: ") && r.err.contains(expect[k]), r.err);
        }
        Path model = train("m2");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("export", "--model", model.toString(), "--out", file.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains("is a file, not a folder"), r.err);
        assertFalse(Files.exists(dir.resolve("o")));
        TrainEvalCommandTest.Run help = TrainEvalCommandTest.main("export", "--help");
        for (String o : new String[] {"--model", "--out", "--checkpoint", "--help", "index.json", "learnt_delay"}) assertTrue(help.out.contains(o), o);
    }
}
