package org.myelin.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.io.Json;
import org.myelin.model.Model;
import org.myelin.network.DelayMode;
import org.myelin.network.Readout;
import org.myelin.train.EpochRecord;
import org.myelin.train.TrainConfig;

/**
 * A run on data with a validation part (an SSC folder of the PyTables fixture): every epoch is
 * scored on the validation part, the best one's model is the run's, and the test part is scored
 * once, on it; the report says so and counts each part.
 */
class ValidationPartTest {
    static final Path RES = Path.of("src/test/resources/hdf5");

    @TempDir
    Path dir;

    @Test
    void theBestEpochIsChosenOnValidationAndTheTestScoredOnce() throws Exception {
        Path ssc = Files.createDirectories(dir.resolve("ssc"));
        for (String p : new String[] {"train", "valid", "test"}) Files.copy(RES.resolve("pytables_ssc.h5"), ssc.resolve("ssc_" + p + ".h5"));
        TrainConfig tc = new TrainConfig();
        tc.epochs = 4;
        tc.batch = 5;
        tc.seed = 2;
        NetworkSpec n = new NetworkSpec(8, 3, DelayMode.GAUSS, NetworkSpec.defaultSigma(3), 10.05f, 1f, 5f, Readout.VSUM, true);
        DataSpec d = new DataSpec(ssc, null, false, 1, DataSpec.DEFAULT_TRAIN_SIZE, DataSpec.DEFAULT_TEST_SIZE, null, null, true, 10, 5, 0);
        RunSpec s = new RunSpec(d, n, tc, new Outputs(dir.resolve("m.myelin"), dir.resolve("r.json"), null, null));
        RunResult r = Runs.train(s, 2, null);

        for (EpochRecord e : r.epochs()) {
            assertTrue(e.validated(), "scored on the validation part");
            assertTrue(Double.isNaN(e.testAccuracy()), "the test part is not scored per epoch");
        }
        int best = Runs.bestEpoch(r.epochs());
        double bestValid = Double.NEGATIVE_INFINITY;
        for (EpochRecord e : r.epochs()) bestValid = Math.max(bestValid, e.validAccuracy());
        assertEquals(bestValid, r.epochs().get(best - 1).validAccuracy(), 0.0);
        for (int k = 0; k < best - 1; k++) assertTrue(r.epochs().get(k).validAccuracy() < bestValid, "the first of the best");
        assertEquals("valid", r.chosenOn());
        assertEquals(best, r.bestEpoch());

        // the model written is that epoch's: it scores that epoch's validation accuracy, and the report's test accuracy
        Model m = Codec.readModel(s.outputs().model());
        assertEquals(best, ((Number) m.meta.get("epoch")).intValue());
        var data = s.data().load();
        List<Runs.Evaluated> ev = Runs.evaluate(m, data, List.of("test"), 256, 1.0, 1);
        assertEquals(r.testAccuracy(), ev.get(0).accuracy(), 0.0);
        assertEquals(r.testAccuracy(), ((Number) m.meta.get("test_accuracy")).doubleValue(), 0.0);
        double[] v = org.myelin.train.Evaluation.run(m, data.valid, 256, 1.0, org.myelin.kernel.KernelProvider.get(),
                new org.myelin.kernel.Parallel(1));
        assertEquals(r.epochs().get(best - 1).validAccuracy(), v[1], 0.0, "the chosen epoch's parameters");
        assertEquals(List.of("backward", "bed"), m.classNames().subList(0, 2), "the file's extra/keys");

        @SuppressWarnings("unchecked")
        Map<String, Object> rep = (Map<String, Object>) Json.parse(Files.readString(s.outputs().report()));
        assertEquals(10, ((Number) rep.get("train_samples")).intValue());
        assertEquals(10, ((Number) rep.get("valid_samples")).intValue());
        assertEquals(10, ((Number) rep.get("test_samples")).intValue());
        assertEquals("valid", rep.get("chosen_on"));
        assertEquals(best, ((Number) rep.get("model_epoch")).intValue());
        RunResult back = Codec.readReport(s.outputs().report());
        assertEquals(r.epochs(), back.epochs(), "records with validation scores read back");
        assertEquals(best, back.bestEpoch());
    }

