package org.myelin.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.myelin.data.GeneratedAudio;
import org.myelin.data.LogMel;
import org.myelin.kernel.KernelOps;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.TestKernels;
import org.myelin.model.Model;
import org.myelin.network.Readout;
import org.myelin.testing.SteadyState;

/**
 * The background warm-up ({@link Warmup}): a stream that starts on the scalar kernels and moves to
 * the vector kernels at some step gives the same bits, at every step, as the pure scalar and the
 * pure vector streams — whatever the step of the switch — on the equivalence cases of
 * {@link KernelChoiceTest} (random models of the paper's size, dense and sparse) and on a model
 * trained here on generated audio, fed the log-Mel frames of its recordings. And the thread: a
 * daemon, started by the first stream, publishing the kernels the streams then take.
 */
class WarmupTest {
    /** Switch steps: the first, within the first ring cycle (R = Td + 1), at its end, and later. */
    static final int[] SWITCH = {0, 1, 7, 25, 26, 51, 80, 133, 200};

    @TempDir
    static Path dir;
    static Model trained;
    static float[] trainedFrames;

    /** Trains a small model (Td = 25, 64 hidden neurons) on generated words; its input: their log-Mel frames, back to back. */
    @BeforeAll
    static void train() throws Exception {
        Path audio = GeneratedAudio.toneFsdd(dir.resolve("audio"), 8000);
        Path model = dir.resolve("words.myelin");
        org.myelin.cli.CliRuns.trainOrFail("--data", audio.toString(), "--no-cache", "--epochs", "2", "--hidden", "64", "--max-delay", "25",
                "--batch", "8", "--threads", "1", "--seed", "5", "--out", model.toString());
        trained = Model.load(model);
        Random r = new Random(11);
        List<float[]> parts = new ArrayList<>();
        int n = 0;
        for (int w = 0; w < 6; w++) {
            float[] f = LogMel.features(GeneratedAudio.word(w % 3, 8000, r), trained.recipe);
            parts.add(f);
            n += f.length;
        }
        trainedFrames = new float[n];
        int q = 0;
        for (float[] f : parts) {
            System.arraycopy(f, 0, trainedFrames, q, f.length);
            q += f.length;
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 0.0, vsum, true", "2, 0.875, vsum, true", "3, 0.3, softmaxsum, false", "4, 0.0, softmaxsum, true"})
    void aSwitchAtAnyStepGivesTheBitsOfEitherKernels(long seed, float zeroFrac, String readout, boolean bn) {
        assumeTrue(KernelProvider.vectorAvailable(), "Vector API module absent in this JVM (the scalar surefire run): one set of kernels, no switch");
        Model m = TestModels.random(seed, 40, 256, 20, 80, 25, Readout.parse(readout), bn, zeroFrac);
        float[] x = TestModels.inputs(seed + 50, 3, 80, 40);
        for (KernelOps impl : TestKernels.vectorImpls()) {
            switches(m, x, impl);
            switches(m, x, TestKernels.cellsForced(impl));
        }
    }

    @Test
    void aSwitchAtAnyStepGivesTheBitsOfEitherKernelsOnATrainedModel() {
        assumeTrue(KernelProvider.vectorAvailable(), "Vector API module absent in this JVM (the scalar surefire run): one set of kernels, no switch");
        assertEquals(25, trained.config.maxDelay);
        for (KernelOps impl : TestKernels.vectorImpls()) {
            switches(trained, trainedFrames, impl);
            switches(trained, trainedFrames, TestKernels.cellsForced(impl));
        }
    }

    /**
     * For every switch step: a stream of a warming network, whose vector kernels are published
     * after that step, against a stream on the scalar kernels and one on {@code impl}, all bits at
     * every step, over all of {@code x} (no reset: the rings and history wrap many times).
     */
    static void switches(Model m, float[] x, KernelOps impl) {
        CompiledNetwork scalar = CompiledNetwork.compile(m, KernelProvider.scalar()), vector = CompiledNetwork.compile(m, impl);
        int nIn = scalar.inputs(), nOut = scalar.outputs(), steps = x.length / nIn;
        assertTrue(steps > SWITCH[SWITCH.length - 1] + 20, "steps " + steps);
        String what = vector.describeKernels();
        long spikes = 0;
        for (int at : SWITCH) {
            CompiledNetwork warming = CompiledNetwork.warming(m, impl);
            Warmup w = warming.warmup();
            // a stream made directly does not start the thread: the test publishes at step `at`
            StreamState a = scalar.newStream(), b = vector.newStream(), c = new StreamState(warming);
            float[] frame = new float[nIn], sa = new float[nOut], sb = new float[nOut], sc = new float[nOut];
            for (int t = 0; t < steps; t++) {
                if (t == at) {
                    assertTrue(warming.describeKernels().startsWith("scalar: ") && warming.describeKernels().contains("warming up"), warming.describeKernels());
                    w.publish();
                }
                System.arraycopy(x, t * nIn, frame, 0, nIn);
                a.step(frame, sa);
                b.step(frame, sb);
                c.step(frame, sc);
                assertSame(t < at ? null : w.ready(), c.kernels, what + ": switch at " + at + ", step " + t);
                String where = what + ": switch at " + at + ", step " + t;
                for (int h = 0; h < scalar.hidden(); h++) {
                    int u = Float.floatToIntBits(a.membrane(h));
                    if (u != Float.floatToIntBits(b.membrane(h)) || u != Float.floatToIntBits(c.membrane(h))) {
                        throw new AssertionError(where + ", hidden " + h + ": membranes " + a.membrane(h) + " / " + b.membrane(h) + " / " + c.membrane(h));
                    }
                    assertEquals(a.spiked(h), c.spiked(h), where);
                    if (a.spiked(h)) spikes++;
                }
                for (int k = 0; k < nOut; k++) {
                    if (Float.floatToIntBits(sa[k]) != Float.floatToIntBits(sb[k]) || Float.floatToIntBits(sa[k]) != Float.floatToIntBits(sc[k])) {
                        throw new AssertionError(where + ", score " + k + ": " + sa[k] + " / " + sb[k] + " / " + sc[k]);
                    }
                }
            }
            assertFalse(w.started(), "no thread: the test switched");
            assertEquals(what, warming.describeKernels(), "after the switch the network says what runs");
        }
        assertTrue(spikes > 100 * SWITCH.length, "the model must spike for the comparison to mean something: " + spikes);
    }

    /** The real thing: the first stream starts a daemon thread that publishes the provider's kernels; the stream moves to them and keeps the scalar bits. */
    @Test
    void theDaemonThreadWarmsTheProvidersKernelsAndTheStreamMoves() throws Exception {
        CompiledNetwork warming = CompiledNetwork.compile(trained, true);
        if (KernelProvider.get() == KernelProvider.scalar()) {
            assertNull(warming.warmup(), "scalar kernels chosen: nothing to warm");
            assertTrue(warming.describeKernels().startsWith("scalar: "), warming.describeKernels());
            return;
        }
        Warmup w = warming.warmup();
        assertNotNull(w);
        assertFalse(w.started(), "compiling starts no thread");
        CompiledNetwork scalar = CompiledNetwork.compile(trained, KernelProvider.scalar());
        StreamState a = scalar.newStream(), c = warming.newStream();
        assertTrue(w.started());
        Thread t = Thread.getAllStackTraces().keySet().stream().filter(th -> th.getName().equals("myelin-kernel-warmup")).findFirst().orElse(null);
        assertTrue(t == null || t.isDaemon(), "the warm-up thread is a daemon: it never keeps a JVM alive");
        int nIn = scalar.inputs(), nOut = scalar.outputs(), frames = trainedFrames.length / nIn;
        float[] frame = new float[nIn], sa = new float[nOut], sc = new float[nOut];
        long deadline = System.currentTimeMillis() + 180_000;
        int switchedAt = -1;
        for (int t2 = 0; switchedAt < 0 || t2 < switchedAt + 500; t2++) {
            System.arraycopy(trainedFrames, (t2 % frames) * nIn, frame, 0, nIn);
            a.step(frame, sa);
            c.step(frame, sc);
            for (int k = 0; k < nOut; k++) assertEquals(Float.floatToIntBits(sa[k]), Float.floatToIntBits(sc[k]), "step " + t2 + " score " + k);
            if (switchedAt < 0 && c.kernels != null) switchedAt = t2;
            if (switchedAt < 0 && System.currentTimeMillis() > deadline) throw new AssertionError("no switch within 180 s; warm-up steps " + w.steps());
            if (switchedAt < 0 && t2 % 100 == 99) Thread.sleep(5);
        }
        assertSame(w.ready(), c.kernels);
        assertSame(KernelProvider.get(), c.kernels.ops, "the provider's kernels");
        assertTrue(w.steps() >= Warmup.BATCH, "the thread ran the kernels: " + w.steps());
        assertFalse(warming.describeKernels().contains("warming"), warming.describeKernels());
        // a second stream starts on the warm kernels at once
        StreamState d = warming.newStream();
        d.step(frame, sc);
        assertSame(w.ready(), d.kernels);
    }

    /** A warm-up that fails (here: building the vector kernels throws) leaves the streams on the scalar kernels, saying so. */
    @Test
    void aFailedWarmUpLeavesTheStreamsOnTheScalarKernels() throws Exception {
        CompiledNetwork warming = CompiledNetwork.warming(trained, () -> {
            throw new IllegalStateException("no vector kernels in this test");
        });
        CompiledNetwork scalar = CompiledNetwork.compile(trained, KernelProvider.scalar());
        StreamState a = scalar.newStream(), c = warming.newStream();
        Warmup w = warming.warmup();
        assertTrue(w.started());
        long deadline = System.currentTimeMillis() + 60_000;
        while (!warming.describeKernels().contains("did not warm up")) {
            assertTrue(System.currentTimeMillis() < deadline, "the failure is seen: " + warming.describeKernels());
            Thread.sleep(10);
        }
        int nIn = scalar.inputs(), nOut = scalar.outputs();
        float[] frame = new float[nIn], sa = new float[nOut], sc = new float[nOut];
        for (int t = 0; t < 100; t++) {
            System.arraycopy(trainedFrames, t * nIn, frame, 0, nIn);
            a.step(frame, sa);
            c.step(frame, sc);
            assertEquals(java.util.Arrays.toString(sa), java.util.Arrays.toString(sc));
        }
        assertNull(c.kernels, "still following the network: its scalar kernels");
        assertNull(w.ready());
        assertTrue(warming.describeKernels().startsWith("scalar: "), warming.describeKernels());
    }

    /** Warm-up off: the stream runs the vector kernels from its first step and starts no thread. */
    @Test
    void aStreamWithoutWarmUpRunsTheVectorKernelsAtOnce() {
        assumeTrue(KernelProvider.vectorAvailable(), "Vector API module absent in this JVM: one set of kernels");
        for (KernelOps impl : TestKernels.vectorImpls()) {
            CompiledNetwork warming = CompiledNetwork.warming(trained, impl);
            StreamState s = warming.newStream(false);
            assertNotNull(s.kernels);
            assertSame(impl, s.kernels.ops);
            assertFalse(warming.warmup().started());
            assertNull(warming.warmup().ready(), "built, not published: other streams still start on the scalar kernels");
            float[] scores = warming.classify(java.util.Arrays.copyOf(trainedFrames, 80 * warming.inputs()), false);
            assertEquals(CompiledNetwork.compile(trained, impl).classify(java.util.Arrays.copyOf(trainedFrames, 80 * warming.inputs())).length, scores.length);
            assertFalse(warming.warmup().started(), "classify without warm-up starts no thread either");
        }
    }

    /**
     * Zero allocation once warm: a stream that started on the scalar kernels, after its switch, in a
     * JVM of its own (the allocation executions of pom.xml; see {@link SteadyState}).
     */
    @Test
    @Tag("allocation")
    void aSwitchedStreamAllocatesNothingInTheSteadyState() throws Exception {
        SteadyState meter = SteadyState.meter();
        CompiledNetwork warming = CompiledNetwork.compile(TestModels.random(1, 40, 256, 20, 80, 25, Readout.VSUM, true, 0f), true);
        StreamState s = warming.newStream();
        float[] x = TestModels.inputs(3, 1, 200, 40), frame = new float[40], out = new float[20];
        long deadline = System.currentTimeMillis() + 120_000;
        for (int k = 0; warming.warmup() != null && s.kernels == null; k++) {
            System.arraycopy(x, (k % 200) * 40, frame, 0, 40);
            s.step(frame, out);
            if (k % 100 == 99) Thread.sleep(5);
            assertTrue(System.currentTimeMillis() < deadline, "no switch within 120 s");
        }
        String name = warming.describeKernels();
        Runnable pass = () -> {
            for (int k = 0; k < 20_000; k++) {
                System.arraycopy(x, (k % 200) * 40, frame, 0, 40);
                s.step(frame, out);
            }
        };
        long[] windows = meter.measure(name, pass, 3);
        SteadyState.assertNothing(name + " after the switch (20,000 steps a pass)", windows, SteadyState.ONE_OFF);
    }
}
