package org.myelin.bench;

import java.util.concurrent.TimeUnit;

import org.myelin.network.Network;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The phases of one {@link TrainStepBenchmark} step, timed one at a time
 * ({@link Network#runPhase}) on the state a full step left: the same network, batch, team
 * and parameters ({@code density}, {@code delayMode}, {@code impl}, {@code layer}). The
 * density-independent floor of a step is the sum of {@code INPUT}, {@code HIDDEN_FORWARD},
 * {@code READOUT_FORWARD}, {@code READOUT_BACKWARD} and {@code HIDDEN_BACKWARD} less
 * {@code LAYER2_BACKWARD_INPUT}: a step computes layer 2's input gradient inside the hidden
 * backward pass, block by block of rows, and {@code LAYER2_BACKWARD_INPUT} times that part alone
 * (into a scratch of its own); the rest scales with the synapses. AverageTime, ms/op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xss4m", "-Xmx2g"})
public class TrainPhaseBenchmark {
    @Param({"INPUT", "PREPARE", "LAYER1_FORWARD", "HIDDEN_FORWARD", "LAYER2_FORWARD", "READOUT_FORWARD",
            "READOUT_BACKWARD", "LAYER2_BACKWARD_INPUT", "HIDDEN_BACKWARD", "LAYER1_BACKWARD_PARAMS", "LAYER2_BACKWARD_PARAMS"})
    public String phase;

    @Param({"1", "0.125"})
    public double density;

    @Param({"gauss", "int"})
    public String delayMode;

    @Param({"vector"})
    public String impl;

    @Param({"csr", "dense"})
    public String layer;

    private TrainStepBenchmark step;
    private Network.Phase p;

    @Setup(Level.Trial)
    public void setup() {
        p = Network.Phase.valueOf(phase);
        step = new TrainStepBenchmark();
        step.density = density;
        step.delayMode = delayMode;
        step.impl = impl;
        step.layer = layer;
        step.denseGrad = false;
        step.candidates = 0;
        step.setup();   // runs one full step: every phase's inputs are in place
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        step.tearDown();
    }

    @Benchmark
    public void phase(Blackhole bh) {
        step.net.runPhase(p, step.x, step.dropMask, step.y, step.grads);
        bh.consume(step.grads);
    }
}
