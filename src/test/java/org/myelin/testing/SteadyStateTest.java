package org.myelin.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The meter of the zero-allocation tests can fail: a pass that allocates never reaches the steady state. */
class SteadyStateTest {
    static volatile Object sink;

    @Test
    void aPassThatAllocatesIsCaughtWithItsBytes() {
        SteadyState meter = SteadyState.meter();
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> meter.measure("leaky", () -> sink = new byte[4096], 3, 500));
        assertTrue(e.getMessage().startsWith("leaky: no steady state within 0.5 s") && e.getMessage().contains("bytes per pass ["), e.getMessage());
        // and the check of measured passes refuses any pass over the slack, or no pass at 0
        assertThrows(AssertionFailedError.class, () -> SteadyState.assertNothing("w", new long[] {0, 2048, 0}, 1024));
        assertThrows(AssertionFailedError.class, () -> SteadyState.assertNothing("w", new long[] {16, 16, 16}, 1024));
        assertThrows(AssertionFailedError.class, () -> SteadyState.assertNothing("w", new long[] {0, 16, 16}, 1024));
        // one pass with a one-off event of the JVM is not a per-step allocation
        SteadyState.assertNothing("w", new long[] {0, 1384, 0}, 4096);
    }

    @Test
    void aPassThatAllocatesNothingMeasuresZero() {
        SteadyState meter = SteadyState.meter();
        int[] a = new int[1024];
        long[] w = meter.measure("quiet", () -> {
            for (int i = 0; i < a.length; i++) a[i] += i;
        }, 3);
        SteadyState.assertNothing("quiet", w, SteadyState.ONE_OFF);
    }
}
