package org.myelin.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.kernel.KernelOps;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;
import org.myelin.model.Model;
import org.myelin.network.CsrSynapses;
import org.myelin.network.DelayMode;
import org.myelin.network.NetConfig;
import org.myelin.network.Network;
import org.myelin.network.Readout;
import org.myelin.testing.SteadyState;
import org.myelin.train.Evaluation;

/**
 * The engine compiles a stack of hidden layers (2 and 3): step by step it fires the spikes of the
 * batch network in evaluation mode (batch norm folded, integer delays) in every layer, exactly,
 * and ends with its logits; streaming equals offline (a stream stepped frame by frame, one
 * utterance run at once, and a batch of streams give the same bits); a step allocates nothing.
 *
 * <p>Tolerance: the engine sums each spike-fed neuron's input in another order than the batch
 * kernel (ring slots in the order the spikes arrived vs the kernel's source order), so currents
 * differ by float32 rounding: EquivalenceTest measures the engine's membranes within 4.7e-6 of a
 * float64 simulation (bound 1e-5). Spikes are compared exactly, and the test asserts that no
 * membrane came within {@link #MARGIN} = 2e-5 (twice that bound, as EquivalenceTest) of the
 * threshold, so a spike flipped by rounding could not pass unnoticed; the logits agree within
 * 1e-5·max|logit| + 1e-4 (measured ≤ 2e-6 on logits of ≈ 85).
 */
class DeepEngineTest {
    static final double MARGIN = 2e-5;

    @TempDir
    Path dir;

    /** A random model of the given hidden widths, int delays, 40 % sparse, batch norm with running statistics. */
    static Model model(long seed, int[] widths, Readout readout, boolean bn) {
        NetConfig cfg = NetConfig.builder().inputs(10).hidden(widths).outputs(4).steps(30).maxDelay(5).delayMode(DelayMode.INT)
                .readout(readout).batchNorm(bn).build();
        SplittableRandom r = new SplittableRandom(seed);
        List<CsrSynapses> layers = new ArrayList<>();
        for (int s = 0; s <= widths.length; s++) {
            int pre = cfg.width(s), post = cfg.width(s + 1);
            float[] w = new float[post * pre], d = new float[w.length];
            double gain = s == 0 ? 1.2 : 2.5;
            for (int q = 0; q < w.length; q++) {
                w[q] = r.nextDouble() < 0.4 ? 0f : (float) (r.nextGaussian() * gain / Math.sqrt(pre * 0.6));
                d[q] = r.nextInt(6);
            }
            layers.add(CsrSynapses.fromDense(pre, post, 5, w, d));
        }
        List<Model.BatchNorm> norms = new ArrayList<>();
        for (int k = 0; bn && k < widths.length; k++) {
            int n = widths[k];
            float[] g = new float[n], b = new float[n], mu = new float[n], var = new float[n];
            for (int h = 0; h < n; h++) {
                g[h] = (float) (0.8 + 0.6 * r.nextDouble());
                b[h] = (float) (0.3 * r.nextGaussian());
                mu[h] = (float) (0.1 * r.nextGaussian());
                var[h] = (float) (0.5 + r.nextDouble());
            }
            norms.add(new Model.BatchNorm(g, b, mu, var));
        }
        return new Model(cfg, layers, norms, null, null, null);
    }

