package org.myelin.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.myelin.kernel.KernelOps;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;

/**
 * Networks of L = 2 and 3 hidden layers: the same bits for 1, 2 and 3 threads (dense and CSR
 * synapses, every delay mode, dropout in every layer), the readout's gradient against finite
 * differences, the hidden layers' gradients are not zero, and a list that does not fit the
 * configuration is refused. (The hidden layers' surrogate gradients are checked against PyTorch
 * by the golden cases of 2 and 3 layers: a finite difference of a spiking layer's parameter
 * measures a step function, not the surrogate.)
 */
class DeepNetworkTest {
    static final int TD = 4;

    /** A random network of the given hidden widths; CSR layers at about half density when csr. */
    static final class Built {
        final NetConfig cfg;
        final List<HiddenLayer> hidden = new ArrayList<>();
        SynapseLayer readout;

        Built(int[] widths, DelayMode mode, boolean csr, boolean bn, long seed) {
            cfg = NetConfig.builder().inputs(9).hidden(widths).outputs(5).steps(12).maxDelay(TD).sigma(1.5f).delayMode(mode).batchNorm(bn).build();
            SplittableRandom r = new SplittableRandom(seed);
            for (int s = 0; s <= widths.length; s++) {
                int pre = cfg.width(s), post = cfg.width(s + 1);
                float[] w = new float[post * pre], d = new float[w.length];
                for (int q = 0; q < w.length; q++) {
                    w[q] = csr && r.nextDouble() < 0.5 ? 0f : (float) (r.nextGaussian() * 1.5 / Math.sqrt(pre) * 2);
                    d[q] = (float) (r.nextDouble() * TD);
                    if (mode == DelayMode.INT) d[q] = (float) Math.rint(d[q]);
                }
                SynapseLayer l = csr ? CsrSynapses.fromDense(pre, post, TD, w, d) : new DenseSynapses(pre, post, TD, w, d);
                if (s == widths.length) {
                    readout = l;
                } else {
                    float[] g = new float[post], be = new float[post], rm = new float[post], rv = new float[post];
                    for (int h = 0; h < post; h++) { g[h] = (float) (0.8 + 0.4 * r.nextDouble()); be[h] = (float) (0.3 * r.nextGaussian()); }
                    Arrays.fill(rv, 1f);
                    hidden.add(bn ? new HiddenLayer(l, g, be, rm, rv) : new HiddenLayer(l, null, null, null, null));
                }
            }
        }

        Network network(KernelOps ops, Parallel par) {
            return new Network(cfg, hidden, readout, ops, par);
        }
    }

    static float[] input(NetConfig cfg, int B, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[B * cfg.steps * cfg.inputs];
        for (int q = 0; q < x.length; q++) x[q] = (float) (r.nextGaussian() * 1.5);
        return x;
    }

    static int[] labels(NetConfig cfg, int B, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[B];
        for (int b = 0; b < B; b++) y[b] = r.nextInt(cfg.outputs);
        return y;
    }

    @Test
    void sameBitsForOneTwoAndThreeThreads() {
        // B = 19 runs the kernels' lane tails, B = 32 their vector blocks
        for (int[] widths : new int[][] {{14, 11}, {13, 8, 10}}) {
            for (DelayMode mode : DelayMode.values()) {
                for (boolean csr : new boolean[] {false, true}) {
                    for (int B : new int[] {19, 32}) check(widths, mode, csr, B);
                }
            }
        }
    }

