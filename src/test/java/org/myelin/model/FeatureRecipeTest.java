package org.myelin.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.io.Container;
import org.myelin.io.Json;
import org.myelin.network.CsrSynapses;
import org.myelin.network.DelayMode;
import org.myelin.network.NetConfig;

/** The recipe in the model file: round trip, old files, incomplete or inconsistent recipes. */
class FeatureRecipeTest {
    @TempDir
    Path dir;

    static Model model(int inputs, int steps, String data) {
        NetConfig c = NetConfig.builder().inputs(inputs).hidden(4).outputs(3).steps(steps).maxDelay(2).delayMode(DelayMode.INT).batchNorm(false).build();
        float[] w1 = new float[4 * inputs], d1 = new float[4 * inputs], w2 = new float[12], d2 = new float[12];
        for (int q = 0; q < w1.length; q++) w1[q] = (q % 5) * 0.1f;
        for (int q = 0; q < w2.length; q++) w2[q] = (q % 3) * 0.2f - 0.2f;
        Map<String, Object> meta = Json.object();
        if (data != null) meta.put("data", data);
        return new Model(c, CsrSynapses.fromDense(inputs, 4, 2, w1, d1), CsrSynapses.fromDense(4, 3, 2, w2, d2), null, null, null, null, meta);
    }

    static FeatureRecipe global() {
        float[] mean = new float[40], std = new float[40];
        for (int c = 0; c < 40; c++) {
            mean[c] = -5f + 0.1f * c;
            std[c] = 2f + 0.01f * c;
        }
        return FeatureRecipe.paper(16000).withGlobalNormalization(mean, std);
    }

    @Test
    void theRecipeAndItsStatisticsRoundTripThroughTheModelFile() throws Exception {
        Path f = dir.resolve("m.myelin");
        FeatureRecipe r = global();
        model(40, 80, "fsdd").withRecipe(r).save(f);
        FeatureRecipe back = Model.load(f).recipe;
        assertTrue(back.sameFrontEnd(r));
        assertEquals(FeatureRecipe.Normalization.GLOBAL, back.normalization);
        assertArrayEquals(r.mean(), back.mean());
        assertArrayEquals(r.std(), back.std());
        assertEquals(400, back.frameLength);
        assertEquals(160, back.hop);
        assertEquals(512, back.nFft);
        assertEquals(8000.0, back.fMax);
        Path u = dir.resolve("u.myelin");
        model(40, 80, "fsdd").withRecipe(FeatureRecipe.paper(8000)).save(u);
        assertEquals(FeatureRecipe.Normalization.UTTERANCE, Model.load(u).recipe.normalization);
        assertNull(Model.load(u).recipe.mean());
    }

    @Test
    void oldModelsLoadWithoutARecipeAndSayWhetherTheyWereTrainedOnAudio() throws Exception {
        Path f = dir.resolve("old.myelin");
        model(40, 80, "/data/fsdd").save(f);
        Model m = Model.load(f);
        assertNull(m.recipe);
        assertTrue(m.legacyAudio());
        assertFalse(model(40, 80, "built-in synthetic (seed 1)").legacyAudio());
        assertFalse(model(12, 80, "/data/x").legacyAudio());
        assertFalse(model(40, 80, "/data/fsdd").withRecipe(FeatureRecipe.paper(8000)).legacyAudio());
    }

    @SuppressWarnings("unchecked")
    @Test
    void incompleteOrInconsistentRecipesAreRefusedNamingTheFileAndField() throws Exception {
        Path f = dir.resolve("m.myelin");
        model(40, 80, "fsdd").withRecipe(global()).save(f);
        for (String field : new String[] {"hop", "sampleRate", "normalize", "kind", "fMax"}) {
            Container c = Container.read(f, 'M');
            ((Map<String, Object>) c.header.get("features")).remove(field);
            Path bad = dir.resolve("no-" + field + ".myelin");
            c.write(bad, 'M');
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(bad));
            assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("'" + field + "'"), e.getMessage());
        }
        Object[][] wrong = {{"hop", 900}, {"nFft", 300}, {"fMax", 9000.0}, {"preEmphasis", 1.5}, {"logFloor", 0.0}, {"sampleRate", 0}, {"normalize", "frame"}};
        for (Object[] w : wrong) {
            Container c = Container.read(f, 'M');
            ((Map<String, Object>) c.header.get("features")).put((String) w[0], w[1]);
            Path bad = dir.resolve("bad-" + w[0] + ".myelin");
            c.write(bad, 'M');
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(bad));
            assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("'" + w[0] + "'"), e.getMessage());
        }
        // global statistics missing or of the wrong length
        Container c = Container.read(f, 'M');
        c.arrays.remove(FeatureRecipe.STAT_STD);
        Path noStd = dir.resolve("no-std.myelin");
        c.write(noStd, 'M');
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(noStd));
        assertTrue(e.getMessage().contains(noStd.toString()) && e.getMessage().contains(FeatureRecipe.STAT_STD), e.getMessage());
        // a recipe of another frame count than the network's steps
        assertThrows(IllegalArgumentException.class, () -> model(40, 60, "fsdd").withRecipe(FeatureRecipe.paper(8000)));
        // a non-positive std
        float[] std = new float[40];
        assertThrows(IllegalArgumentException.class, () -> FeatureRecipe.paper(8000).withGlobalNormalization(new float[40], std));
    }
}
