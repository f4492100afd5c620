package org.myelin.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The DET curve and the threshold chosen for a false-alarm rate, by hand. */
class DetTest {
    @Test
    void thresholdsFalseAlarmsAndMissesByHand() {
        // 4 keyword files: hits at p 0.9, 0.6 and 0.3, one never found; 2 h of other audio with reports at 0.2, 0.5, 0.95
        StreamEval.Isolated kw = new StreamEval.Isolated(4, 1, 3, 0, 3, 4, new float[] {0.9f, 0.6f, 0.3f, 0f});
        StreamEval.FalseAlarms fa = new StreamEval.FalseAlarms(1, 7200, new float[] {0.2f, 0.5f, 0.95f});
        StreamEval.Det d = StreamEval.det(kw, fa);
        double[] th = {0, 0.2f, 0.3f, 0.5f, 0.6f, 0.9f, 0.95f, Math.nextUp(0.95f)};
        assertArrayEquals(th, d.threshold(), 0);
        assertArrayEquals(new int[] {3, 3, 2, 2, 1, 1, 1, 0}, d.falseAlarms());
        assertArrayEquals(new double[] {1.5, 1.5, 1, 1, 0.5, 0.5, 0.5, 0}, d.perHour(), 1e-12);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.5, 0.5, 0.75, 1, 1}, d.missRate(), 1e-12);
        assertEquals(2, d.choose(1), "0.3: the lowest threshold with at most 1 an hour");
        assertEquals(4, d.choose(0.5));
        assertEquals(7, d.choose(0));
        assertEquals(0, d.choose(10));
        assertEquals("threshold,false_alarms,false_alarms_per_hour,miss_rate", d.csv().lines().findFirst().orElseThrow());
        assertEquals(9, d.csv().lines().count());
        assertThrows(IllegalArgumentException.class, () -> StreamEval.det(kw, new StreamEval.FalseAlarms(0, 0, new float[0])));
    }
}
