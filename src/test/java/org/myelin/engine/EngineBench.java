package org.myelin.engine;

import java.util.Locale;
import org.myelin.kernel.Readout;

/**
 * Throughput of the two batched forms (a loop over {@link StreamState}s via
 * {@link CompiledNetwork#stepBatch} vs {@link StreamBatch} lanes) at the paper's size. Not a unit
 * test: run {@code java -cp target/classes:target/test-classes org.myelin.engine.EngineBench}.
 */
public final class EngineBench {
    public static void main(String[] args) {
        for (float zero : new float[] {0f, 0.875f}) {
            CompiledNetwork n = CompiledNetwork.compile(TestModels.random(5, 40, 256, 20, 80, 25, Readout.VSUM, true, zero));
            for (int S : new int[] {1, 8, 32, 128}) {
                float[] x = TestModels.inputs(6, S, 80, 40);
                float[] frames = new float[S * 40], out = new float[S * 20];
                StreamState[] st = new StreamState[S];
                for (int s = 0; s < S; s++) st[s] = n.newStream();
                StreamBatch b = new StreamBatch(n, S);
                long spikes = 0, steps = 0;
                double loop = 0, lanes = 0;
                for (int rep = 0; rep < 2; rep++) {
                    int iters = Math.max(200, 200_000 / S);
                    long t0 = System.nanoTime();
                    for (int k = 0; k < iters; k++) {
                        for (int s = 0; s < S; s++) System.arraycopy(x, (s * 80 + k % 80) * 40, frames, s * 40, 40);
                        n.stepBatch(st, frames, out);
                        if (rep == 1) {
                            for (StreamState q : st) spikes += q.spikeCount();
                            steps += S;
                        }
                    }
                    long t1 = System.nanoTime();
                    for (int k = 0; k < iters; k++) {
                        for (int s = 0; s < S; s++) System.arraycopy(x, (s * 80 + k % 80) * 40, frames, s * 40, 40);
                        b.step(frames, out);
                    }
                    long t2 = System.nanoTime();
                    loop = (t1 - t0) / 1e3 / ((double) iters * S);
                    lanes = (t2 - t1) / 1e3 / ((double) iters * S);
                }
                System.out.printf(Locale.ROOT, "sparsity %.3f (%d+%d syn) S=%3d  loop %.2f µs/stream-step  lanes %.2f µs/stream-step  spike rate %.3f%n",
                        zero, n.synapses1(), n.synapses2(), S, loop, lanes, spikes / (double) steps / 256);
            }
        }
    }
}
