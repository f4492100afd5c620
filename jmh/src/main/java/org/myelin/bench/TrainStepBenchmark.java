package org.myelin.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.myelin.network.CsrSynapses;
import org.myelin.network.DelayMode;
import org.myelin.network.DenseSynapses;
import org.myelin.network.Gradients;
import org.myelin.network.HiddenLayer;
import org.myelin.kernel.KernelOps;
import org.myelin.kernel.KernelProvider;
import org.myelin.network.NetConfig;
import org.myelin.network.Network;
import org.myelin.kernel.Parallel;
import org.myelin.network.SynapseLayer;
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
 * One training step without the optimiser: forward (batch statistics, dropout mask) and BPTT
 * backward of the mean cross-entropy for a batch of 256 through the paper's network
 * (40 → 256 → 20, T = 80, Td = 25, Gaussian σ = 12.5 or integer delays, batch norm on), on a
 * team of two threads ({@code new Parallel(2)}).
 *
 * <p>Parameters:
 * <ul>
 *   <li>{@code density}: fraction of (post, pre) pairs that carry a synapse, in both layers
 *       (a seeded random mask over Kaiming-uniform weights).</li>
 *   <li>{@code delayMode}: {@code gauss} (every synapse costs Td + 1 taps) or {@code int} (one tap).</li>
 *   <li>{@code impl}: {@code vector} ({@link KernelProvider#vector()}) or {@code scalar}
 *       ({@link KernelProvider#scalar()}), chosen explicitly, whatever {@code -Dmyelin.vector} says.</li>
 *   <li>{@code layer}: {@code csr} ({@link CsrSynapses}: work ∝ synapses × active taps) or
 *       {@code dense} ({@link DenseSynapses}: every pair × (Td + 1) taps). A dense layer at
 *       density &lt; 1 holds the masked weights as explicit zeros and still does all the dense
 *       work, so its time should not depend on density: that is what makes it the reference.</li>
 * </ul>
 *
 * <p>{@code shape}: {@code paper} (the network above) or {@code shd2x256}, SNN-delays' SHD
 * network of two hidden layers (140 → 256 → 256 → 20, T = 100, Td = 25; issue 24), with the same
 * density, delays and batch size; pick it with {@code -p shape=shd2x256}.
 *
 * <p>The full cartesian product of the declared values is 48 configurations, several of them slow
 * (scalar × gauss × dense is seconds per step). Pick subsets with {@code -p}, e.g.
 * {@code -p impl=vector -p layer=csr -p delayMode=int}; {@code jmh/run-benchmarks.sh} runs the
 * standard subsets.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xss4m", "-Xmx2g"})
public class TrainStepBenchmark {
    static final int BATCH = 256;
    static final int THREADS = 2;
    static final float DROPOUT = 0.4f;
    static final long SEED = 20260417L;

    @Param({"1", "0.5", "0.25", "0.125", "0.0625", "0.03125"})
    public double density;

    @Param({"gauss", "int"})
    public String delayMode;

    @Param({"vector", "scalar"})
    public String impl;

    @Param({"csr", "dense"})
    public String layer;

    /** {@code paper}: 40 → 256 → 20, T = 80; {@code shd2x256}: 140 → 256 → 256 → 20, T = 100. */
    @Param({"paper"})
    public String shape;

    /** Also compute dL/dw of every (pre, post) pair (RigL's regrowth signal) in the backward pass. */
    @Param({"false"})
    public boolean denseGrad;

    /**
     * RigL's sampled signal: after the backward pass, dL/dw of this many dormant pairs per layer
     * ({@link Network#pairWeightGradient}, one fixed random list per layer); 0 = none.
     */
    @Param({"0"})
    public int candidates;

    Parallel par;
    Network net;
    Gradients grads;
    float[] x;
    int[] y;
    float[] dropMask;
    private int[][] candidateList;
    private float[] candidateGrad;

    @Setup(Level.Trial)
    public void setup() {
        NetConfig.Builder nb = NetConfig.builder().delayMode(DelayMode.parse(delayMode));
        if (shape.equals("shd2x256")) nb.inputs(140).hidden(new int[] {256, 256}).outputs(20).steps(100).maxDelay(25).sigma(12.5f);
        else if (!shape.equals("paper")) fail("shape must be paper or shd2x256, got " + shape);
        NetConfig cfg = nb.build();
        KernelOps ops = impl.equals("vector") ? KernelProvider.vector()
                : impl.equals("scalar") ? KernelProvider.scalar()
                : fail("impl must be vector or scalar, got " + impl);
        SplittableRandom rnd = new SplittableRandom(SEED);
        int L = cfg.depth();
        List<SynapseLayer> layers = new ArrayList<>();
        for (int s = 0; s <= L; s++) layers.add(layer(cfg.width(s), cfg.width(s + 1), cfg, rnd));
        List<HiddenLayer> hidden = new ArrayList<>();
        for (int k = 0; k < L; k++) {
            int n = cfg.hidden(k);
            hidden.add(new HiddenLayer(layers.get(k), filled(n, 1f), new float[n], new float[n], filled(n, 1f)));
        }
        par = new Parallel(THREADS);
        net = new Network(cfg, hidden, layers.get(L), ops, par);
        grads = new Gradients(net, denseGrad);

        x = Inputs.spikes(BATCH, cfg.steps, cfg.inputs, rnd);
        y = new int[BATCH];
        for (int b = 0; b < BATCH; b++) y[b] = rnd.nextInt(cfg.outputs);
        dropMask = new float[cfg.hiddenTotal() * BATCH];
        for (int q = 0; q < dropMask.length; q++) dropMask[q] = rnd.nextDouble() < DROPOUT ? 0f : 1f / (1f - DROPOUT);

        candidateList = new int[L + 1][];
        for (int s = 0; s <= L; s++) candidateList[s] = dormant(layers.get(s), candidates, rnd);
        candidateGrad = new float[Math.max(1, candidates)];

        // One step outside the timing, to report the network's activity once per fork.
        net.forward(x, BATCH, true, dropMask);
        net.backward(y, grads);
        double rate = (double) net.spikeCount() / ((double) cfg.hiddenTotal() * cfg.steps * BATCH);
        long synapses = 0;
        StringBuilder sizes = new StringBuilder();
        for (SynapseLayer l : layers) {
            synapses += l.size();
            sizes.append(sizes.length() == 0 ? "" : " + ").append(l.size());
        }
        System.out.printf(Locale.ROOT, "%n[setup] %s | %s %s %s density %.5f | synapses/pairs %s = %d | hidden spike rate %.4f per step | input rate %.3f | loss %.4f%n",
                cfg, ops.name(), layer, delayMode, density, sizes, synapses, rate, Inputs.rate(x), net.loss(y));
    }

    SynapseLayer layer(int pre, int post, NetConfig cfg, SplittableRandom rnd) {
        float[] w = new float[post * pre];
        float[] d = new float[post * pre];
        double bound = Math.sqrt(6.0 / pre);
        boolean integer = cfg.delayMode == DelayMode.INT;
        for (int q = 0; q < w.length; q++) {
            float v;
            do {
                v = (float) ((rnd.nextDouble() * 2 - 1) * bound);
            } while (v == 0f);
            boolean keep = rnd.nextDouble() < density;
            w[q] = keep ? v : 0f;
            double dd = rnd.nextDouble() * cfg.maxDelay;
            d[q] = integer ? (float) Math.rint(dd) : (float) dd;
        }
        switch (layer) {
            case "csr": return CsrSynapses.fromDense(pre, post, cfg.maxDelay, w, d);
            case "dense": return new DenseSynapses(pre, post, cfg.maxDelay, w, d);
            default: return fail("layer must be csr or dense, got " + layer);
        }
    }

    /** Up to n distinct random pairs (post·pre + j) without a synapse. */
    private static int[] dormant(SynapseLayer l, int n, SplittableRandom rnd) {
        float[] w = l.denseWeights();
        int[] list = new int[w.length];
        int c = 0;
        for (int q = 0; q < w.length; q++) if (w[q] == 0f) list[c++] = q;
        for (int q = c - 1; q > 0; q--) {
            int k = rnd.nextInt(q + 1);
            int t = list[q]; list[q] = list[k]; list[k] = t;
        }
        return java.util.Arrays.copyOf(list, Math.min(n, c));
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static <T> T fail(String msg) {
        throw new IllegalArgumentException(msg);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        par.close();
    }

    @Benchmark
    public void trainStep(Blackhole bh) {
        net.forward(x, BATCH, true, dropMask);
        net.backward(y, grads);
        if (candidates > 0) {
            for (int s = 0; s < candidateList.length; s++) net.pairWeightGradient(s + 1, candidateList[s], candidateList[s].length, candidateGrad);
        }
        bh.consume(grads);
        bh.consume(candidateGrad);
    }
}
