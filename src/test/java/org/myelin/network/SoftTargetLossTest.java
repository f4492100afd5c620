package org.myelin.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;

/**
 * The soft-target cross-entropy of CutMix's mixed labels, t = (1 − λ)·onehot(y) + λ·onehot(y2):
 * the loss is −Σ_k t_k log p_k, its gradient (finite differences through the whole readout, both
 * readouts), and λ = 0 gives the hard-label loss and gradients to the bit.
 */
class SoftTargetLossTest {
    private static final int TD = 4;

    /** A random one-hidden-layer network (dense synapses, batch norm) of the given readout and delay mode. */
    private static Network network(Readout readout, DelayMode mode, Parallel par) {
        NetConfig cfg = NetConfig.builder().inputs(9).hidden(12).outputs(5).steps(12).maxDelay(TD).sigma(1.5f).delayMode(mode)
                .readout(readout).build();
        SplittableRandom r = new SplittableRandom(23);
        float[][] w = new float[2][], d = new float[2][];
        for (int s = 0; s < 2; s++) {
            int pre = cfg.width(s), post = cfg.width(s + 1);
            w[s] = new float[post * pre];
            d[s] = new float[post * pre];
            for (int q = 0; q < w[s].length; q++) {
                w[s][q] = (float) (r.nextGaussian() * 3 / Math.sqrt(pre));
                d[s][q] = (float) (r.nextDouble() * TD);
            }
        }
        int h = cfg.hidden(0);
        float[] g = new float[h], be = new float[h], rm = new float[h], rv = new float[h];
        Arrays.fill(g, 1f);
        Arrays.fill(rv, 1f);
        return new Network(cfg, new DenseSynapses(9, h, TD, w[0], d[0]), new DenseSynapses(h, 5, TD, w[1], d[1]), g, be, rm, rv,
                KernelProvider.scalar(), par);
    }

    private static float[] input(int B) {
        SplittableRandom r = new SplittableRandom(8);
        float[] x = new float[B * 12 * 9];
        for (int q = 0; q < x.length; q++) x[q] = (float) (r.nextGaussian() * 1.5);
        return x;
    }

