package org.myelin.network;

import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input gets an IllegalArgumentException that names what is wrong, never a wrong number. */
class BadInputTest {
    static void fails(Executable e, String... words) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String w : words) assertTrue(ex.getMessage().contains(w), "message '" + ex.getMessage() + "' should mention '" + w + "'");
    }

    @Test
    void csrRejectsBadSynapses() {
        float[] w = {1, 0, 2, 0, 0, 3};
        float[] d = {0, 1, 2, 3, 4, 5};
        fails(() -> CsrSynapses.fromDense(3, 2, 4, w, d), "delay", "outside [0, 4]", "(1, 2)");
        fails(() -> CsrSynapses.fromDense(3, 2, 5, new float[] {1, Float.NaN, 0, 0, 0, 0}, d), "weight", "(0, 1)", "not finite");
        fails(() -> CsrSynapses.fromDense(3, 2, 5, new float[5], d), "weights", "2×3");
        fails(() -> CsrSynapses.fromList(3, 2, 5, new int[] {0, 0}, new int[] {1, 1}, new float[] {1, 2}, new float[] {0, 0}), "duplicate pair", "pre 0", "post 1");
        fails(() -> CsrSynapses.fromList(3, 2, 5, new int[] {3}, new int[] {1}, new float[] {1}, new float[] {0}), "presynaptic index 3");
        fails(() -> CsrSynapses.fromList(3, 2, 5, new int[] {0}, new int[] {1}, new float[] {1}, new float[] {-0.5f}), "delay -0.5");
        fails(() -> new DenseSynapses(3, 2, 5, w, new float[] {0, 1, 2, 3, 4, Float.NaN}), "delay", "NaN");
    }

    @Test
    void networkRejectsBadShapesAndValues() {
        NetConfig cfg = NetConfig.builder().inputs(3).hidden(2).outputs(2).steps(4).maxDelay(1).batchNorm(false).build();
        SynapseLayer l1 = new DenseSynapses(3, 2, 1, new float[6], new float[6]);
        SynapseLayer l2 = new DenseSynapses(2, 2, 1, new float[4], new float[4]);
        SynapseLayer wrong = new DenseSynapses(2, 3, 1, new float[6], new float[6]);
        try (Parallel par = new Parallel(1)) {
            fails(() -> new Network(cfg, wrong, l2, null, null, null, null, KernelProvider.scalar(), par), "layer 1 is 2 → 3");
            Network net = new Network(cfg, l1, l2, null, null, null, null, KernelProvider.scalar(), par);
            fails(() -> net.forward(new float[23], 2, true, null), "input has 23 values", "2×4×3");
            float[] x = new float[24];
            x[13] = Float.POSITIVE_INFINITY;
            fails(() -> net.forward(x, 2, true, null), "sample 1", "step 0", "channel 1", "not finite");
            net.forward(new float[24], 2, true, null);
            fails(() -> net.loss(new int[] {0, 2}), "label 2", "sample 1");
            fails(() -> net.loss(new int[] {0}), "expected 2 values");
            fails(() -> net.forward(new float[24], 2, true, new float[3]), "dropout mask");
        }
        fails(() -> NetConfig.builder().tau(0.5f).build(), "tau");
        fails(() -> DelayMode.parse("cubic"), "cubic");
    }
}
