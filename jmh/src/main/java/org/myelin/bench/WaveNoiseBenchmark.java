package org.myelin.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.myelin.data.Dataset;
import org.myelin.data.NoiseBank;
import org.myelin.data.Waveforms;
import org.myelin.kernel.Parallel;
import org.myelin.run.DataSpec;
import org.myelin.train.Augment;
import org.myelin.train.SnrRange;
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
 * Filling one training batch of 256 FSDD samples with waveform noise ({@code --aug-snr 0:20}) as
 * the trainer does: for each sample, noise mixed into its waveform (the real FSDD recordings,
 * 8 kHz, the recipe of its feature cache, split by speaker with george held out: 2,500 training
 * waveforms) and the front end run into the batch buffer, split over a team of {@code threads}.
 * {@code none} is the plain copy of the loop without augmentation. Compare with
 * {@link TrainStepBenchmark#trainStep} (the same batch of 256 through 40 → 256 → 20, T = 80, on two
 * threads) in the same run. FSDD is read from {@code -Dmyelin.fsdd=DIR} (default
 * {@code ~/data/fsdd}) through a feature cache of its own
 * ({@code -Dmyelin.cache=DIR}, default {@code $TMPDIR/myelin-bench-cache}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class WaveNoiseBenchmark {
    static final int BATCH = 256;

    @Param({"none", "snr"})
    public String aug;

    @Param({"1", "2"})
    public int threads;

    Dataset train;
    Augment augment;
    Parallel par;
    int[] order;
    float[] x;
    int batch;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Path fsdd = Path.of(System.getProperty("myelin.fsdd", System.getProperty("user.home") + "/data/fsdd"));
        if (!Files.isDirectory(fsdd.resolve("recordings"))) throw new IllegalStateException("FSDD not found at " + fsdd.toAbsolutePath() + " (-Dmyelin.fsdd=DIR)");
        // a private feature cache: the user's one is per data folder, and another split would rebuild it under other runs
        Path cache = Path.of(System.getProperty("myelin.cache", Path.of(System.getProperty("java.io.tmpdir"), "myelin-bench-cache").toString()));
        DataSpec spec = new DataSpec(fsdd, null, false, 1, 2000, 1000, "speaker:george", cache, false);
        Dataset.Split data = spec.load(org.myelin.model.FeatureRecipe.Normalization.UTTERANCE);
        train = data.train;
        TrainConfig tc = new TrainConfig();
        tc.augSnr = new SnrRange(0, 20);
        par = new Parallel(threads);
        if (aug.equals("snr")) {
            Waveforms w = spec.waveforms(tc, data);
            augment = Augment.of(tc, train, w, NoiseBank.generated(w.recipe.sampleRate), par);
        } else if (!aug.equals("none")) {
            throw new IllegalArgumentException("aug must be none or snr, got " + aug);
        }
        order = Dataset.permutation(new SplittableRandom(20261202L), train.size);
        x = new float[BATCH * train.steps * train.channels];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        par.close();
    }

    @Benchmark
    public void fillBatch(Blackhole bh) {
        AugmentBenchmark.fill(train, augment, order, batch++ % (train.size / BATCH), x);
        bh.consume(x);
    }
}