    /** The loss of one sample equals −Σ_k t_k log p_k with p the softmax, written out in double (to 1e-12 relative). */
    @Test
    void theLossIsTheCrossEntropyOfTheSoftTarget() {
        SplittableRandom r = new SplittableRandom(4);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + r.nextInt(30);
            float[] logits = new float[n + 3];
            for (int k = 0; k < logits.length; k++) logits[k] = (float) (r.nextGaussian() * 20);
            int y = r.nextInt(n), y2 = r.nextInt(n);
            double lambda = r.nextDouble();
            double z = 0;
            for (int k = 0; k < n; k++) z += Math.exp(logits[3 + k]);
            double want = 0;
            for (int k = 0; k < n; k++) {
                double t = (k == y ? 1 - lambda : 0) + (k == y2 ? lambda : 0);
                want -= t * Math.log(Math.exp(logits[3 + k]) / z);
            }
            assertEquals(want, Network.crossEntropy(logits, 3, n, y, y2, lambda), 1e-12 * Math.max(1, Math.abs(want)) + 1e-9, "trial " + trial);
        }
        // the hard label is the one-hot case
        float[] l = {1.5f, -2f, 0.25f};
        assertEquals(Network.crossEntropy(l, 0, 3, 2, 0, 0), Network.crossEntropy(l, 0, 3, 2), 0.0);
        assertEquals(Network.crossEntropy(l, 0, 3, 1, 1, 0.7), Network.crossEntropy(l, 0, 3, 1), 1e-15, "y2 = y: one-hot whatever λ");
    }

    /**
     * dL/dw and dL/dd of the readout synapses against central differences of the soft-target loss.
     * The readout's parameters act after the last spikes, so the loss is smooth in them and the
     * difference measures the true derivative. Step 1e-2 around the float32 forward pass: its
     * rounding (≈ 1e-7 of a loss of a few units) over 2·1e-2 is ≈ 1e-5 and the curvature error
     * (h²/6·f''') stays below 1e-4, so 2e-3 of the largest gradient + 2e-4 is allowed, as for the
     * hard labels (DeepNetworkTest); a wrong target (one-hot instead of mixed, λ on the wrong label)
     * is off by a share of the gradient itself, far more.
     */
    @Test
    void softTargetGradientMatchesFiniteDifferences() {
        int B = 8;
        float[] x = input(B);
        int[] y = {0, 1, 2, 3, 4, 0, 1, 2};
        int[] y2 = {3, 1, 4, 0, 2, 2, 0, 4};
        double[] share = {0.3, 0.9, 0.5, 0.0, 0.75, 0.1, 0.6, 0.45};
        for (Readout readout : Readout.values()) {
            for (DelayMode mode : new DelayMode[] {DelayMode.GAUSS, DelayMode.LINEAR}) {
                try (Parallel par = new Parallel(2)) {
                    Network net = network(readout, mode, par);
                    net.forward(x, B, true, null);
                    Gradients g = new Gradients(net, false);
                    net.backward(y, y2, share, g);
                    float[] gw = g.readout().w.clone(), gd = g.readout().d.clone();
                    // the mixed targets' gradient differs from the hard labels': the test can tell them apart
                    Gradients hard = new Gradients(net, false);
                    net.forward(x, B, true, null);
                    net.backward(y, hard);
                    double diff = 0;
                    for (int q = 0; q < gw.length; q++) diff = Math.max(diff, Math.abs(gw[q] - hard.readout().w[q]));
                    double scale = DeepNetworkTest.maxAbs(gw);
                    assertTrue(diff > 0.1 * scale, readout + " " + mode + ": soft and hard gradients differ (" + diff + " of " + scale + ")");
                    SynapseLayer l = readoutOf(net);
                    float[] w = l.weights(), d = l.delays();
                    for (int q = 0; q < w.length; q += 2) {
                        double fd = difference(net, x, y, y2, share, B, w, q, 1e-2f);
                        assertEquals(fd, gw[q], 2e-3 * scale + 2e-4, readout + " " + mode + ": dL/dw of readout parameter " + q);
                    }
                    double dScale = DeepNetworkTest.maxAbs(gd);
                    assertTrue(dScale > 0, "delay gradient is zero");
                    for (int q = 0; q < d.length; q += 2) {
                        if (d[q] < 0.05f || d[q] > TD - 0.05f || Math.abs(d[q] - Math.rint(d[q])) < 0.02f) continue; // a kink of the linear kernel or the clamp
                        double fd = difference(net, x, y, y2, share, B, d, q, 1e-2f);
                        assertEquals(fd, gd[q], 2e-3 * dScale + 2e-4, readout + " " + mode + ": dL/dd of readout parameter " + q);
                    }
                }
            }
        }
    }

    private static SynapseLayer readoutOf(Network net) {
        return net.readout();
    }

    private static double difference(Network net, float[] x, int[] y, int[] y2, double[] share, int B, float[] param, int q, float h) {
        float keep = param[q];
        param[q] = keep + h;
        net.forward(x, B, true, null);
        double up = net.loss(y, y2, share);
        param[q] = keep - h;
        net.forward(x, B, true, null);
        double down = net.loss(y, y2, share);
        param[q] = keep;
        return (up - down) / (2.0 * h);
    }

    /** λ = 0 everywhere (any second labels) gives exactly the hard labels' loss and every gradient's bits. */
    @Test
    void zeroShareGivesTheHardLabelBits() {
        int B = 8;
        float[] x = input(B);
        int[] y = {0, 1, 2, 3, 4, 0, 1, 2};
        int[] y2 = {3, 4, 4, 0, 2, 2, 0, 4};
        double[] zero = new double[B];
        for (Readout readout : Readout.values()) {
            try (Parallel par = new Parallel(2)) {
                Network a = network(readout, DelayMode.GAUSS, par), b = network(readout, DelayMode.GAUSS, par);
                a.forward(x, B, true, null);
                b.forward(x, B, true, null);
                assertEquals(Double.doubleToRawLongBits(a.loss(y)), Double.doubleToRawLongBits(b.loss(y, y2, zero)), readout + ": loss");
                Gradients ga = new Gradients(a, false), gb = new Gradients(b, false);
                a.backward(y, ga);
                b.backward(y, y2, zero, gb);
                for (int s = 0; s < 2; s++) {
                    assertArrayEquals(ga.synapses(s).w, gb.synapses(s).w, readout + ": dL/dw of layer " + s);
                    assertArrayEquals(ga.synapses(s).d, gb.synapses(s).d, readout + ": dL/dd of layer " + s);
                }
                assertArrayEquals(ga.bnGamma(0), gb.bnGamma(0), readout + ": dL/dγ");
                assertArrayEquals(ga.bnBeta(0), gb.bnBeta(0), readout + ": dL/dβ");
            }
        }
    }

    @Test
    void badSecondLabelsAndSharesAreRefused() {
        try (Parallel par = new Parallel(1)) {
            Network net = network(Readout.VSUM, DelayMode.GAUSS, par);
            net.forward(input(2), 2, true, null);
            int[] y = {0, 1};
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loss(y, new int[] {0, 5}, new double[] {0, 0.5}));
            assertTrue(e.getMessage().contains("second label 5 of sample 1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> net.loss(y, new int[] {0, 1}, new double[] {Double.NaN, 0.5}));
            assertTrue(e.getMessage().contains("share NaN of sample 0"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> net.loss(y, new int[] {0, 1}, null));
            assertTrue(e.getMessage().contains("soft targets"), e.getMessage());
        }
    }
}