    private static void check(int[] widths, DelayMode mode, boolean csr, int B) {
        String what = Arrays.toString(widths) + " " + mode + (csr ? " csr" : " dense") + " B " + B;
        List<float[]> first = null;
        for (int threads = 1; threads <= 3; threads++) {
            Built n = new Built(widths, mode, csr, true, 11);
            float[] x = input(n.cfg, B, 5);
            int[] y = labels(n.cfg, B, 6);
            float[] mask = new float[n.cfg.hiddenTotal() * B];
            SplittableRandom mr = new SplittableRandom(3);
            for (int q = 0; q < mask.length; q++) mask[q] = mr.nextDouble() < 0.3 ? 0f : 1f / 0.7f;
            try (Parallel par = new Parallel(threads)) {
                Network net = n.network(KernelProvider.get(), par);
                net.forward(x, B, true, mask);
                Gradients g = new Gradients(net, true);
                net.backward(y, g);
                List<float[]> now = new ArrayList<>();
                now.add(net.logits());
                for (int k = 0; k < widths.length; k++) {
                    now.add(net.spikes(k));
                    now.add(g.bnGamma(k));
                    now.add(g.bnBeta(k));
                }
                for (int s = 0; s <= widths.length; s++) {
                    now.add(g.synapses(s).w);
                    now.add(g.synapses(s).d);
                    now.add(g.synapses(s).wDense);
                }
                if (first == null) {
                    first = now;
                    for (int k = 0; k < widths.length; k++) {
                        float[] sp = net.spikes(k);
                        double c = 0;
                        for (float v : sp) c += v;
                        assertTrue(c > 0 && c < sp.length, what + ": hidden layer " + (k + 1) + " should spike, and not always (" + c + " of " + sp.length + ")");
                    }
                    // the first layer's gradient comes through every layer above it
                    assertTrue(maxAbs(g.synapses(0).wDense) > 0, what + ": the first layer's gradient is zero");
                } else {
                    for (int t = 0; t < now.size(); t++) assertArrayEquals(first.get(t), now.get(t), what + ": tensor " + t + " with " + threads + " threads");
                }
            }
        }
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    /**
     * The readout synapses' weights and (gauss, linear) delays of an L = 2 network against central
     * differences of the loss: the loss is smooth in them (they act after the last spikes), so
     * the difference measures the true derivative. Each difference is taken in double around the
     * float32 loss with step 1e-2; the loss's float32 rounding (≈ 1e-7 relative of a loss of a few
     * units) divided by 2·1e-2 is ≈ 1e-5, and the step's curvature error (h²/6·f''') stays below
     * 1e-4 here, so we allow 2e-3 of the largest gradient + 2e-4: a dropped tap, the wrong source
     * layer or a sign error is off by far more.
     */
    @Test
    void readoutGradientMatchesFiniteDifferencesAtDepthTwo() {
        for (DelayMode mode : new DelayMode[] {DelayMode.GAUSS, DelayMode.LINEAR, DelayMode.INT}) {
            for (boolean csr : new boolean[] {false, true}) {
                Built n = new Built(new int[] {12, 10}, mode, csr, true, 17);
                int B = 8;
                float[] x = input(n.cfg, B, 8);
                int[] y = labels(n.cfg, B, 9);
                try (Parallel par = new Parallel(2)) {
                    Network net = n.network(KernelProvider.scalar(), par);
                    net.forward(x, B, true, null);
                    Gradients g = new Gradients(net, false);
                    net.backward(y, g);
                    float[] gw = g.readout().w.clone(), gd = g.readout().d.clone();
                    float[] w = n.readout.weights(), d = n.readout.delays();
                    // running statistics move with each training forward; the loss does not read them
                    double scale = maxAbs(gw);
                    for (int q = 0; q < n.readout.size(); q += 3) {
                        double fd = difference(net, x, y, B, w, q, 1e-2f);
                        assertEquals(fd, gw[q], 2e-3 * scale + 2e-4, mode + (csr ? " csr" : " dense") + ": dL/dw of readout parameter " + q);
                    }
                    if (mode == DelayMode.INT) continue;
                    double dScale = maxAbs(gd);
                    assertTrue(dScale > 0, "delay gradient is zero");
                    for (int q = 0; q < n.readout.size(); q += 3) {
                        if (d[q] < 0.05f || d[q] > TD - 0.05f || Math.abs(d[q] - Math.rint(d[q])) < 0.02f) continue; // a kink of the linear kernel or the clamp
                        double fd = difference(net, x, y, B, d, q, 1e-2f);
                        assertEquals(fd, gd[q], 2e-3 * dScale + 2e-4, mode + (csr ? " csr" : " dense") + ": dL/dd of readout parameter " + q);
                    }
                }
            }
        }
    }

    private static double difference(Network net, float[] x, int[] y, int B, float[] param, int q, float h) {
        float keep = param[q];
        param[q] = keep + h;
        net.forward(x, B, true, null);
        double up = net.loss(y);
        param[q] = keep - h;
        net.forward(x, B, true, null);
        double down = net.loss(y);
        param[q] = keep;
        return (up - down) / (2.0 * h);
    }

    @Test
    void layerListMustFitTheConfiguration() {
        Built n = new Built(new int[] {6, 7}, DelayMode.INT, false, true, 1);
        try (Parallel par = new Parallel(1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Network(n.cfg, n.hidden.subList(0, 1), n.readout, KernelProvider.scalar(), par));
            assertTrue(e.getMessage().contains("2 hidden layers but 1"), e.getMessage());
            List<HiddenLayer> swapped = List.of(n.hidden.get(1), n.hidden.get(0));
            e = assertThrows(IllegalArgumentException.class, () -> new Network(n.cfg, swapped, n.readout, KernelProvider.scalar(), par));
            assertTrue(e.getMessage().contains("synapse layer 1 is 6 → 7 but the network is 9→6→7→5"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> NetConfig.builder().hidden(new int[9]).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetConfig.builder().hidden(new int[] {4, 0}).build());
        assertTrue(e.getMessage().contains("40→4→0→20"), e.getMessage());
    }
}
