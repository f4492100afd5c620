package org.myelin.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.io.Container;
import org.myelin.io.Json;
import org.myelin.network.DelayMode;
import org.myelin.network.Readout;
import org.myelin.model.Model;
import org.myelin.train.KernelChoice;
import org.myelin.train.StructureKind;
import org.myelin.train.TrainConfig;

/** The run API and its codec: specifications, reports, checkpoints and models written and read back. */
class RunsTest {
    @TempDir
    Path dir;

    /** A run of about a second on the built-in task: 60 + 40 samples, 8 hidden neurons, Td = 3. */
    RunSpec tiny(String name, long seed) {
        TrainConfig tc = new TrainConfig();
        tc.epochs = 2;
        tc.batch = 20;
        tc.seed = seed;
        NetworkSpec n = new NetworkSpec(8, 3, DelayMode.GAUSS, NetworkSpec.defaultSigma(3), 10.05f, 1f, 5f, Readout.VSUM, true);
        return new RunSpec(new DataSpec(null, null, false, 4, 60, 40), n, tc,
                new Outputs(dir.resolve(name + ".myelin"), dir.resolve(name + ".json"), null, dir.resolve(name + "-init.myelin")));
    }

    @Test
    void specificationsRoundTripThroughJson() {
        TrainConfig tc = new TrainConfig();
        tc.epochs = 7;
        tc.seed = 1234567890123L;
        tc.maxLr = 1.0 / 300;
        tc.sparsity = 0.875;
        tc.structure = StructureKind.DEEPR;
        tc.kernel = KernelChoice.CSR;
        tc.dale = false;
        tc.learnDelays = false;
        NetworkSpec n = new NetworkSpec(17, 9, DelayMode.LINEAR, 0.7f, 7.3f, 0.9f, 3.1f, Readout.SOFTMAXSUM, false);
        RunSpec s = new RunSpec(new DataSpec(Path.of("some data"), "fsdd", true, 3, 10, 20), n, tc,
                new Outputs(Path.of("a b.myelin"), null, Path.of("c.ckpt"), null));
        Object back = Json.parse(Json.write(Codec.specToMap(s)));
        RunSpec r = Codec.specFromMap(back, "test");
        assertEquals(s, r);
        assertEquals(0.7f, r.network().sigma(), 0f);
        assertEquals(StructureKind.DEEPR, r.training().structure);
        assertEquals(Path.of("c.ckpt"), r.outputs().checkpoint());
        assertNotEquals(s, s.withData(new DataSpec(Path.of("some data"), "fsdd", true, 4, 10, 20)), "the data seed is part of it");
        assertEquals(List.of("data.seed 3, not 4"), Codec.differences(s, s.withData(new DataSpec(Path.of("some data"), "fsdd", true, 4, 10, 20))));
        // a specification cannot be changed through what it hands out
        s.training().epochs = 99;
        assertEquals(7, s.training().epochs);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) back;
            ((Map<String, Object>) m.get("training")).put("structure", "magic");
            Codec.specFromMap(m, "spec.json");
        });
        assertTrue(e.getMessage().startsWith("spec.json") && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void aRunWritesWhatItsSpecificationAsksAndItsReportReadsBack() throws Exception {
        RunSpec s = tiny("a", 3);
        RunResult r = Runs.train(s, 1, null);
        assertEquals(2, r.epochs().size());
        assertTrue(r.complete());
        for (Path f : List.of(s.outputs().model(), s.outputs().report(), s.outputs().checkpoint(), s.outputs().initial())) {
            assertTrue(Files.isRegularFile(f), f + " written");
            assertTrue(r.files().contains(f), "listed: " + f + " in " + r.files());
        }
        assertEquals(r.epochs().get(1).testAccuracy(), r.testAccuracy(), 0.0);
        RunResult back = Codec.readReport(s.outputs().report());
        assertEquals(r.spec(), back.spec());
        assertEquals(r.epochs(), back.epochs(), "every epoch record, bit for bit");
        assertEquals(r.testAccuracy(), back.testAccuracy(), 0.0);
        assertArrayEquals(r.activeSynapses(), back.activeSynapses());
        assertEquals(List.of(60, 0, 40), List.of(back.trainSamples(), back.validSamples(), back.testSamples()), "sample counts of each part");
        assertEquals(Codec.trainingToMap(r.config(), true), Codec.trainingToMap(back.config(), true));

        // the model records its specification (paths absolute), so eval can find its data
        Model m = Codec.readModel(s.outputs().model());
        assertEquals(s.absolute(), Codec.specOf(m, s.outputs().model()));
        assertEquals(1.0, Codec.inputScale(m), 0.0);
        List<Runs.Evaluated> ev = Runs.evaluate(m, s.data().load(), List.of("test"), 256, 1.0, 2);
        assertEquals(r.testAccuracy(), ev.get(0).accuracy(), 0.0, "the model evaluates to the report's accuracy");

        // the checkpoint holds the whole specification; resuming the finished run writes the same model
        Codec.Checkpoint ck = Codec.readCheckpoint(s.outputs().checkpoint());
        assertEquals(s.absolute(), ck.spec());
        assertEquals(2, ck.epochsDone());
        Container before = Container.read(s.outputs().model(), 'M');
        RunResult again = Runs.resume(ck, 2, null);
        assertEquals(r.testAccuracy(), again.testAccuracy(), 0.0);
        Container after = Container.read(s.outputs().model(), 'M');
        assertEquals(before.arrays.keySet(), after.arrays.keySet());
        for (String k : before.arrays.keySet()) {
            Object x = before.arrays.get(k), y = after.arrays.get(k);
            if (x instanceof float[]) assertArrayEquals((float[]) x, (float[]) y, k);
            else assertArrayEquals((int[]) x, (int[]) y, k);
        }
        assertEquals(2L, ((Map<?, ?>) after.header.get("meta")).get("train") instanceof Map
                ? ((Number) ((Map<?, ?>) ((Map<?, ?>) after.header.get("meta")).get("train")).get("threads")).longValue() : -1, "the thread count is recorded");
    }

    @Test
    void checkpointsOfOtherDataOrOlderFormatsAreRefusedNamingTheFile() throws Exception {
        RunSpec s = tiny("b", 5);
        Runs.train(s, 1, null);
        Path ckFile = s.outputs().checkpoint();
        // the same checkpoint with another data seed in its specification: the data differ from the fingerprint
        Container c = Container.read(ckFile, 'C');
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) c.header.get("spec")).get("data");
        data.put("seed", 99L);
        Path other = dir.resolve("other.ckpt");
        c.write(other, 'C');
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Runs.resume(Codec.readCheckpoint(other), 1, null));
        assertTrue(e.getMessage().contains(other.toString()) && e.getMessage().contains("other data"), e.getMessage());

        Container old = Container.read(ckFile, 'C');
        old.header.remove("checkpoint_version");
        Path oldFile = dir.resolve("old.ckpt");
        old.write(oldFile, 'C');
        e = assertThrows(IllegalArgumentException.class, () -> Codec.readCheckpoint(oldFile));
        assertTrue(e.getMessage().startsWith(oldFile.toString()) && e.getMessage().contains("older"), e.getMessage());

        NoSuchFileException n = assertThrows(NoSuchFileException.class, () -> Codec.readCheckpoint(dir.resolve("none.ckpt")));
        assertTrue(n.getFile().endsWith("none.ckpt"));
        e = assertThrows(IllegalArgumentException.class, () -> Codec.readModel(dir));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("folder"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("none.ckpt")));
    }

    @Test
    void checkpointAndModelNameTheSameArraysTheSame() throws Exception {
        RunSpec s = tiny("c", 6);
        TrainConfig tc = s.training();
        tc.sparsity = 0.5; // CSR layers, as in the model file
        s = s.withTraining(tc);
        Runs.train(s, 1, null);
        Container ck = Container.read(s.outputs().checkpoint(), 'C'), m = Container.read(s.outputs().model(), 'M');
        for (String layer : List.of("l1", "l2")) {
            for (String a : List.of("rowPtr", "targets", "weights", "delays", "pairDelays")) {
                assertTrue(ck.arrays.containsKey(layer + "." + a) && m.arrays.containsKey(layer + "." + a), layer + "." + a);
            }
            assertTrue(ck.arrays.containsKey("adam." + layer + ".weights.m") && ck.arrays.containsKey("adam." + layer + ".delays.v"));
        }
        for (String k : ck.arrays.keySet()) assertFalse(k.matches("adam\\.\\d+|l\\d\\.[wd]"), "positional or short name " + k);
        assertArrayEquals((int[]) ck.arrays.get("l1.targets"), (int[]) m.arrays.get("l1.targets"), "same structure");
    }
}
