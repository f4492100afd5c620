package org.myelin.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.myelin.kernel.KernelProvider;
import org.myelin.network.NetConfig;
import org.myelin.network.Network;
import org.myelin.kernel.Parallel;
import org.myelin.network.Readout;
import org.myelin.model.Model;

/**
 * The engine, run step by step, against the trainer's batch kernel in evaluation mode
 * ({@code forward(x, B, false, null)}: running batch-norm statistics, no dropout; scalar ops).
 *
 * <p>What may differ, and why. Both compute in float32 with the same per-step LIF and readout
 * formulas, but (a) the input current of a hidden neuron is summed in event order (by emission
 * step, then channel) instead of the kernel's gather order (by channel), and (b) with batch norm the
 * engine sums (w·s)·x and adds the folded bias b instead of computing (Σ w·x)·s + shift. Each
 * changes the last bits of a current of ≤ N_in = 24 terms: a relative error of a few 1e-7 of the
 * terms' magnitude (≈ 1e-6 absolute here), carried through β &lt; 1 recurrences (gain ≤ τ ≈ 10).
 * The test measures it: it runs a float64 simulation of the same equations alongside and asserts
 * that the engine's hidden membranes stay within {@link #U_ERR} = 1e-5 of it (measured ≤ 4.7e-6),
 * and that no membrane came closer to the threshold than {@link #SAFETY} = 2× that bound (the
 * trainer's float32 kernel has errors of the same kind and size, so no decision can flip; over
 * these seeds the closest call is 5e-5 away). Spike trains must then be <b>identical</b>, and so
 * must the predicted classes. With identical spikes the readout currents differ only by the
 * summation order of ≤ N_h weights, so logits must agree within {@link #RTOL}·max|logit| +
 * {@link #ATOL} (measured ≤ 1.2e-5 with max|logit| ≈ 25–100, printed by the test; the bound is ≥ 9×
 * the largest difference seen over these seeds and far below any missing term: one hidden weight
 * ≈ 0.1 missed once moves a vsum logit by ≈ 0.1·τ).
 */
class EquivalenceTest {
    static final double U_ERR = 1e-5;
    static final double SAFETY = 2;
    static final double RTOL = 1e-6;
    static final double ATOL = 1e-5;

    @ParameterizedTest
    @CsvSource({"1, vsum, true", "2, softmaxsum, true", "3, vsum, false", "4, softmaxsum, false"})
    void engineMatchesTrainerEvaluation(long seed, String readout, boolean bn) {
        int nIn = 24, nH = 64, nOut = 7, T = 50, Td = 9, B = 6;
        Model m = TestModels.random(seed, nIn, nH, nOut, T, Td, Readout.parse(readout), bn, 0.3f);
        float[] x = TestModels.inputs(seed + 100, B, T, nIn);
        NetConfig c = m.config;
        float[] ref, refLogits;
        int[] refPred = new int[B];
        try (Parallel par = new Parallel(1)) {
            Network k = org.myelin.train.Evaluation.network(m, KernelProvider.scalar(), par);
            k.forward(x, B, false, null);
            ref = k.spikes();
            refLogits = k.logits();
            for (int b = 0; b < B; b++) refPred[b] = k.predict(b);
        }
        CompiledNetwork net = CompiledNetwork.compile(m);
        StreamState st = net.newStream();
        float[] frame = new float[nIn], scores = new float[nOut];
        double margin = Double.MAX_VALUE, worst = 0, maxLogit = 0, uErr = 0;
        F64 f64 = new F64(m);
        long spikes = 0;
        for (int b = 0; b < B; b++) {
            st.reset();
            f64.reset();
            for (int t = 0; t < T; t++) {
                System.arraycopy(x, (b * T + t) * nIn, frame, 0, nIn);
                st.step(frame, scores);
                f64.step(frame, t);
                for (int h = 0; h < nH; h++) {
                    boolean expected = ref[(b * T + t) * nH + h] != 0f;
                    if (st.spiked(h) != expected) {
                        fail("sample " + b + " step " + t + " neuron " + h + ": engine " + st.spiked(h) + ", trainer " + expected
                                + " (u = " + st.membrane(h) + ")");
                    }
                    if (expected) spikes++;
                    margin = Math.min(margin, Math.abs(st.membrane(h) - c.threshold));
                    uErr = Math.max(uErr, Math.abs(st.membrane(h) - f64.u[h]));
                    assertEquals(expected, f64.s[h] != 0, "float64 simulation disagrees on a spike");
                }
            }
            assertEquals(refPred[b], st.predict(), "sample " + b + ": predicted class");
            for (int k = 0; k < nOut; k++) {
                worst = Math.max(worst, Math.abs(scores[k] - refLogits[b * nOut + k]));
                maxLogit = Math.max(maxLogit, Math.abs(refLogits[b * nOut + k]));
            }
        }
        String report = "seed " + seed + ": " + spikes + " spikes, min |u − ϑ| " + margin + ", max |u − u_f64| " + uErr + ", max |Δlogit| " + worst + " of max|logit| " + maxLogit;
        System.out.println(report);
        assertTrue(spikes > B * T, "too few spikes to test anything: " + report);
        assertTrue(uErr <= U_ERR, "hidden membranes drift from the float64 simulation: " + report);
        assertTrue(margin > SAFETY * U_ERR, "a spike decision was too close to call: " + report);
        assertTrue(worst <= RTOL * maxLogit + ATOL, "logits differ beyond tolerance: " + report);
    }

    /** The same network in float64, dense and time-driven (an independent check of the engine's u). */
    static final class F64 {
        final NetConfig c;
        final float[] w1, d1;
        final double[] scale, bias, u, s;
        final double[][] hist;

        F64(Model m) {
            c = m.config;
            w1 = m.layers.get(0).denseWeights();
            d1 = m.layers.get(0).denseDelays();
            scale = new double[c.hidden(0)];
            bias = new double[c.hidden(0)];
            Model.BatchNorm n = c.batchNorm ? m.norms.get(0) : null;
            for (int h = 0; h < c.hidden(0); h++) {
                scale[h] = n != null ? n.gamma()[h] / Math.sqrt((double) n.var()[h] + c.bnEps) : 1;
                bias[h] = n != null ? n.beta()[h] - n.mean()[h] * scale[h] : 0;
            }
            u = new double[c.hidden(0)];
            s = new double[c.hidden(0)];
            hist = new double[c.steps][];
        }

        void reset() {
            java.util.Arrays.fill(u, 0);
            java.util.Arrays.fill(s, 0);
        }

        void step(float[] x, int t) {
            hist[t] = new double[x.length];
            for (int j = 0; j < x.length; j++) hist[t][j] = x[j];
            double bt = 1 - 1 / (double) c.tau;
            for (int h = 0; h < c.hidden(0); h++) {
                double in = 0;
                for (int j = 0; j < c.inputs; j++) {
                    int src = t - (int) Math.rint(d1[h * c.inputs + j]);
                    if (src >= 0) in += w1[h * c.inputs + j] * hist[src][j];
                }
                u[h] = bt * u[h] * (1 - s[h]) + in * scale[h] + bias[h];
                s[h] = u[h] > c.threshold ? 1 : 0;
            }
        }
    }
}
