package org.myelin.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.model.Model;
import org.myelin.network.Readout;
import org.myelin.testing.SteadyState;

/** Zero allocation, bad input, reset, batching and model-file checks of the engine. */
class StreamStateTest {
    static final int IN = 16, H = 48, OUT = 5, T = 40, TD = 6;

    static CompiledNetwork net(Readout r) {
        return CompiledNetwork.compile(TestModels.random(7, IN, H, OUT, T, TD, r, true, 0.2f));
    }

    /** A snapshot of everything observable about a stream. */
    static float[] snapshot(StreamState s) {
        CompiledNetwork n = s.network();
        float[] out = new float[2 * n.hidden() + 2 * n.outputs() + 2];
        int q = 0;
        for (int h = 0; h < n.hidden(); h++) {
            out[q++] = s.membrane(h);
            out[q++] = s.spiked(h) ? 1 : 0;
        }
        float[] sc = new float[n.outputs()];
        s.scores(sc);
        for (int k = 0; k < n.outputs(); k++) {
            out[q++] = s.readoutMembrane(k);
            out[q++] = sc[k];
        }
        out[q++] = s.steps();
        out[q] = s.spikeCount();
        return out;
    }

    /**
     * Runs in a JVM of its own ({@code allocation-*} executions in pom.xml): see {@link SteadyState}.
     * The engine runs the provider's one implementation, as in an application (the executions give
     * the vector path at the CPU's width, at 256 bits, and the scalar path). Not several
     * implementations through the same engine code: that once allocated in its steady state (see the
     * engine's package documentation).
     */
    @Test
    @Tag("allocation")
    void stepAllocatesNothing() {
        SteadyState meter = SteadyState.meter();
        float[] x = TestModels.inputs(3, 1, 200, IN);
        for (Readout r : Readout.values()) {
            CompiledNetwork n = net(r);
            String name = n.describeKernels() + " " + r;
            StreamState s = n.newStream();
            float[] frame = new float[IN], out = new float[OUT];
            // a pass is 20,000 steps: an allocation per step (>= 16 bytes an object) would show as
            // >= 320,000 bytes in every pass
            Runnable pass = () -> {
                for (int k = 0; k < 20_000; k++) {
                    System.arraycopy(x, (k % 200) * IN, frame, 0, IN);
                    s.step(frame, out);
                }
            };
            long[] windows = meter.measure(name, pass, 3);
            SteadyState.assertNothing(name + " (20,000 steps a pass)", windows, SteadyState.ONE_OFF);
            assertTrue(s.steps() >= (SteadyState.QUIET + 3) * 20_000 && s.steps() % 20_000 == 0, "steps " + s.steps());
            // the event path ran: spikeCount() is the number of hidden neurons that spiked in the
            // last step, and over one more utterance some steps have spikes
            long fired = 0;
            for (int k = 0; k < 200; k++) {
                System.arraycopy(x, k * IN, frame, 0, IN);
                s.step(frame, out);
                int c = 0;
                for (int h = 0; h < n.hidden(); h++) if (s.spiked(h)) c++;
                assertEquals(c, s.spikeCount(), "step " + k);
                fired += c;
            }
            assertTrue(fired > 0, name + ": no hidden spike in 200 steps; the allocation check did not exercise spike delivery");
        }
    }

