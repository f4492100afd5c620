package org.myelin.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.myelin.data.Dataset;
import org.myelin.network.NetConfig;
import org.myelin.kernel.Parallel;
import org.myelin.train.Augment;
import org.myelin.train.TrainConfig;
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
 * Filling one training batch (256 samples of 80 frames × 40 channels, the paper's shapes) from a
 * 2,500-sample training set as the trainer does: {@code none} is the plain scaled copy of the
 * training loop without augmentation, the others {@link Augment#fill} with one augmentation
 * ({@code shift} ±8 frames, {@code blend} p 0.5, {@code noise} 0.3, {@code fmask} 8 channels,
 * {@code tmask} 10 frames) or {@code all} five at once. Compare with
 * {@link TrainStepBenchmark#trainStep} (forward and backward of the same batch size) in the same
 * run. {@code threads}: the team the batch's samples are split over, as the trainer passes its own
 * (1 = the training thread alone).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xmx2g"})
public class AugmentBenchmark {
    static final int BATCH = 256, T = 80, C = 40, N = 2500, CLASSES = 10;

    @Param({"none", "shift", "blend", "noise", "fmask", "tmask", "all"})
    public String aug;

    @Param({"1", "2"})
    public int threads;

    Parallel par;

    Dataset train;
    Augment augment;
    int[] order;
    float[] x;
    int batch;

    @Setup(Level.Trial)
    public void setup() {
        SplittableRandom r = new SplittableRandom(20261201L);
        float[] xs = new float[N * T * C];
        for (int q = 0; q < xs.length; q++) xs[q] = (float) r.nextGaussian();
        int[] y = new int[N];
        List<String> names = new ArrayList<>();
        for (int s = 0; s < N; s++) {
            y[s] = r.nextInt(CLASSES);
            names.add("s" + s);
        }
        train = new Dataset(xs, y, T, C, CLASSES, names);
        TrainConfig tc = new TrainConfig();
        tc.net = NetConfig.builder().inputs(C).steps(T).outputs(CLASSES).build();
        boolean all = aug.equals("all");
        if (all || aug.equals("shift")) tc.augShift = 8;
        if (all || aug.equals("blend")) tc.augBlend = 0.5;
        if (all || aug.equals("noise")) tc.augNoise = 0.3;
        if (all || aug.equals("fmask")) tc.augFreqMask = 8;
        if (all || aug.equals("tmask")) tc.augTimeMask = 10;
        if (!aug.equals("none") && !Augment.any(tc)) throw new IllegalArgumentException("aug must be none, shift, blend, noise, fmask, tmask or all, got " + aug);
        tc.validate();
        par = new Parallel(threads);
        augment = Augment.of(tc, train, null, null, par);
        order = Dataset.permutation(r, N);
        x = new float[BATCH * T * C];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        par.close();
    }

    @Benchmark
    public void fillBatch(Blackhole bh) {
        fill(train, augment, order, batch++ % (N / BATCH), x);
        bh.consume(x);
    }

    /**
     * Batch {@code bi} of {@code order} into {@code x} as the trainer fills it: {@code augment}'s
     * {@link Augment#fill}, or with none the training loop's own scaled copy (scale 1).
     */
    static void fill(Dataset train, Augment augment, int[] order, int bi, float[] x) {
        if (augment == null) {
            int n = train.steps * train.channels;
            for (int b = 0; b < BATCH; b++) {
                int src = order[bi * BATCH + b] * n, dst = b * n;
                for (int q = 0; q < n; q++) x[dst + q] = train.x[src + q] * 1f;
            }
        } else {
            augment.fill(train, order, bi * BATCH, BATCH, 0, bi, 1f, x);
        }
    }
}
