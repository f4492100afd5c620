package org.myelin.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceptiveFieldTest {

    @Test
    @SuppressWarnings("unchecked")
    void matchesNumpyLoop() throws Exception {
        Map<String, Object> g = Golden.load("receptive.json");
        int nin = ((Number) g.get("nin")).intValue(), nh = ((Number) g.get("nh")).intValue();
        int nout = ((Number) g.get("nout")).intValue(), td = ((Number) g.get("td")).intValue();
        float[] w1 = Golden.floats(g.get("w1")), d1 = Golden.floats(g.get("d1"));
        float[] w2 = Golden.floats(g.get("w2")), d2 = Golden.floats(g.get("d2"));
        List<Object> fields = (List<Object>) g.get("fields");
        float[][] all = ReceptiveField.computeAll(nin, nh, nout, td, w1, d1, w2, d2);
        for (int k = 0; k < nout; k++) {
            assertArrayEquals(Golden.floats(fields.get(k)), all[k], 1e-6f, "class " + k);
        }
    }

    @Test
    void toyExample() {
        // 2 inputs, 2 hidden, 1 output, Td = 2: width 5
        float[] w1 = {0.7f, -0.2f, /* h1 */ 0f, 3f};
        float[] d1 = {1f, 0f, /* h1 */ 2f, 1.6f}; // 1.6 rounds to 2
        float[] w2 = {2f, -0.5f};
        float[] d2 = {0f, 2.5f}; // 2.5 rounds half-to-even to 2
        float[] f = ReceptiveField.compute(2, 2, 1, 2, w1, d1, w2, d2, 0);
        float[] want = {
            0, 2, 0, 0, 0,      // channel 0: +2 at delay 1 (h0); h1 has no synapse from channel 0
            -2, 0, 0, 0, -0.5f  // channel 1: −2 at delay 0 (h0), −0.5 at 2 + 2 (h1)
        };
        assertArrayEquals(want, f, 0f);
        assertEquals(5, ReceptiveField.width(2));
    }

    @Test
    void rejectsDelaysOutOfRange() {
        float[] w1 = {1f}, w2 = {1f}, d2 = {0f};
        assertThrows(IllegalArgumentException.class,
                () -> ReceptiveField.compute(1, 1, 1, 2, w1, new float[] {3f}, w2, d2, 0));
        assertThrows(IllegalArgumentException.class,
                () -> ReceptiveField.compute(1, 1, 1, 2, w1, new float[] {0f}, w2, new float[] {-1f}, 0));
        assertThrows(IllegalArgumentException.class,
                () -> ReceptiveField.compute(1, 1, 1, 2, w1, new float[] {0f, 0f}, w2, d2, 0));
    }
}
