package org.myelin.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The engine's frame check (its branch-free first pass over the exponent bits): every non-finite
 * value is refused, wherever it sits and whatever its sign or NaN payload, and every finite value,
 * the extremes and subnormals included, passes.
 */
class FrameCheckTest {
    @Test
    void refusesEveryNonFiniteValueAndPassesEveryFiniteOne() {
        float[] finite = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1f, -1f, 1e30f, -1e30f,
            Float.MAX_VALUE, -Float.MAX_VALUE, Math.nextDown(Float.MAX_VALUE)};
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0xffc00001),
            Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xff800001)};
        for (int len : new int[] {1, 7, 16, 40, 67}) {
            float[] x = new float[len + 3];
            for (int q = 0; q < x.length; q++) x[q] = finite[q % finite.length];
            assertDoesNotThrow(() -> CompiledNetwork.checkFrame(x, 2, len));
            for (float b : bad) {
                for (int q = 2; q < 2 + len; q++) {
                    float keep = x[q];
                    x[q] = b;
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompiledNetwork.checkFrame(x, 2, len));
                    assertTrue(e.getMessage().contains("at index " + q + " is not finite"), e.getMessage());
                    x[q] = keep;
                }
                // outside the checked range it is not looked at
                x[0] = b;
                x[x.length - 1] = b;
                assertDoesNotThrow(() -> CompiledNetwork.checkFrame(x, 2, len));
                x[0] = finite[0];
                x[x.length - 1] = finite[(x.length - 1) % finite.length];
            }
        }
    }
}
