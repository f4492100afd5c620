package org.myelin.network;

import org.myelin.kernel.KernelOps;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every golden case of any depth (golden/cases, and the folder named by -Dgolden.dir) through
 * the sparse (CSR) and the dense kernel, on the scalar path and — when the JVM has the Vector API module —
 * the vector path, and compares every tensor of the contract.
 *
 * <p>Tolerances. The reference is float64 autograd stored as float32; the kernel computes in
 * float32 with sums of up to N_pre·(Td+1) = 1,040 terms and 80-step recurrences. The generator's
 * author measured the reference itself, run in float32, at ≤ 3e-6 of each tensor's max-abs
 * (8e-5 on one case where large gradients cancel), and no case has a hidden |u − ϑ| below 1e-4,
 * so spikes must match exactly. We allow |actual − expected| ≤ 2e-4 · max|expected| + 1e-6 for
 * every real tensor (2.5× the worst float32 rounding seen, still 100× tighter than any bug that
 * drops a term, a tap or a time step), and 1e-4 relative on the loss.
 */
class GoldenCaseTest {
    static final double RTOL = 2e-4;
    static final double ATOL = 1e-6;

    static List<Path> caseDirs() throws IOException {
        List<Path> dirs = new ArrayList<>();
        Path committed = Path.of("golden", "cases");
        if (!Files.isDirectory(committed)) throw new IllegalStateException("golden/cases not found (run from the project root)");
        addCases(committed, dirs);
        String extra = System.getProperty("golden.dir");
        if (extra != null && !extra.isBlank()) {
            Path p = Path.of(extra);
            if (!Files.isDirectory(p)) throw new IllegalArgumentException("-Dgolden.dir=" + extra + " is not a folder");
            if (Files.exists(p.resolve("case.properties"))) dirs.add(p);
            else addCases(p, dirs);
        }
        return dirs;
    }