    @Test
    void badInputLeavesStateUnchanged() {
        CompiledNetwork n = net(Readout.VSUM);
        StreamState s = n.newStream();
        float[] x = TestModels.inputs(5, 1, 10, IN);
        float[] frame = new float[IN], out = new float[OUT];
        for (int t = 0; t < 10; t++) {
            System.arraycopy(x, t * IN, frame, 0, IN);
            s.step(frame, out);
        }
        float[] before = snapshot(s);
        float[] outBefore = out.clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.step(new float[IN + 1], out));
        assertTrue(e.getMessage().contains("expected N_in = " + IN), e.getMessage());
        float[] nan = frame.clone();
        nan[IN - 1] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> s.step(nan, out));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        float[] inf = frame.clone();
        inf[0] = Float.POSITIVE_INFINITY;
        assertThrows(IllegalArgumentException.class, () -> s.step(inf, out));
        assertThrows(IllegalArgumentException.class, () -> s.step(frame, new float[OUT + 1]));
        float[] utt = x.clone();
        utt[utt.length - 1] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> s.run(utt, null));
        StreamState other = n.newStream();
        float[] frames2 = new float[2 * IN];
        frames2[IN + 3] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> n.stepBatch(new StreamState[] {other, s}, frames2, null));
        assertThrows(IllegalArgumentException.class, () -> n.stepBatch(new StreamState[] {s, s}, new float[2 * IN], null));
        assertThrows(IllegalArgumentException.class, () -> net(Readout.VSUM).stepBatch(new StreamState[] {s}, new float[IN], null));
        assertArrayEquals(before, snapshot(s), "state changed by rejected input");
        assertArrayEquals(outBefore, out, "scores written by rejected input");
        assertEquals(0, other.steps());
        // ... and the stream still continues exactly like an untouched twin.
        StreamState twin = n.newStream();
        for (int t = 0; t < 10; t++) {
            System.arraycopy(x, t * IN, frame, 0, IN);
            twin.step(frame, null);
        }
        s.step(frame, null);
        twin.step(frame, null);
        assertArrayEquals(snapshot(twin), snapshot(s));
    }

    @Test
    void batchOnAThreadTeamGivesTheSameBits() {
        CompiledNetwork n = net(Readout.VSUM);
        int S = 7;
        float[] x = TestModels.inputs(12, S, T, IN);
        int[] threads = {0, 1, 2, 3};   // 0: no team (the serial loop)
        float[][] outs = new float[threads.length][S * OUT];
        for (int v = 0; v < threads.length; v++) {
            try (org.myelin.kernel.Parallel team = threads[v] == 0 ? null : new org.myelin.kernel.Parallel(threads[v])) {
                StreamState[] streams = new StreamState[S];
                for (int b = 0; b < S; b++) streams[b] = n.newStream();
                float[] frames = new float[S * IN];
                for (int t = 0; t < T; t++) {
                    for (int b = 0; b < S; b++) System.arraycopy(x, (b * T + t) * IN, frames, b * IN, IN);
                    n.stepBatch(streams, frames, outs[v], team);
                }
                for (StreamState st : streams) assertEquals(T, st.steps());
            }
        }
        assertArrayEquals(outs[0], outs[1], "a one-thread team vs no team");
        assertArrayEquals(outs[0], outs[2], "2 threads vs no team");
        assertArrayEquals(outs[0], outs[3], "3 threads vs no team");
        assertTrue(outs[0][0] != 0f, "the scores moved");
        // bad input is refused before any stream moves, with a team too
        try (org.myelin.kernel.Parallel team = new org.myelin.kernel.Parallel(2)) {
            StreamState a = n.newStream(), b = n.newStream();
            float[] frames = new float[2 * IN];
            frames[IN + 3] = Float.NaN;
            assertThrows(IllegalArgumentException.class, () -> n.stepBatch(new StreamState[] {a, b}, frames, null, team));
            assertEquals(0, a.steps());
            assertEquals(0, b.steps());
        }
    }

    @Test
    void resetBatchAndRunAgreeWithSingleSteps() {
        CompiledNetwork n = net(Readout.SOFTMAXSUM);
        int S = 3;
        float[] x = TestModels.inputs(11, S, T, IN);
        float[][] expected = new float[S][OUT];
        StreamState single = n.newStream();
        float[] frame = new float[IN];
        for (int b = 0; b < S; b++) {
            single.reset();
            for (int t = 0; t < T; t++) {
                System.arraycopy(x, (b * T + t) * IN, frame, 0, IN);
                single.step(frame, expected[b]);
            }
        }
        StreamState[] streams = {n.newStream(), n.newStream(), n.newStream()};
        float[] frames = new float[S * IN], out = new float[S * OUT];
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < S; b++) System.arraycopy(x, (b * T + t) * IN, frames, b * IN, IN);
            n.stepBatch(streams, frames, out);
        }
        float[] utt = new float[T * IN], sc = new float[OUT];
        for (int b = 0; b < S; b++) {
            float[] got = new float[OUT];
            System.arraycopy(out, b * OUT, got, 0, OUT);
            assertArrayEquals(expected[b], got, "batched stream " + b);
            System.arraycopy(x, b * T * IN, utt, 0, T * IN);
            int cls = streams[0].run(utt, sc); // run() resets first
            assertArrayEquals(expected[b], sc, "run() of sample " + b);
            assertEquals(CompiledNetwork.argmax(expected[b]), cls);
            assertArrayEquals(expected[b], n.classify(utt), "classify() of sample " + b);
        }
    }

    @Test
    void modelFromAnotherVersionIsRefused(@TempDir Path dir) throws Exception {
        Model m = TestModels.random(9, IN, H, OUT, T, TD, Readout.VSUM, true, 0.2f);
        Path f = dir.resolve("m.myelin");
        m.save(f);
        assertEquals(48, CompiledNetwork.load(f).hidden());
        byte[] b = Files.readAllBytes(f);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 2);
        Path g = dir.resolve("v2.myelin");
        Files.write(g, b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompiledNetwork.load(g));
        assertTrue(e.getMessage().contains("version 2") && e.getMessage().contains(g.toString()), e.getMessage());
    }

    @Test
    void nonIntegerDelaysAreRoundedHalfToEven() {
        // One input → one hidden neuron → one output; delay 2.5 rounds to 2 (half to even), 3.5 to 4.
        for (float[] c : new float[][] {{2.5f, 2}, {3.5f, 4}, {1.4f, 1}}) {
            org.myelin.network.NetConfig cfg = org.myelin.network.NetConfig.builder().inputs(1).hidden(1).outputs(1).steps(10).maxDelay(5)
                    .delayMode(org.myelin.network.DelayMode.GAUSS).batchNorm(false).build();
            Model m = new Model(cfg, org.myelin.network.CsrSynapses.fromDense(1, 1, 5, new float[] {2f}, new float[] {c[0]}),
                    org.myelin.network.CsrSynapses.fromDense(1, 1, 5, new float[] {1f}, new float[] {0f}), null, null, null, null, null);
            StreamState s = CompiledNetwork.compile(m).newStream();
            s.step(new float[] {1f}, null);
            int fired = -1;
            for (int t = 0; t < 8 && fired < 0; t++) {
                if (s.spiked(0)) fired = t;
                else s.step(new float[] {0f}, null);
            }
            assertEquals((int) c[1], fired, "delay " + c[0]);
        }
    }

    /**
     * The output ring (2R slots, the upper half moved down each cycle) sums every target's inputs in
     * the order of a plain wrapping R-slot ring: checked bit for bit against that ring, written out
     * here from the model's own layer-2 synapses and the engine's spikes, over many cycles and both
     * readouts, with every weight non-zero so that several deliveries land in one cell.
     */
    @Test
    void outputRingSumsAsAWrappingRing() {
        for (Readout r : Readout.values()) {
            Model m = TestModels.random(11, IN, H, OUT, T, TD, r, true, 0f);
            CompiledNetwork n = CompiledNetwork.compile(m);
            StreamState s = n.newStream();
            int R = TD + 1, steps = 9 * R + 3;
            float beta = m.config.beta();
            org.myelin.network.CsrSynapses l2 = m.readout();
            int[] rp = l2.rowPtr(), tg = l2.targets();
            float[] w = l2.weights(), d = l2.delays();
            float[] ring = new float[R * OUT], v = new float[OUT];
            float[] x = TestModels.inputs(5, 1, steps, IN), frame = new float[IN];
            int spikes = 0, shared = 0;
            for (int t = 0; t < steps; t++) {
                System.arraycopy(x, t * IN, frame, 0, IN);
                s.step(frame, null);
                int slot = t % R;
                for (int h = 0; h < H; h++) {
                    if (!s.spiked(h)) continue;
                    spikes++;
                    for (int q = rp[h]; q < rp[h + 1]; q++) {
                        int cell = ((slot + org.myelin.network.DelayKernels.intTap(d[q])) % R) * OUT + tg[q];
                        if (ring[cell] != 0f) shared++;
                        ring[cell] += w[q];
                    }
                }
                for (int k = 0; k < OUT; k++) {
                    v[k] = v[k] * beta + ring[slot * OUT + k];
                    ring[slot * OUT + k] = 0f;
                    assertEquals(Float.floatToIntBits(v[k]), Float.floatToIntBits(s.readoutMembrane(k)),
                            r + ", step " + t + ", output " + k + ": " + v[k] + " vs " + s.readoutMembrane(k));
                }
            }
            assertTrue(spikes > steps, "too few spikes to exercise the ring: " + spikes);
            assertTrue(shared > steps, "too few cells summing several deliveries: " + shared);
        }
    }
}
