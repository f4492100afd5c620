package org.myelin.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.myelin.engine.CompiledNetwork;
import org.myelin.engine.StreamState;
import org.myelin.network.CsrSynapses;
import org.myelin.network.DelayMode;
import org.myelin.kernel.KernelOps;
import org.myelin.kernel.KernelProvider;
import org.myelin.network.NetConfig;
import org.myelin.model.Model;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One time step of the edge engine for one stream (batch 1) with the paper's network
 * (40 → 256 → 20, Td = 25, integer delays, batch norm folded), dense and at 87.5 % sparsity.
 * AverageTime gives the mean; SampleTime the distribution (p99); run with {@code -prof gc} for the
 * allocation rate (0 B/op expected).
 *
 * <p>The stream is fed a fixed 80-step utterance of N(0, 1) input frames and reset after each; the
 * folded batch norm uses the analytic variance of the hidden input so hidden neurons spike at a
 * realistic rate (printed once).
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StreamStepBenchmark {
    @Param({"1", "0.125"})
    public double density;

    /**
     * {@code vector}: the kernels KernelProvider chooses (Vector API; on JDK 25 the JDK 25 classes of
     * the multi-release jar); {@code vector17}: the base Vector API classes (an A/B on JDK 25);
     * {@code scalar}: the reference path.
     */
    @Param({"vector", "scalar"})
    public String impl;

    /**
     * How the input layer is split between vector cells and the scalar pull: {@code cost} (the
     * provider's measured-cost choice) or forced {@code cells} / {@code scalar}, to measure the two
     * costs that choice rests on (set as {@code myelin.window.split} before the network is built).
     */
    @Param({"cost"})
    public String split;

    /**
     * {@code on}: the paper's network; {@code off}: the same with no hidden → output synapses, to
     * attribute the step's time to the spike delivery into the output ring (the rest is unchanged).
     */
    @Param({"on"})
    public String layer2;

    /**
     * {@code 1}: the paper's network; {@code 2}: the same with a second hidden layer of 256 (256 → 256
     * synapses at the same density, fed by spikes through its own ring; issue 24's 2-layer engine:
     * 10,240 + 65,536 + 5,120 synapses at density 1 against 10,240 + 5,120, but a spike-fed layer's
     * work is spikes × fan-out, so the step grows far less).
     */
    @Param({"1"})
    public int hiddenLayers;

    CompiledNetwork net;
    StreamState stream;
    float[][] frames;
    float[] scores;
    int t;

    /** The paper-sized model at a density, seeded; shared with {@link StreamBatchBenchmark}. */
    static Model paperModel(double density, long seed) {
        int nIn = 40, nH = 256, nOut = 20, Td = 25, T = 80;
        SplittableRandom r = new SplittableRandom(seed);
        float[] w1 = new float[nH * nIn], d1 = new float[nH * nIn], w2 = new float[nOut * nH], d2 = new float[nOut * nH];
        double b1 = Math.sqrt(6.0 / nIn), b2 = Math.sqrt(6.0 / nH);
        for (int q = 0; q < w1.length; q++) {
            w1[q] = r.nextDouble() < density ? (float) ((r.nextDouble() * 2 - 1) * b1) : 0f;
            d1[q] = r.nextInt(Td + 1);
        }
        for (int q = 0; q < w2.length; q++) {
            w2[q] = r.nextDouble() < density ? (float) ((r.nextDouble() * 2 - 1) * b2) : 0f;
            d2[q] = r.nextInt(Td + 1);
        }
        float[] gamma = new float[nH], beta = new float[nH], mean = new float[nH], var = new float[nH];
        for (int h = 0; h < nH; h++) {
            double v = 0;
            for (int j = 0; j < nIn; j++) v += (double) w1[h * nIn + j] * w1[h * nIn + j];
            gamma[h] = 1f;
            beta[h] = 0f;
            var[h] = (float) Math.max(v, 1e-3);
        }
        NetConfig cfg = NetConfig.builder().inputs(nIn).hidden(nH).outputs(nOut).steps(T).maxDelay(Td).delayMode(DelayMode.INT).build();
        return new Model(cfg, CsrSynapses.fromDense(nIn, nH, Td, w1, d1), CsrSynapses.fromDense(nH, nOut, Td, w2, d2),
                gamma, beta, mean, var, null);
    }

    /**
     * {@link #paperModel} with a second hidden layer of 256 between the first and the readout, at the
     * same density; its folded batch norm takes the variance of its input at a 10 % spike rate.
     */
    static Model stackModel(double density, long seed) {
        Model p = paperModel(density, seed);
        int nH = 256, nOut = 20, Td = 25;
        SplittableRandom r = new SplittableRandom(seed + 1);
        float[] w = new float[nH * nH], d = new float[nH * nH], w3 = new float[nOut * nH], d3 = new float[nOut * nH];
        double b = Math.sqrt(6.0 / nH);
        for (int q = 0; q < w.length; q++) {
            w[q] = r.nextDouble() < density ? (float) ((r.nextDouble() * 2 - 1) * b) : 0f;
            d[q] = r.nextInt(Td + 1);
        }
        float[] gamma = new float[nH], beta = new float[nH], mean = new float[nH], var = new float[nH];
        for (int h = 0; h < nH; h++) {
            double v = 0, m = 0;
            for (int j = 0; j < nH; j++) {
                v += 0.1 * 0.9 * w[h * nH + j] * w[h * nH + j];
                m += 0.1 * w[h * nH + j];
            }
            gamma[h] = 1f;
            mean[h] = (float) m;
            var[h] = (float) Math.max(v, 1e-3);
        }
        NetConfig cfg = p.config.toBuilder().hidden(new int[] {nH, nH}).build();
        return new Model(cfg, java.util.List.of(p.layers.get(0), CsrSynapses.fromDense(nH, nH, Td, w, d), p.readout()),
                java.util.List.of(p.norms.get(0), new Model.BatchNorm(gamma, beta, mean, var)), null, null, null);
    }

    static float[][] utterance(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] f = new float[80][40];
        for (float[] row : f) for (int c = 0; c < row.length; c++) row[c] = (float) r.nextGaussian();
        return f;
    }

    @Setup
    public void setUp() {
        System.setProperty(KernelProvider.SPLIT, split);
        KernelOps ops = switch (impl) {
            case "scalar" -> KernelProvider.scalar();
            case "vector17" -> KernelProvider.vector17();
            case "vector" -> KernelProvider.get();
            default -> throw new IllegalArgumentException("impl: vector, vector17 or scalar, got " + impl);
        };
        Model m = hiddenLayers == 2 ? stackModel(density, 42) : paperModel(density, 42);
        if (hiddenLayers != 1 && hiddenLayers != 2) throw new IllegalArgumentException("hiddenLayers: 1 or 2, got " + hiddenLayers);
        if (layer2.equals("off") && hiddenLayers == 1) {
            int nH = m.config.hidden(0), nOut = m.config.outputs, Td = m.config.maxDelay;
            m = new Model(m.config, java.util.List.of(m.layers.get(0), CsrSynapses.fromDense(nH, nOut, Td, new float[nOut * nH], new float[nOut * nH])),
                    m.norms, null, null, null);
        } else if (!layer2.equals("on")) {
            throw new IllegalArgumentException("layer2: on or off, got " + layer2);
        }
        net = CompiledNetwork.compile(m, ops);
        stream = net.newStream();
        frames = utterance(7);
        scores = new float[net.outputs()];
        long spikes = 0;
        for (float[] f : frames) {
            stream.step(f, scores);
            spikes += stream.spikeCount();
        }
        System.out.printf("%ndensity %s, %d hidden layer(s): synapses %s, first hidden layer's spike rate %.3f; %s%n", density,
                net.depth(), java.util.Arrays.toString(net.synapses()), spikes / (80.0 * 256), net.describeKernels());
        stream.reset();
        t = 0;
    }

    @Benchmark
    public float step() {
        stream.step(frames[t], scores);
        if (++t == frames.length) {
            t = 0;
            stream.reset();
        }
        return scores[0];
    }
}