    private static void addCases(Path root, List<Path> out) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            s.filter(Files::isDirectory).sorted().forEach(out::add);
        }
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        List<Path> dirs = caseDirs();
        assertTrue(dirs.size() >= 12, "expected at least 12 golden cases, found " + dirs.size());
        for (String deep : new String[] {"l2_gauss_vsum_bn", "l2_int_vsum_dense", "l3_int_softmaxsum_bn", "l3_sparse60_gauss_bn"}) {
            assertTrue(Files.isDirectory(Path.of("golden", "cases", deep)), "the committed cases of 2 and 3 hidden layers are missing: " + deep);
        }
        List<KernelOps> impls = new ArrayList<>();
        impls.add(KernelProvider.scalar());
        if (KernelProvider.vectorAvailable()) impls.add(KernelProvider.vector());
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : dirs) {
            for (KernelOps ops : impls) {
                for (String kind : new String[] {"csr", "dense"}) {
                    tests.add(DynamicTest.dynamicTest(dir.getFileName() + " " + kind + " " + ops.name(), () -> run(new GoldenCase(dir), kind, ops)));
                }
            }
        }
        return tests.stream();
    }

    static Network build(GoldenCase c, String kind, KernelOps ops, Parallel par) {
        NetConfig cfg = c.cfg;
        int L = cfg.depth();
        List<HiddenLayer> hidden = new ArrayList<>();
        SynapseLayer readout = null;
        for (int k = 1; k <= L + 1; k++) {
            int pre = cfg.width(k - 1), post = cfg.width(k);
            SynapseLayer l = kind.equals("csr") ? CsrSynapses.fromDense(pre, post, cfg.maxDelay, c.f("w" + k), c.f("d" + k))
                    : new DenseSynapses(pre, post, cfg.maxDelay, c.f("w" + k), c.f("d" + k));
            if (k == L + 1) {
                readout = l;
                break;
            }
            float[] g = null, b = null, rm = null, rv = null;
            if (cfg.batchNorm) {
                g = c.f(c.bn(k, "gamma")).clone();
                b = c.f(c.bn(k, "beta")).clone();
                rm = new float[post];
                rv = new float[post];
                java.util.Arrays.fill(rv, 1f);
            }
            hidden.add(new HiddenLayer(l, g, b, rm, rv));
        }
        return new Network(cfg, hidden, readout, ops, par);
    }

    static void run(GoldenCase c, String kind, KernelOps ops) {
        try (Parallel par = new Parallel(2)) {
            Network net = build(c, kind, ops, par);
            net.forward(c.f("x"), c.batch, true, null);
            String where = c.name + " [" + kind + ", " + ops.name() + "]";
            int L = c.cfg.depth(), T = c.cfg.steps;
            for (int k = 1; k <= L; k++) {
                float[] spikes = net.spikes(k - 1);
                float[] es = c.f("spikes" + k);
                int nH = c.cfg.width(k);
                for (int q = 0; q < es.length; q++) {
                    if (spikes[q] != es[q]) {
                        fail(where + ": spikes" + k + "[" + q / (T * nH) + "," + (q / nH) % T + "," + q % nH + "] expected " + es[q] + " actual " + spikes[q]);
                    }
                }
            }
            compare(where, "v" + (L + 1), c.f("v" + (L + 1)), net.readoutMembrane());
            compare(where, "logits", c.f("logits"), net.logits());
            double loss = net.loss(c.i("y"));
            double el = c.f("loss")[0];
            assertEquals(el, loss, 1e-4 * Math.max(1, Math.abs(el)), where + ": loss expected " + el + " actual " + loss);
            Gradients g = new Gradients(net, true);
            net.backward(c.i("y"), g);
            for (int k = 1; k <= L + 1; k++) {
                SynapseLayer layer = net.synapses(k - 1);
                Gradients.Layer gk = g.synapses(k - 1);
                String w = "grad_w" + k, d = "grad_d" + k;
                // the dense gradient of every pair (RigL's signal), and the per-parameter one mapped to post × pre
                compare(where, w, c.f(w), gk.wDense);
                compare(where, w + " (per synapse)", c.f(w), toDense(layer, gk.w, c.f(w)));
                if (c.has(d)) {
                    compare(where, d, c.f(d), toDense(layer, gk.d, null));
                } else {
                    assertEquals(DelayMode.INT, c.cfg.delayMode, where + ": " + d + ".npy missing for a non-int case");
                }
                if (k <= L && c.cfg.batchNorm) {
                    compare(where, "grad_" + c.bn(k, "gamma"), c.f("grad_" + c.bn(k, "gamma")), g.bnGamma(k - 1));
                    compare(where, "grad_" + c.bn(k, "beta"), c.f("grad_" + c.bn(k, "beta")), g.bnBeta(k - 1));
                }
            }
        }
    }

    /**
     * Per-parameter gradient → post × pre. For CSR, absent pairs take the expected value when
     * {@code fill} is given (they are checked through the dense gradient), else 0.
     */
    static float[] toDense(SynapseLayer layer, float[] perParam, float[] fill) {
        if (layer instanceof DenseSynapses) return perParam;
        CsrSynapses s = (CsrSynapses) layer;
        float[] out = fill == null ? new float[layer.post * layer.pre] : fill.clone();
        int[] rp = s.rowPtr(), tg = s.targets();
        for (int j = 0; j < layer.pre; j++) {
            for (int q = rp[j]; q < rp[j + 1]; q++) out[tg[q] * layer.pre + j] = perParam[q];
        }
        return out;
    }

    static void compare(String where, String tensor, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, where + ": " + tensor + " length");
        double max = 0;
        for (float e : expected) max = Math.max(max, Math.abs(e));
        double tol = RTOL * max + ATOL;
        int worst = -1;
        double worstErr = 0;
        for (int q = 0; q < expected.length; q++) {
            assertFalse(Float.isNaN(actual[q]), where + ": " + tensor + "[" + q + "] is NaN");
            double err = Math.abs(actual[q] - expected[q]);
            if (err > worstErr) {
                worstErr = err;
                worst = q;
            }
        }
        if (worstErr > tol) {
            fail(where + ": " + tensor + "[" + worst + "] expected " + expected[worst] + " actual " + actual[worst]
                    + " (|err| " + worstErr + " > tol " + tol + " = " + RTOL + "·max|expected| " + max + " + " + ATOL + ")");
        }
    }
}