    /** Stopped after epoch 2 of 4 and resumed, the run ends with the uninterrupted run's chosen model and test score. */
    @Test
    void aResumedRunChoosesAsTheUninterruptedOne() throws Exception {
        Path ssc = Files.createDirectories(dir.resolve("ssc"));
        for (String p : new String[] {"train", "valid", "test"}) Files.copy(RES.resolve("pytables_ssc.h5"), ssc.resolve("ssc_" + p + ".h5"));
        TrainConfig tc = new TrainConfig();
        tc.epochs = 4;
        tc.batch = 5;
        tc.seed = 3;
        NetworkSpec n = new NetworkSpec(8, 3, DelayMode.GAUSS, NetworkSpec.defaultSigma(3), 10.05f, 1f, 5f, Readout.VSUM, true);
        DataSpec d = new DataSpec(ssc, null, false, 1, DataSpec.DEFAULT_TRAIN_SIZE, DataSpec.DEFAULT_TEST_SIZE, null, null, true, 10, 5, 0);
        RunSpec whole = new RunSpec(d, n, tc, new Outputs(dir.resolve("a.myelin"), null, null, null));
        RunResult a = Runs.train(whole, 1, null);
        RunSpec cut = new RunSpec(d, n, tc, new Outputs(dir.resolve("b.myelin"), null, null, null));
        class Stop extends RuntimeException {}
        try {
            Runs.train(cut, 2, new Runs.Listener() {
                @Override
                public void epochDone(EpochRecord e, int epochs) {
                    if (e.epoch() == 2) throw new Stop();
                }
            });
        } catch (Stop expected) {
            // the checkpoint of epoch 2 and the best model so far are on disk
        }
        RunResult b = Runs.resume(Codec.readCheckpoint(cut.outputs().checkpoint()), 2, null);
        assertEquals(a.epochs().size(), b.epochs().size());
        for (int k = 0; k < a.epochs().size(); k++) { // every number but the times
            EpochRecord x = a.epochs().get(k), y = b.epochs().get(k);
            assertEquals(List.of(x.trainLoss(), x.validLoss(), x.validAccuracy()), List.of(y.trainLoss(), y.validLoss(), y.validAccuracy()));
        }
        assertEquals(a.bestEpoch(), b.bestEpoch());
        assertEquals(a.testAccuracy(), b.testAccuracy(), 0.0);
        var ma = org.myelin.io.Container.read(whole.outputs().model(), 'M');
        var mb = org.myelin.io.Container.read(cut.outputs().model(), 'M');
        assertEquals(ma.arrays.keySet(), mb.arrays.keySet());
        for (String k : ma.arrays.keySet()) {
            assertTrue(java.util.Objects.deepEquals(ma.arrays.get(k), mb.arrays.get(k)), "array " + k + " of the chosen model");
        }
    }

    @Test
    void withoutAValidationPartTheReportSaysTheTestChose() throws Exception {
        Path shd = Files.createDirectories(dir.resolve("shd"));
        Files.copy(RES.resolve("pytables_shd.h5"), shd.resolve("shd_train.h5"));
        Files.copy(RES.resolve("pytables_shd_zlib.h5"), shd.resolve("shd_test.h5"));
        TrainConfig tc = new TrainConfig();
        tc.epochs = 2;
        tc.batch = 4;
        NetworkSpec n = new NetworkSpec(8, 3, DelayMode.GAUSS, NetworkSpec.defaultSigma(3), 10.05f, 1f, 5f, Readout.VSUM, true);
        DataSpec d = new DataSpec(shd, null, false, 1, DataSpec.DEFAULT_TRAIN_SIZE, DataSpec.DEFAULT_TEST_SIZE, null, null, true, 10, 5, 0);
        RunSpec s = new RunSpec(d, n, tc, new Outputs(dir.resolve("m.myelin"), dir.resolve("r.json"), null, null));
        RunResult r = Runs.train(s, 1, null);
        @SuppressWarnings("unchecked")
        Map<String, Object> rep = (Map<String, Object>) Json.parse(Files.readString(s.outputs().report()));
        assertEquals(List.of(12, 0, 9), List.of(((Number) rep.get("train_samples")).intValue(), ((Number) rep.get("valid_samples")).intValue(),
                ((Number) rep.get("test_samples")).intValue()));
        assertEquals("test", rep.get("chosen_on"));
        assertEquals(2, ((Number) rep.get("model_epoch")).intValue());
        assertEquals(r.epochs().get(1).testAccuracy(), r.testAccuracy(), 0.0);
        assertTrue(!rep.toString().contains("valid_accuracy"), "records without validation keep their form");
        assertEquals("zero", Codec.readModel(s.outputs().model()).classNames().get(0));
    }
}
