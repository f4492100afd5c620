package org.myelin.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.myelin.train.TrainFixtures.doubles;
import static org.myelin.train.TrainFixtures.floats;
import static org.myelin.train.TrainFixtures.golden;
import static org.myelin.train.TrainFixtures.integer;
import static org.myelin.train.TrainFixtures.list;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.myelin.data.Dataset;
import org.myelin.kernel.KernelProvider;

/**
 * Adam and the schedules against numbers computed by PyTorch 1.13 itself (golden/train_ref.py):
 * torch.optim.Adam (float32 storage, β1 and lr changing between steps), OneCycleLR and
 * CosineAnnealingLR stepped once per epoch; σ against docs/MODEL.md's formula by repeated multiplication.
 *
 * <p>Tolerances: Adam — PyTorch computes in float32, Myelin in double then rounds to float, so each
 * parameter may differ by a few float ulps per step: |Δ| ≤ 2e-6·max(1, |p|) after up to 30 steps
 * (≈ 1e-6 relative). Schedules are double arithmetic on both sides (PyTorch's cosine is recursive,
 * Myelin's closed-form): |Δ| ≤ 1e-12·max(1e-3, |ref|) relative, 1e-15 absolute. σ: 1e-12.
 */
class ScheduleGoldenTest {

    @Test
    void adamMatchesTorchIncludingCycledBeta1() throws Exception {
        List<Map<String, Object>> cases = list(golden("adam.json").get("cases"));
        assertEquals(4, cases.size());
        for (Map<String, Object> c : cases) {
            String name = (String) c.get("name");
            int n = integer(c.get("n"));
            float[] p = floats(c.get("p0"));
            float[] m = new float[n], v = new float[n];
            double[] lr = doubles(c.get("lr")), b1 = doubles(c.get("beta1"));
            List<?> grads = (List<?>) c.get("grads"), params = (List<?>) c.get("params");
            double beta2 = ((Number) c.get("beta2")).doubleValue(), eps = ((Number) c.get("eps")).doubleValue();
            boolean moved = false;
            for (int s = 0; s < grads.size(); s++) {
                float[] g = floats(grads.get(s));
                float[] before = p.clone();
                Adam.step(p, g, m, v, n, s + 1, lr[s], b1[s], beta2, eps);
                float[] want = floats(params.get(s));
                for (int i = 0; i < n; i++) {
                    double tol = 2e-6 * Math.max(1, Math.abs(want[i]));
                    assertEquals(want[i], p[i], tol, name + ": parameter " + i + " after step " + (s + 1));
                    if (p[i] != before[i]) moved = true;
                }
            }
            assertTrue(moved, name + ": the reference should move parameters");
        }
    }

    /** The per-step change, not only the absolute value: catches errors smaller than the tolerance above. */
    @Test
    void adamUpdatesMatchTorchRelatively() throws Exception {
        for (Map<String, Object> c : list(golden("adam.json").get("cases"))) {
            int n = integer(c.get("n"));
            float[] p = floats(c.get("p0"));
            float[] m = new float[n], v = new float[n];
            double[] lr = doubles(c.get("lr")), b1 = doubles(c.get("beta1"));
            List<?> grads = (List<?>) c.get("grads"), params = (List<?>) c.get("params");
            float[] prevRef = p.clone();
            for (int s = 0; s < grads.size(); s++) {
                float[] ref = floats(params.get(s));
                float[] start = prevRef.clone(); // restart each step from torch's parameters, keep own moments
                float[] mine = start.clone();
                Adam.step(mine, floats(grads.get(s)), m, v, n, s + 1, lr[s], b1[s], 0.999, 1e-8);
                for (int i = 0; i < n; i++) {
                    double dRef = (double) ref[i] - start[i], dMine = (double) mine[i] - start[i];
                    // a step is about lr in size; compare the step to 1e-3 of lr plus two ulps of p
                    double tol = 1e-3 * lr[s] + 2 * Math.ulp(Math.abs(start[i]) + (float) lr[s]);
                    assertEquals(dRef, dMine, tol, c.get("name") + ": update of parameter " + i + " at step " + (s + 1));
                }
                prevRef = ref;
            }
        }
    }

    @Test
    void oneCycleLrAndBeta1MatchTorch() throws Exception {
        Map<String, Object> g = golden("onecycle.json");
        double maxLr = ((Number) g.get("max_lr")).doubleValue(), pct = ((Number) g.get("pct_start")).doubleValue();
        double base = ((Number) g.get("base_momentum")).doubleValue(), max = ((Number) g.get("max_momentum")).doubleValue();
        int checked = 0;
        for (Map<String, Object> run : list(g.get("runs"))) {
            int E = integer(run.get("epochs"));
            if (E < 2) continue; // see oneCycleWithOneEpochMatchesTorch
            double[] lr = doubles(run.get("lr")), b1 = doubles(run.get("beta1"));
            assertEquals(E, lr.length);
            for (int e = 0; e < E; e++) {
                assertClose(lr[e], Schedules.oneCycleLr(e, E, maxLr, pct), "OneCycle lr, epoch " + e + " of " + E);
                assertClose(b1[e], Schedules.oneCycleBeta1(e, E, pct, base, max), "OneCycle beta1, epoch " + e + " of " + E);
            }
            checked++;
        }
        assertTrue(checked >= 5, "golden OneCycle runs");
    }

