package org.myelin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.Dataset;
import org.myelin.io.Json;
import org.myelin.kernel.KernelProvider;
import org.myelin.model.Model;
import org.myelin.network.DelayMode;

/**
 * Determinism of whole training runs (same seed → same bits, any thread count; another seed →
 * other bits) and kill-and-resume from a checkpoint ending with exactly the bits of an
 * uninterrupted run, for a dense gauss run and a sparse (fixed structure, CSR kernel) run. (The
 * run layer's checkpoint file around this state, and its refusal of other data, are tested in
 * org.myelin.run.RunsTest.)
 */
class DeterminismAndResumeTest {
    @TempDir
    Path dir;

    /** What a run leaves: the saved model's bytes, its test accuracy and its history without timings. */
    private static final class Outcome {
        byte[] model;
        double testAccuracy;
        List<Map<String, Object>> history;
        String kernel;
        int[] active;
    }

    private static List<Map<String, Object>> withoutTimings(List<Map<String, Object>> h) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> e : h) {
            Map<String, Object> c = new LinkedHashMap<>(e);
            c.remove("train_seconds");
            c.remove("train_samples_per_second");
            // a JSON round trip so that histories read back from a checkpoint compare equal to live ones
            out.add(c);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> norm = (List<Map<String, Object>>) Json.parse(Json.write(out));
        return norm;
    }

    private Outcome finish(Trainer t, Dataset.Split data, String name) throws IOException {
        Outcome o = new Outcome();
        Path f = dir.resolve(name + ".myelin");
        t.toModel(null).save(f);
        o.model = Files.readAllBytes(f);
        o.testAccuracy = t.evaluate(data.test)[1];
        o.history = withoutTimings(TrainFixtures.history(t));
        o.kernel = t.kernelKind();
        o.active = t.activeSynapses();
        return o;
    }

    private Outcome run(TrainConfig tc, Dataset.Split data, String name) throws IOException {
        try (Trainer t = new Trainer(tc, data, KernelProvider.get())) {
            t.run(null);
            return finish(t, data, name);
        }
    }

    private static void assertSame(Outcome a, Outcome b, String what) {
        assertArrayEquals(a.model, b.model, what + ": model bytes");
        assertEquals(a.testAccuracy, b.testAccuracy, 0.0, what + ": test accuracy");
        assertEquals(a.history, b.history, what + ": history");
    }

    @Test
    void sameSeedSameBitsAnyThreadCountOtherSeedOtherBits() throws IOException {
        Dataset.Split data = TrainFixtures.data(11, 24, 12);
        Outcome a = run(TrainFixtures.config(7), data, "a");
        Outcome b = run(TrainFixtures.config(7), data, "b");
        assertSame(a, b, "two runs, seed 7, 1 thread");
        TrainConfig two = TrainFixtures.config(7);
        two.threads = 2;
        assertSame(a, run(two, data, "c"), "1 vs 2 threads");
        Outcome other = run(TrainFixtures.config(8), data, "d");
        assertFalse(Arrays.equals(a.model, other.model), "seed 8 must give other parameters than seed 7");
        assertEquals("dense", a.kernel, "dense gauss training uses the dense kernel");
        // the run did train: the model differs from the untrained network
        TrainConfig tc = TrainFixtures.config(7);
        try (Trainer t = new Trainer(tc, data, KernelProvider.get())) {
            Path f = dir.resolve("untrained.myelin");
            t.toModel(null).save(f);
            assertFalse(Arrays.equals(a.model, Files.readAllBytes(f)), "training should change the parameters");
        }
    }

    @Test
    void sparseRunsAreDeterministicAcrossThreadCounts() throws IOException {
        Dataset.Split data = TrainFixtures.data(12, 24, 12);
        TrainConfig tc = sparse(4);
        Outcome a = run(tc, data, "a");
        TrainConfig two = sparse(4);
        two.threads = 2;
        assertSame(a, run(two, data, "b"), "sparse, 1 vs 2 threads");
        assertEquals("csr", a.kernel);
        // K = floor(0.5 · pairs) synapses per layer, held to the end with fixed structure
        assertArrayEquals(new int[] {TrainFixtures.IN * TrainFixtures.HID / 2, TrainFixtures.HID * TrainFixtures.OUT / 2}, a.active);
    }

    private static TrainConfig sparse(long seed) {
        TrainConfig tc = TrainFixtures.config(seed);
        tc.sparsity = 0.5;
        tc.structure = StructureKind.FIXED;
        return tc;
    }

    /** Thrown by the listener to simulate a killed process after a checkpoint is written. */
    private static final class Killed extends RuntimeException {
        Killed() {
            super("simulated kill");
        }
    }

    private void killAndResume(TrainConfig full, TrainConfig part, Dataset.Split data, int killAfter, int resumeThreads, String what) throws IOException {
        int E = full.epochs;
        assertTrue(killAfter > 0 && killAfter < E);
        Path ckFull = dir.resolve(what + "-full.ckpt");
        Outcome uninterrupted;
        try (Trainer t = new Trainer(full, data, KernelProvider.get())) {
            t.run((tr, rep) -> TrainFixtures.save(tr, ckFull));
            uninterrupted = finish(t, data, what + "-full");
        }
        Path ck = dir.resolve(what + ".ckpt");
        try (Trainer t = new Trainer(part, data, KernelProvider.get())) {
            assertThrows(Killed.class, () -> t.run((tr, rep) -> {
                TrainFixtures.save(tr, ck);
                if (tr.epochsDone() == killAfter) throw new Killed();
            }));
            assertEquals(killAfter, t.epochsDone());
        }
        Outcome resumed;
        try (Trainer t = TrainFixtures.resume(ck, data, resumeThreads)) {
            assertEquals(killAfter, t.epochsDone(), what + ": epochs done after resume");
            assertEquals(killAfter, TrainFixtures.history(t).size());
            t.run((tr, rep) -> TrainFixtures.save(tr, ck));
            assertEquals(E, t.epochsDone());
            resumed = finish(t, data, what + "-resumed");
        }
        assertSame(uninterrupted, resumed, what + ": resumed after epoch " + killAfter + " vs uninterrupted");
        assertEquals(uninterrupted.kernel, resumed.kernel, what + ": kernel after resume");
        // the final checkpoints agree in every array too
        org.myelin.io.Container a = org.myelin.io.Container.read(ckFull, 'C'), b = org.myelin.io.Container.read(ck, 'C');
        assertEquals(a.arrays.keySet(), b.arrays.keySet());
        for (String k : a.arrays.keySet()) {
            Object x = a.arrays.get(k), y = b.arrays.get(k);
            if (x instanceof float[]) assertArrayEquals((float[]) x, (float[]) y, what + ": checkpoint array " + k);
            else assertArrayEquals((int[]) x, (int[]) y, what + ": checkpoint array " + k);
        }
    }

    /** A run of the given hidden widths (L ≥ 2), sparse (CSR) when sparsity > 0, in the given delay mode. */
    private static TrainConfig deep(long seed, int[] widths, DelayMode mode, double sparsity) {
        TrainConfig tc = TrainFixtures.config(seed);
        tc.net = TrainFixtures.net(mode).toBuilder().hidden(widths).build();
        tc.sparsity = sparsity;
        tc.structure = StructureKind.FIXED;
        return tc;
    }

    @Test
    void deepRunsAreDeterministicAcrossThreadCountsAndTheirModelsReload() throws IOException {
        Dataset.Split data = TrainFixtures.data(13, 24, 12);
        for (DelayMode mode : new DelayMode[] {DelayMode.GAUSS, DelayMode.LINEAR}) {
            Outcome a = run(deep(5, new int[] {12, 10}, mode, 0), data, "deep-a");
            for (int threads = 2; threads <= 3; threads++) {
                TrainConfig tc = deep(5, new int[] {12, 10}, mode, 0);
                tc.threads = threads;
                assertSame(a, run(tc, data, "deep-" + threads), "2 hidden layers, " + mode + ", 1 vs " + threads + " threads");
            }
            assertEquals(3, a.active.length, "active synapses per synapse layer");
            // the model file holds both hidden layers and evaluates as the trainer did
            Path f = dir.resolve("deep-a.myelin");
            Model m = Model.load(f);
            assertArrayEquals(new int[] {12, 10}, m.config.hiddenSizes());
            assertEquals(3, m.layers.size());
            assertEquals(2, m.norms.size());
            double[] ev;
            try (org.myelin.kernel.Parallel par = new org.myelin.kernel.Parallel(1)) {
                ev = Evaluation.run(m, data.test, 8, 2.0, KernelProvider.get(), par);
            }
            assertEquals(a.testAccuracy, ev[1], 0.0, "a reloaded deep model evaluates as its trainer did");
        }
    }

    @Test
    void threeLayerSparseIntKillAndResumeIsBitExact() throws IOException {
        Dataset.Split data = TrainFixtures.data(22, 24, 12);
        TrainConfig full = deep(6, new int[] {12, 9, 10}, DelayMode.INT, 0.5);
        full.epochs = 3;
        TrainConfig part = deep(6, new int[] {12, 9, 10}, DelayMode.INT, 0.5);
        part.epochs = 3;
        killAndResume(full, part, data, 1, 2, "deep-sparse");
    }

    /**
     * Learnt structure at depth (L = 2 and 3): every synapse layer rewires with its own budget
     * K = ⌊(1 − S)·pre·post⌋ and its own Dale signs, in RigL every step, RigL every 3 steps,
     * sampled RigL and DEEP R. Same bits for 1, 2 and 3 threads; a killed run resumes bit-exactly;
     * every layer really rewires, holds exactly K synapses, and each synapse's weight keeps the sign
     * of its presynaptic neuron, which is the sign it was drawn with.
     */
    @Test
    void learntStructureAtDepthKeepsBudgetsAndSignsPerLayer() throws IOException {
        String[][] variants = {{"rigl", "1", "0"}, {"rigl", "3", "0"}, {"rigl", "1", "5"}, {"deepr", "1", "0"}};
        int v = 0;
        for (String[] var : variants) {
            int[] widths = v == 0 ? new int[] {12, 9, 10} : new int[] {12, 9};
            String what = "depth " + widths.length + ", " + var[0] + " every " + var[1] + ", candidates " + var[2];
            Dataset.Split data = TrainFixtures.data(40 + v, 24, 12);
            TrainConfig[] c = new TrainConfig[3];
            for (int q = 0; q < 3; q++) {
                c[q] = deep(9 + v, widths, DelayMode.GAUSS, 0.5);
                c[q].structure = StructureKind.parse(var[0]);
                c[q].regrowEvery = Integer.parseInt(var[1]);
                c[q].riglCandidates = Integer.parseInt(var[2]);
                c[q].epochs = 3;
                c[q].l1 = 2.0;       // strong L1 and a large step: synapses really are pruned and regrown
                c[q].maxLr = 0.05;
                c[q].threads = q + 1;
            }
            Outcome one = run(c[0], data, "ls-1");
            for (int q = 1; q < 3; q++) assertSame(one, run(c[q], data, "ls-" + (q + 1)), what + ": 1 vs " + (q + 1) + " threads");
            int L = widths.length;
            int[] budget = new int[L + 1];
            for (int s = 0; s <= L; s++) {
                int pre = s == 0 ? TrainFixtures.IN : widths[s - 1], post = s == L ? TrainFixtures.OUT : widths[s];
                budget[s] = pre * post / 2;
            }
            assertArrayEquals(budget, one.active, what + ": every layer holds its budget K after training");
            // the signs drawn at the start are the signs at the end, and every weight carries its neuron's sign
            Path start = dir.resolve("ls-start.ckpt"), end = dir.resolve("ls-end.ckpt");
            try (Trainer t = new Trainer(c[0], data, KernelProvider.get())) {
                TrainFixtures.save(t, start);
                t.run(null);
                TrainFixtures.save(t, end);
                long[] rewired = new long[L + 1];
                for (EpochRecord e : t.history()) for (int s = 0; s <= L; s++) rewired[s] += e.rewired()[s];
                for (int s = 0; s <= L; s++) assertTrue(rewired[s] > 0, what + ": synapse layer " + (s + 1) + " must really rewire, rewired " + rewired[s]);
            }
            org.myelin.io.Container a = org.myelin.io.Container.read(start, 'C'), b = org.myelin.io.Container.read(end, 'C');
            for (int s = 0; s <= L; s++) {
                String p = Model.layerName(s);
                float[] signs = (float[]) b.arrays.get("structure.signs" + (s + 1));
                assertArrayEquals((float[]) a.arrays.get("structure.signs" + (s + 1)), signs, what + ": layer " + (s + 1) + " signs unchanged");
                int[] rowPtr = (int[]) b.arrays.get(p + ".rowPtr");
                float[] w = (float[]) b.arrays.get(p + ".weights");
                assertEquals(signs.length + 1, rowPtr.length, what + ": one Dale sign per presynaptic neuron of layer " + (s + 1));
                assertEquals(budget[s], rowPtr[signs.length], what + ": layer " + (s + 1) + " CSR size");
                for (int j = 0; j < signs.length; j++) {
                    for (int q = rowPtr[j]; q < rowPtr[j + 1]; q++) {
                        assertTrue(signs[j] * w[q] > 0f, what + ": layer " + (s + 1) + " synapse " + q + " weight " + w[q] + " against sign " + signs[j]);
                    }
                }
            }
            TrainConfig full = deep(9 + v, widths, DelayMode.GAUSS, 0.5), part = deep(9 + v, widths, DelayMode.GAUSS, 0.5);
            for (TrainConfig t : new TrainConfig[] {full, part}) {
                t.structure = c[0].structure;
                t.regrowEvery = c[0].regrowEvery;
                t.riglCandidates = c[0].riglCandidates;
                t.epochs = 3;
                t.l1 = 2.0;
                t.maxLr = 0.05;
            }
            killAndResume(full, part, data, 1, 3, "deep-structure-" + v);
            v++;
        }
    }

    @Test
    void denseGaussKillAndResumeIsBitExact() throws IOException {
        Dataset.Split data = TrainFixtures.data(21, 24, 12);
        TrainConfig full = TrainFixtures.config(3);
        full.epochs = 4;
        TrainConfig part = TrainFixtures.config(3);
        part.epochs = 4;
        killAndResume(full, part, data, 2, 1, "dense");
    }

    /** Every feature augmentation on (CutMix's soft targets too): 1 and 2 threads give the same bits, and kill-and-resume ends with them too. */
    @Test
    void augmentedRunsAreBitExactAcrossThreadsAndResume() throws IOException {
        Dataset.Split data = TrainFixtures.data(23, 24, 12);
        TrainConfig one = augmented(6), two = augmented(6);
        two.threads = 2;
        Outcome a = run(one, data, "aug1");
        assertSame(a, run(two, data, "aug2"), "augmented, 1 vs 2 threads");
        assertFalse(Arrays.equals(a.model, run(TrainFixtures.config(6), data, "plain").model), "augmentation changes the run");
        TrainConfig full = augmented(6), part = augmented(6);
        full.epochs = 4;
        part.epochs = 4;
        killAndResume(full, part, data, 2, 2, "augmented");
    }

    private static TrainConfig augmented(long seed) {
        TrainConfig tc = TrainFixtures.config(seed);
        tc.augShift = 2;
        tc.augBlend = 0.5;
        tc.augNoise = 0.2;
        tc.augFreqMask = 2;
        tc.augTimeMask = 3;
        tc.augCutmix = 0.5; // mixed labels: soft targets through the loss and its gradient
        return tc;
    }

    @Test
    void sparseCsrKillAndResumeIsBitExactWithOtherThreadCount() throws IOException {
        Dataset.Split data = TrainFixtures.data(22, 24, 12);
        TrainConfig full = sparse(5);
        full.epochs = 4;
        TrainConfig part = sparse(5);
        part.epochs = 4;
        killAndResume(full, part, data, 1, 2, "sparse");
    }

    /**
     * Learnt structure (RigL every step and every 3 steps, DEEP R, with and without Dale's law):
     * θ, signs, the rewired CSR arrays and their Adam moments are all in the checkpoint, and the
     * rewiring RNG is re-seeded per epoch, so a resumed run matches the uninterrupted one bit for
     * bit — and the layers keep exactly K synapses.
     */
    @Test
    void learntStructureKillAndResumeIsBitExact() throws IOException {
        String[][] variants = {{"rigl", "1", "true", "0"}, {"rigl", "3", "true", "0"}, {"deepr", "1", "false", "0"}, {"rigl", "1", "true", "5"}};
        int v = 0;
        for (String[] var : variants) {
            Dataset.Split data = TrainFixtures.data(30 + v, 24, 12);
            TrainConfig full = TrainFixtures.config(7 + v), part = TrainFixtures.config(7 + v);
            for (TrainConfig c : new TrainConfig[] {full, part}) {
                c.sparsity = 0.5;
                c.structure = StructureKind.parse(var[0]);
                c.regrowEvery = Integer.parseInt(var[1]);
                c.dale = Boolean.parseBoolean(var[2]);
                c.riglCandidates = Integer.parseInt(var[3]);   // > 0: the sampled RigL signal
                c.epochs = 3;
                c.l1 = 2.0;     // a strong L1 pull and a large step so that synapses really are pruned and regrown
                c.maxLr = 0.05;
            }
            killAndResume(full, part, data, 1, 2, "structure-" + var[0] + "-" + var[1] + "-" + var[2] + "-" + var[3]);
            try (Trainer t = new Trainer(full, data, KernelProvider.get())) {
                t.run(null);
                long rewired = 0;
                for (Map<String, Object> e : TrainFixtures.history(t)) {
                    Object r = e.get("rewired");
                    if (r instanceof int[]) for (int x : (int[]) r) rewired += x;
                    else if (r instanceof java.util.List) for (Object x : (java.util.List<?>) r) rewired += ((Number) x).longValue();
                }
                assertTrue(rewired > 0, var[0] + ": the test must actually rewire synapses, rewired " + rewired);
                assertArrayEquals(new int[] {TrainFixtures.IN * TrainFixtures.HID / 2, TrainFixtures.HID * TrainFixtures.OUT / 2},
                        t.activeSynapses(), var[0] + ": the budget K holds after training");
            }
            v++;
        }
    }

    /** Linear delay kernels and fixed integer delays train through the CSR kernel; resume is exact there too. */
    @Test
    void linearAndFixedDelayRunsResumeBitExactly() throws IOException {
        Dataset.Split data = TrainFixtures.data(25, 24, 12);
        TrainConfig full = TrainFixtures.config(6), part = TrainFixtures.config(6);
        for (TrainConfig c : new TrainConfig[] {full, part}) {
            c.net = TrainFixtures.net(org.myelin.network.DelayMode.LINEAR);
            c.epochs = 3;
        }
        killAndResume(full, part, data, 2, 2, "linear");
        TrainConfig fixedFull = TrainFixtures.config(6), fixedPart = TrainFixtures.config(6);
        for (TrainConfig c : new TrainConfig[] {fixedFull, fixedPart}) {
            c.learnDelays = false;
            c.epochs = 3;
        }
        killAndResume(fixedFull, fixedPart, data, 1, 1, "fixed");
    }

    /**
     * The resume comparison is sensitive to the optimiser state: a checkpoint whose Adam step count
     * or first-moment array was tampered with (and re-sealed) resumes to other bits.
     */
    @Test
    void tamperedOptimiserStateIsDetectedByTheComparison() throws IOException {
        Dataset.Split data = TrainFixtures.data(26, 24, 12);
        TrainConfig tc = TrainFixtures.config(8);
        Path ck = dir.resolve("k.ckpt");
        try (Trainer t = new Trainer(tc, data, KernelProvider.get())) {
            assertThrows(Killed.class, () -> t.run((tr, rep) -> {
                TrainFixtures.save(tr, ck);
                throw new Killed();
            }));
        }
        Outcome honest;
        try (Trainer t = TrainFixtures.resume(ck, data, 1)) {
            t.run(null);
            honest = finish(t, data, "honest");
        }
        for (String tamper : new String[] {"adam_step", "adam.l1.weights.m"}) {
            org.myelin.io.Container c = org.myelin.io.Container.read(ck, 'C');
            if (tamper.equals("adam_step")) c.header.put("adam_step", ((Number) c.header.get("adam_step")).longValue() + 1);
            else Arrays.fill((float[]) c.arrays.get("adam.l1.weights.m"), 0f);
            Path bad = dir.resolve(tamper + ".ckpt");
            c.write(bad, 'C');
            try (Trainer t = TrainFixtures.resume(bad, data, 1)) {
                t.run(null);
                Outcome o = finish(t, data, tamper);
                assertFalse(Arrays.equals(honest.model, o.model), "tampered " + tamper + " should change the result");
            }
        }
    }

    /** Every setting survives the checkpoint: unusual values of each, no σ schedule, resumed bit-exactly. */
    @Test
    void unusualSettingsResumeBitExactly() throws IOException {
        Dataset.Split data = TrainFixtures.data(27, 24, 12);
        TrainConfig[] c = new TrainConfig[2];
        for (int k = 0; k < 2; k++) {
            TrainConfig tc = TrainFixtures.config(1234567890123L);
            tc.net = TrainFixtures.net(org.myelin.network.DelayMode.GAUSS).toBuilder().sigma(0.7f).tau(7.3f).threshold(0.9f).alpha(3.1f)
                    .bnMomentum(0.2f).bnEps(1e-4f).build();
            tc.epochs = 3;
            tc.batch = 7;
            tc.maxLr = 1.0 / 300;
            tc.pctStart = 0.41;
            tc.beta1Base = 0.8;
            tc.beta1Max = 0.97;
            tc.delayLr = 0.07;
            tc.dropout = 0.25;
            tc.inputScale = 1.7;
            tc.sigmaSchedule = false;
            tc.kernel = KernelChoice.CSR;
            c[k] = tc;
        }
        killAndResume(c[0], c[1], data, 1, 1, "unusual");
    }

    /** A model loads back to the same parameters it was saved from. */
    @Test
    void savedModelRoundTrips() throws IOException {
        Dataset.Split data = TrainFixtures.data(24, 16, 8);
        try (Trainer t = new Trainer(TrainFixtures.config(2), data, KernelProvider.get())) {
            t.run(null);
            Model m = t.toModel(null);
            Path f = dir.resolve("m.myelin");
            m.save(f);
            Model back = Model.load(f);
            assertArrayEquals(m.layers.get(0).denseWeights(), back.layers.get(0).denseWeights());
            assertArrayEquals(m.readout().denseDelays(), back.readout().denseDelays());
            assertArrayEquals(m.norms.get(0).mean(), back.norms.get(0).mean());
            try (org.myelin.kernel.Parallel par = new org.myelin.kernel.Parallel(1)) {
                assertEquals(t.evaluate(data.test)[1], Evaluation.run(back, data.test, 8, 2.0, KernelProvider.get(), par)[1], 0.0);
            }
        }
    }
}
