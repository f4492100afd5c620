package org.myelin.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.myelin.network.CsrSynapses;
import org.myelin.structure.Rewiring;
import org.myelin.structure.Signs;
import org.myelin.structure.SparseInit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-place mask update of one training step for the paper's network at 87.5 % sparsity (both
 * layers: 40 → 256 and 256 → 20): prune the synapses whose θ went ≤ 0 (here {@code changes} of
 * them per layer, chosen at random each op) and regrow as many — DEEP R at random, RigL by the
 * dense gradient (given; its computation is the kernel's cost, measured by
 * {@code TrainStepBenchmark} with {@code denseGrad=true}). Compare with the step time to get the
 * update's share of a training step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MaskUpdateBenchmark {
    @Param({"deepr", "rigl"})
    public String mode;

    @Param({"1", "32"})
    public int changes;

    Layer a, b;
    SplittableRandom r;

    static final class Layer {
        final CsrSynapses csr;
        final Rewiring rw;
        final float[] theta, m, v, dense;

        Layer(int pre, int post, Rewiring.Mode mode, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            Signs s = Signs.dale(pre, post, seed);
            int k = SparseInit.budget(0.875, pre, post);
            float[] mags = new float[pre * post], delays = new float[pre * post];
            for (int q = 0; q < mags.length; q++) {
                mags[q] = (float) (0.01 + r.nextDouble());
                delays[q] = r.nextInt(26);
            }
            csr = SparseInit.random(pre, post, 25, s, k, mags, delays, r);
            theta = SparseInit.theta(csr, s);
            m = new float[k];
            v = new float[k];
            dense = new float[pre * post];
            for (int q = 0; q < dense.length; q++) dense[q] = (float) r.nextGaussian();
            rw = new Rewiring(csr, s, k, mode, new SplittableRandom(seed + 1));
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Rewiring.Mode m = mode.equals("rigl") ? Rewiring.Mode.RIGL : Rewiring.Mode.DEEPR;
        a = new Layer(40, 256, m, 1);
        b = new Layer(256, 20, m, 2);
        r = new SplittableRandom(3);
    }

    private int update(Layer l) {
        for (int c = 0; c < changes; c++) l.theta[r.nextInt(l.theta.length)] = -1f;
        return l.rw.update(l.theta, new float[][] {l.m, l.v}, l.dense);
    }

    @Benchmark
    public int rewireBothLayers() {
        return update(a) + update(b);
    }
}
