package org.myelin.bench;

import java.util.concurrent.TimeUnit;
import org.myelin.engine.CompiledNetwork;
import org.myelin.engine.StreamState;
import org.myelin.kernel.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the batched engine step ({@code CompiledNetwork.stepBatch}) over S streams of the
 * paper's network: one op advances every stream by one step, so streams × steps per second =
 * S × ops/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StreamBatchBenchmark {
    @Param({"1", "0.125"})
    public double density;

    @Param({"32", "128"})
    public int streams;

    /**
     * {@code states}: {@code stepBatch} over StreamStates on the calling thread; {@code states2}: the
     * same split over a 2-thread team. (The lanes form, StreamBatch, is gone: it re-implemented the
     * step and was slower.)
     */
    @Param({"states", "states2"})
    public String form;

    Parallel team;
    CompiledNetwork net;
    StreamState[] states;
    float[][] frameBlocks;
    float[] out;
    int t;

    @Setup
    public void setUp() {
        net = CompiledNetwork.compile(StreamStepBenchmark.paperModel(density, 42));
        states = new StreamState[streams];
        for (int s = 0; s < streams; s++) states[s] = net.newStream();
        float[][] u = StreamStepBenchmark.utterance(7);
        frameBlocks = new float[u.length][streams * 40];
        for (int step = 0; step < u.length; step++) {
            for (int s = 0; s < streams; s++) {
                for (int c = 0; c < 40; c++) frameBlocks[step][s * 40 + c] = u[(step + s) % u.length][c];
            }
        }
        out = new float[streams * net.outputs()];
        t = 0;
        team = new Parallel(form.equals("states2") ? 2 : 1);
    }

    @TearDown
    public void tearDown() {
        team.close();
    }

    @Benchmark
    public float stepAll() {
        net.stepBatch(states, frameBlocks[t], out, team);
        if (++t == frameBlocks.length) {
            t = 0;
            for (StreamState s : states) s.reset();
        }
        return out[0];
    }
}