    static float[] inputs(long seed, int B, int T, int nIn) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[B * T * nIn];
        for (int q = 0; q < x.length; q++) x[q] = (float) (r.nextGaussian() * 1.5);
        return x;
    }

    @Test
    void aStackFiresTheBatchNetworksSpikesInEveryLayer() {
        for (int[] widths : new int[][] {{24, 18}, {20, 16, 12}}) {
            for (Readout ro : Readout.values()) {
                for (boolean bn : new boolean[] {true, false}) {
                    for (KernelOps ops : KernelProvider.available()) check(model(3 + widths.length, widths, ro, bn), ops);
                }
            }
        }
    }

    private static void check(Model m, KernelOps ops) {
        NetConfig c = m.config;
        int B = 6, T = c.steps, nIn = c.inputs, nOut = c.outputs, L = c.depth();
        String what = c.shape() + " " + c.readout.id() + (c.batchNorm ? " bn" : "") + " " + ops.name();
        float[] x = inputs(11, B, T, nIn);
        float[][] spikes = new float[L][];
        float[] logits;
        try (Parallel par = new Parallel(1)) {
            Network net = Evaluation.network(m, ops, par);
            net.forward(x, B, false, null);
            for (int k = 0; k < L; k++) spikes[k] = net.spikes(k);
            logits = net.logits();
        }
        CompiledNetwork e = CompiledNetwork.compile(m, ops);
        assertEquals(L, e.depth());
        StreamState st = e.newStream();
        float[] frame = new float[nIn], scores = new float[nOut];
        double margin = Double.MAX_VALUE, worst = 0, maxLogit = 0;
        long[] fired = new long[L];
        for (int b = 0; b < B; b++) {
            st.reset();
            for (int t = 0; t < T; t++) {
                System.arraycopy(x, (b * T + t) * nIn, frame, 0, nIn);
                st.step(frame, scores);
                for (int k = 0; k < L; k++) {
                    int n = c.hidden(k);
                    for (int h = 0; h < n; h++) {
                        boolean expected = spikes[k][(b * T + t) * n + h] != 0f;
                        if (st.spiked(k, h) != expected) {
                            fail(what + ": sample " + b + " step " + t + " layer " + (k + 1) + " neuron " + h + ": engine " + st.spiked(k, h)
                                    + ", batch network " + expected + " (u = " + st.membrane(k, h) + ")");
                        }
                        if (expected) fired[k]++;
                        margin = Math.min(margin, Math.abs(st.membrane(k, h) - c.threshold));
                    }
                }
            }
            for (int k = 0; k < nOut; k++) {
                worst = Math.max(worst, Math.abs(scores[k] - logits[b * nOut + k]));
                maxLogit = Math.max(maxLogit, Math.abs(logits[b * nOut + k]));
            }
        }
        String report = what + ": spikes per layer " + java.util.Arrays.toString(fired) + ", min |u − ϑ| " + margin + ", max |Δlogit| " + worst
                + " of max|logit| " + maxLogit;
        for (int k = 0; k < L; k++) assertTrue(fired[k] > B * T / 4, "layer " + (k + 1) + " should spike: " + report);
        assertTrue(margin > MARGIN, "a spike decision was too close to call: " + report);
        assertTrue(worst <= 1e-5 * maxLogit + 1e-4, "logits differ beyond tolerance: " + report);
    }

    @Test
    void streamingEqualsOfflineAndBatchesOfStreams() {
        Model m = model(9, new int[] {20, 16, 12}, Readout.SOFTMAXSUM, true);
        CompiledNetwork e = CompiledNetwork.compile(m);
        int T = 45, nIn = m.config.inputs, nOut = m.config.outputs, S = 3;
        float[] x = inputs(4, S, T, nIn);
        float[][] offline = new float[S][];
        for (int s = 0; s < S; s++) offline[s] = e.classify(java.util.Arrays.copyOfRange(x, s * T * nIn, (s + 1) * T * nIn));
        StreamState[] streams = new StreamState[S];
        for (int s = 0; s < S; s++) streams[s] = e.newStream();
        float[] frames = new float[S * nIn], out = new float[S * nOut];
        for (int t = 0; t < T; t++) {
            for (int s = 0; s < S; s++) System.arraycopy(x, (s * T + t) * nIn, frames, s * nIn, nIn);
            e.stepBatch(streams, frames, out);
        }
        StreamState one = e.newStream();
        float[] run = new float[nOut];
        for (int s = 0; s < S; s++) {
            assertArrayEquals(offline[s], java.util.Arrays.copyOfRange(out, s * nOut, (s + 1) * nOut), "stream " + s + ": batch of streams vs offline");
            one.run(java.util.Arrays.copyOfRange(x, s * T * nIn, (s + 1) * T * nIn), run);
            assertArrayEquals(offline[s], run, "stream " + s + ": run vs offline");
        }
    }

    /** Runs in a JVM of its own ({@code allocation-*} executions in pom.xml): see {@link SteadyState}. */
    @Test
    @Tag("allocation")
    void aStepOfAStackAllocatesNothing() {
        SteadyState meter = SteadyState.meter();
        CompiledNetwork e = CompiledNetwork.compile(model(5, new int[] {24, 18}, Readout.VSUM, true));
        StreamState s = e.newStream();
        int nIn = e.inputs();
        float[] x = inputs(2, 1, 200, nIn), frame = new float[nIn], out = new float[e.outputs()];
        // a pass is 20,000 steps: a per-step allocation would show as >= 320,000 bytes in every pass
        Runnable pass = () -> {
            for (int k = 0; k < 20_000; k++) {
                System.arraycopy(x, (k % 200) * nIn, frame, 0, nIn);
                s.step(frame, out);
            }
        };
        SteadyState.assertNothing("a 2-layer stack (20,000 steps a pass)", meter.measure("2-layer stack", pass, 3), SteadyState.ONE_OFF);
    }

    @Test
    void aModelFileOfTwoLayersCompiles() throws Exception {
        Model m = model(6, new int[] {12, 9}, Readout.VSUM, false);
        Path f = dir.resolve("deep.myelin");
        m.save(f);
        CompiledNetwork e = CompiledNetwork.load(f);
        assertEquals(2, e.depth());
        assertEquals(9, e.hidden(1));
        assertEquals(3, e.synapses().length);
    }
}
