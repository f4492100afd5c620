package org.myelin.bench;

import java.util.concurrent.TimeUnit;
import org.myelin.kernel.KernelOps;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.WindowSynapses;
import org.myelin.model.Model;
import org.myelin.network.CsrSynapses;
import org.myelin.network.DelayKernels;
import org.myelin.network.NetConfig;
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
 * Two parts of {@link StreamStepBenchmark}'s step, alone, on the same model and frames: the input
 * layer ({@code inputLayer}: {@link WindowSynapses#push} and {@link WindowSynapses#accumulate}, what
 * the C probe's {@code cells} measures) and the LIF step of the first hidden layer ({@code lif}:
 * {@link KernelOps#lifStep} on the currents that layer receives, recorded at set-up). With
 * {@code StreamStepBenchmark -p layer2=on,off} (the delivery into the output ring) they say where
 * the step's time goes (BENCHMARKS.md, session 9). Both allocate nothing.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StreamPartsBenchmark {
    @Param({"1", "0.125"})
    public double density;

    /** As {@link StreamStepBenchmark#impl}: {@code vector}, {@code vector17} or {@code scalar}. */
    @Param({"vector"})
    public String impl;

    /** As {@link StreamStepBenchmark#split}: {@code cost}, {@code cells} or {@code scalar}. */
    @Param({"cost"})
    public String split;

    KernelOps ops;
    WindowSynapses window;
    float[][] frames;
    /** The input layer's currents of each of the 80 frames (batch norm folded), for {@code lif}. */
    float[][] currents;
    float[] hist, in, bias, u, spike;
    int[] fired;
    float beta, threshold;
    int t, slot;

    @Setup
    public void setUp() {
        System.setProperty(KernelProvider.SPLIT, split);
        ops = switch (impl) {
            case "scalar" -> KernelProvider.scalar();
            case "vector17" -> KernelProvider.vector17();
            case "vector" -> KernelProvider.get();
            default -> throw new IllegalArgumentException("impl: vector, vector17 or scalar, got " + impl);
        };
        Model m = StreamStepBenchmark.paperModel(density, 42);
        NetConfig c = m.config;
        int nIn = c.inputs, nH = c.hidden(0);
        Model.BatchNorm bn = m.norms.get(0);
        float[] scale = new float[nH];
        bias = new float[nH];
        for (int h = 0; h < nH; h++) {
            // the engine's fold (CompiledNetwork): w·s and β − μ·s with s = γ / √(σ² + ε)
            scale[h] = (float) (1.0 / Math.sqrt(bn.var()[h] + c.bnEps)) * bn.gamma()[h];
            bias[h] = bn.beta()[h] - bn.mean()[h] * scale[h];
        }
        // the first layer post-major (ascending channel per hidden neuron), active synapses only
        CsrSynapses l = m.layers.get(0);
        int[] rp = l.rowPtr(), tg = l.targets();
        float[] lw = l.weights(), ld = l.delays();
        int[] ptr = new int[nH + 1];
        for (int s = 0; s < l.size(); s++) if (lw[s] != 0f) ptr[tg[s] + 1]++;
        for (int h = 0; h < nH; h++) ptr[h + 1] += ptr[h];
        int n = ptr[nH];
        int[] next = java.util.Arrays.copyOf(ptr, nH), pre = new int[n], delay = new int[n];
        float[] w = new float[n];
        for (int j = 0; j < nIn; j++) {
            for (int s = rp[j]; s < rp[j + 1]; s++) {
                if (lw[s] == 0f) continue;
                int k = next[tg[s]]++;
                pre[k] = j;
                delay[k] = DelayKernels.intTap(ld[s]);
                w[k] = lw[s] * scale[tg[s]];
            }
        }
        window = ops.windowSynapses(nIn, nH, c.maxDelay, ptr, pre, delay, w);
        hist = new float[window.historyLength()];
        in = new float[window.accumulatorLength()];
        frames = StreamStepBenchmark.utterance(7);
        currents = new float[frames.length][];
        for (int q = 0; q < frames.length; q++) {
            window.push(hist, q % window.slots(), frames[q], 0);
            window.accumulate(hist, q % window.slots(), in);
            currents[q] = java.util.Arrays.copyOf(in, nH);
        }
        java.util.Arrays.fill(hist, 0f);
        u = new float[nH];
        spike = new float[nH];
        fired = new int[nH];
        beta = c.beta();
        threshold = c.threshold;
        long spikes = 0;
        for (float[] cur : currents) spikes += ops.lifStep(nH, beta, threshold, cur, bias, u, spike, fired);
        java.util.Arrays.fill(u, 0f);
        java.util.Arrays.fill(spike, 0f);
        System.out.printf("%ndensity %s: %s; spike rate %.3f%n", density, window.describe(), spikes / (80.0 * nH));
        t = 0;
        slot = 0;
    }

    @Benchmark
    public float inputLayer() {
        window.push(hist, slot, frames[t], 0);
        window.accumulate(hist, slot, in);
        if (++slot == window.slots()) slot = 0;
        if (++t == frames.length) t = 0;
        return in[0];
    }

    @Benchmark
    public int lif() {
        int nf = ops.lifStep(u.length, beta, threshold, currents[t], bias, u, spike, fired);
        if (++t == frames.length) {
            t = 0;
            java.util.Arrays.fill(u, 0f);
            java.util.Arrays.fill(spike, 0f);
        }
        return nf;
    }
}