    /**
     * E = 1: PyTorch's OneCycleLR with a single step is entirely in its second phase at pct = 1, so
     * the only epoch runs at the final lr (max_lr/25/1e4 = 2e-8) with β1 = max_momentum.
     */
    @Test
    void oneCycleWithOneEpochMatchesTorch() throws Exception {
        Map<String, Object> g = golden("onecycle.json");
        for (Map<String, Object> run : list(g.get("runs"))) {
            if (integer(run.get("epochs")) != 1) continue;
            assertClose(doubles(run.get("lr"))[0], Schedules.oneCycleLr(0, 1, 5e-3, 0.3), "OneCycle lr, epochs = 1");
            assertClose(doubles(run.get("beta1"))[0], Schedules.oneCycleBeta1(0, 1, 0.3, 0.85, 0.95), "OneCycle beta1, epochs = 1");
            return;
        }
        throw new AssertionError("golden onecycle.json has no run with epochs = 1");
    }

    @Test
    void cosineDelayLrMatchesTorch() throws Exception {
        Map<String, Object> g = golden("cosine.json");
        double lr0 = ((Number) g.get("lr0")).doubleValue();
        int checked = 0;
        for (Map<String, Object> run : list(g.get("runs"))) {
            int E = integer(run.get("epochs"));
            double[] lr = doubles(run.get("lr"));
            for (int e = 0; e < E; e++) assertClose(lr[e], Schedules.cosineLr(e, E, lr0), "cosine lr, epoch " + e + " of " + E);
            checked++;
        }
        assertTrue(checked >= 5);
    }

    @Test
    void sigmaFollowsModelMd() throws Exception {
        int checked = 0;
        for (Map<String, Object> run : list(golden("sigma.json").get("runs"))) {
            int E = integer(run.get("epochs")), td = integer(run.get("max_delay"));
            double[] s = doubles(run.get("sigma"));
            for (int e = 0; e < E; e++) {
                assertEquals(s[e], Schedules.sigma(e, E, td), 1e-12, "sigma, epoch " + e + " of " + E + ", Td " + td);
            }
            checked++;
        }
        assertTrue(checked >= 15);
        // and the paper's case in closed form: Td 25 → σ0 = 12, E4 = 37; 12.27 at the start, 0.5 from epoch 37 on
        assertEquals(12.27, Schedules.sigma(0, 150, 25), 1e-12);
        assertEquals(0.5, Schedules.sigma(37, 150, 25), 1e-12);
        assertEquals(0.5, Schedules.sigma(149, 150, 25), 1e-12);
        assertEquals(12 * Math.pow(0.23 / 12, 10 / 37.0) + 0.27, Schedules.sigma(10, 150, 25), 1e-12);
    }

    /** The trainer records (and so uses) the golden lr, β1, delay lr and σ of every epoch. */
    @Test
    void trainerUsesTheSchedules() throws Exception {
        int E = 4;
        Map<String, Object> oc = null, cos = null, sig = null;
        for (Map<String, Object> r : list(golden("onecycle.json").get("runs"))) if (integer(r.get("epochs")) == E) oc = r;
        for (Map<String, Object> r : list(golden("cosine.json").get("runs"))) if (integer(r.get("epochs")) == E) cos = r;
        for (Map<String, Object> r : list(golden("sigma.json").get("runs"))) {
            if (integer(r.get("epochs")) == E && integer(r.get("max_delay")) == TrainFixtures.TD) sig = r;
        }
        assertTrue(oc != null && cos != null && sig != null, "golden runs with " + E + " epochs");
        TrainConfig tc = TrainFixtures.config(3);
        tc.epochs = E;
        Dataset.Split data = TrainFixtures.data(5, 16, 8);
        try (Trainer t = new Trainer(tc, data, KernelProvider.get())) {
            t.run(null);
            List<Map<String, Object>> h = TrainFixtures.history(t);
            assertEquals(E, h.size());
            for (int e = 0; e < E; e++) {
                Map<String, Object> rep = h.get(e);
                assertEquals(e + 1, integer(rep.get("epoch")));
                assertClose(doubles(oc.get("lr"))[e], ((Number) rep.get("lr")).doubleValue(), "trainer lr, epoch " + e);
                assertClose(doubles(oc.get("beta1"))[e], ((Number) rep.get("beta1")).doubleValue(), "trainer beta1, epoch " + e);
                assertClose(doubles(cos.get("lr"))[e], ((Number) rep.get("delay_lr")).doubleValue(), "trainer delay lr, epoch " + e);
                assertEquals(doubles(sig.get("sigma"))[e], ((Number) rep.get("sigma")).doubleValue(), 1e-12, "trainer sigma, epoch " + e);
                double acc = ((Number) rep.get("test_accuracy")).doubleValue();
                assertTrue(acc >= 0 && acc <= 1);
                assertFalse(Double.isNaN(((Number) rep.get("train_loss")).doubleValue()));
            }
        }
    }

    private static void assertClose(double want, double got, String what) {
        double tol = Math.max(1e-15, 1e-12 * Math.abs(want));
        assertEquals(want, got, tol, what);
    }
}
