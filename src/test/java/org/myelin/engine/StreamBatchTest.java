package org.myelin.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.myelin.kernel.Readout;

/** Streams as lanes must be bit-identical to stepping each stream alone. */
class StreamBatchTest {
    static final int IN = 12, H = 40, OUT = 6, T = 30, TD = 5, S = 5;

    @ParameterizedTest
    @EnumSource(Readout.class)
    void lanesAreBitIdenticalToSingleStreams(Readout r) {
        CompiledNetwork n = CompiledNetwork.compile(TestModels.random(31, IN, H, OUT, T, TD, r, true, 0.3f));
        float[] x = TestModels.inputs(32, S, 2 * T, IN); // inputs() makes ~10 % exact zeros
        StreamBatch batch = new StreamBatch(n, S);
        StreamState[] single = new StreamState[S];
        for (int s = 0; s < S; s++) single[s] = n.newStream();
        float[] frames = new float[S * IN], out = new float[S * OUT], frame = new float[IN], one = new float[OUT], lane = new float[OUT];
        long spikes = 0;
        for (int t = 0; t < 2 * T; t++) {
            if (t == 17) { // recycle lane 2 mid-stream, at a ring slot ≠ 0
                batch.reset(2);
                single[2].reset();
            }
            for (int s = 0; s < S; s++) System.arraycopy(x, (s * 2 * T + t) * IN, frames, s * IN, IN);
            batch.step(frames, out);
            for (int s = 0; s < S; s++) {
                System.arraycopy(frames, s * IN, frame, 0, IN);
                single[s].step(frame, one);
                System.arraycopy(out, s * OUT, lane, 0, OUT);
                assertArrayEquals(one, lane, "lane " + s + " step " + t);
                for (int h = 0; h < H; h++) {
                    assertEquals(single[s].spiked(h), batch.spiked(s, h));
                    if (batch.spiked(s, h)) spikes++;
                }
                assertEquals(single[s].steps(), batch.steps(s));
                assertEquals(single[s].predict(), batch.predict(s));
            }
        }
        assertTrue(spikes > S * T, "too few spikes: " + spikes);
        float[] before = out.clone();
        frames[3] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> batch.step(frames, out));
        assertThrows(IllegalArgumentException.class, () -> batch.step(new float[IN], null));
        batch.scores(4, lane);
        System.arraycopy(before, 4 * OUT, one, 0, OUT);
        assertArrayEquals(one, lane, "rejected input changed a lane");
    }

    @ParameterizedTest
    @EnumSource(Readout.class)
    void batchStepAllocatesNothing(Readout r) {
        CompiledNetwork n = CompiledNetwork.compile(TestModels.random(33, IN, H, OUT, T, TD, r, false, 0.3f));
        StreamBatch batch = new StreamBatch(n, 8);
        float[] x = TestModels.inputs(34, 1, 8 * 50, IN), out = new float[8 * OUT], frames = new float[8 * IN];
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int k = 0; k < 20_000; k++) {
            System.arraycopy(x, (k % 50) * 8 * IN, frames, 0, 8 * IN);
            batch.step(frames, out);
        }
        long min = Long.MAX_VALUE;
        for (int w = 0; w < 3; w++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int k = 0; k < 5_000; k++) {
                System.arraycopy(x, (k % 50) * 8 * IN, frames, 0, 8 * IN);
                batch.step(frames, out);
            }
            long bytes = mx.getCurrentThreadAllocatedBytes() - before;
            assertTrue(bytes <= 1024, r + ": 5,000 batch steps allocated " + bytes + " bytes");
            min = Math.min(min, bytes);
        }
        assertTrue(min <= 64, r + ": allocation in every window, least " + min);
    }
}
