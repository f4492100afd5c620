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
 * Runs every golden case (golden/cases, and the folder named by -Dgolden.dir) through the sparse
 * (CSR) and the dense kernel, on the scalar path and — when the JVM has the Vector API module —
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
        SynapseLayer l1, l2;
        if (kind.equals("csr")) {
            l1 = CsrSynapses.fromDense(cfg.inputs, cfg.hidden(0), cfg.maxDelay, c.f("w1"), c.f("d1"));
            l2 = CsrSynapses.fromDense(cfg.hidden(0), cfg.outputs, cfg.maxDelay, c.f("w2"), c.f("d2"));
        } else {
            l1 = new DenseSynapses(cfg.inputs, cfg.hidden(0), cfg.maxDelay, c.f("w1"), c.f("d1"));
            l2 = new DenseSynapses(cfg.hidden(0), cfg.outputs, cfg.maxDelay, c.f("w2"), c.f("d2"));
        }
        float[] g = null, b = null, rm = null, rv = null;
        if (cfg.batchNorm) {
            g = c.f("bn_gamma").clone();
            b = c.f("bn_beta").clone();
            rm = new float[cfg.hidden(0)];
            rv = new float[cfg.hidden(0)];
            java.util.Arrays.fill(rv, 1f);
        }
        return new Network(cfg, l1, l2, g, b, rm, rv, ops, par);
    }

    static void run(GoldenCase c, String kind, KernelOps ops) {
        try (Parallel par = new Parallel(2)) {
            Network net = build(c, kind, ops, par);
            net.forward(c.f("x"), c.batch, true, null);
            String where = c.name + " [" + kind + ", " + ops.name() + "]";
            float[] spikes = net.spikes();
            float[] es = c.f("spikes1");
            for (int q = 0; q < es.length; q++) {
                if (spikes[q] != es[q]) {
                    int nH = c.cfg.hidden(0), T = c.cfg.steps;
                    fail(where + ": spikes1[" + q / (T * nH) + "," + (q / nH) % T + "," + q % nH + "] expected " + es[q] + " actual " + spikes[q]);
                }
            }
            compare(where, "v2", c.f("v2"), net.readoutMembrane());
            compare(where, "logits", c.f("logits"), net.logits());
            double loss = net.loss(c.i("y"));
            double el = c.f("loss")[0];
            assertEquals(el, loss, 1e-4 * Math.max(1, Math.abs(el)), where + ": loss expected " + el + " actual " + loss);
            Gradients g = new Gradients(net, true);
            net.backward(c.i("y"), g);
            // The dense gradient of every pair (RigL's signal) against grad_w.
            compare(where, "grad_w1", c.f("grad_w1"), g.synapses(0).wDense);
            compare(where, "grad_w2", c.f("grad_w2"), g.readout().wDense);
            // The per-parameter gradients, mapped to post × pre.
            compare(where, "grad_w1 (per synapse)", c.f("grad_w1"), toDense(net.synapses(0), g.synapses(0).w, c.f("grad_w1")));
            compare(where, "grad_w2 (per synapse)", c.f("grad_w2"), toDense(net.readout(), g.readout().w, c.f("grad_w2")));
            if (c.has("grad_d1")) {
                compare(where, "grad_d1", c.f("grad_d1"), toDense(net.synapses(0), g.synapses(0).d, null));
                compare(where, "grad_d2", c.f("grad_d2"), toDense(net.readout(), g.readout().d, null));
            } else {
                assertEquals(DelayMode.INT, c.cfg.delayMode, where + ": grad_d1.npy missing for a non-int case");
            }
            if (c.cfg.batchNorm) {
                compare(where, "grad_bn_gamma", c.f("grad_bn_gamma"), g.bnGamma(0));
                compare(where, "grad_bn_beta", c.f("grad_bn_beta"), g.bnBeta(0));
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
