package org.myelin.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.Dataset;
import org.myelin.data.GeneratedAudio;
import org.myelin.data.NoiseBank;
import org.myelin.data.Waveforms;
import org.myelin.kernel.Parallel;
import org.myelin.model.FeatureRecipe;
import org.myelin.train.Augment;
import org.myelin.train.SnrRange;
import org.myelin.train.TrainConfig;

/**
 * On an FSDD-layout folder — generated ({@link GeneratedAudio#fsdd}: three speakers, 5 takes, so
 * the test runs on a fresh clone) and, as an extra check, FSDD itself (read in place from
 * ../shared/data/fsdd; skipped with a message when absent) — the training waveforms read back for
 * {@code --aug-snr} are the ones the feature cache was made from: with noise whose gain rounds to
 * 0 (1000 dB), every training sample's per-batch features equal the cached ones bit for bit, for
 * {@code --normalize utterance} and {@code global} (tolerance 0: the same samples through the same
 * front end and normalisation code).
 */
class WaveformFsddTest {
    static final Path FSDD = Path.of("..", "shared", "data", "fsdd");

    @TempDir
    Path cache;

    @ParameterizedTest
    @ValueSource(strings = {"generated", "shared"})
    void noiselessMixGivesTheCachedFeaturesOfEveryTrainingSample(String source) throws IOException {
        Path dir = FSDD;
        if (source.equals("generated")) {
            dir = GeneratedAudio.fsdd(cache.resolve("fsdd"), 3, 5, false, 5);
        } else {
            assumeTrue(Files.isDirectory(FSDD.resolve("recordings")), "FSDD not found at " + FSDD.toAbsolutePath().normalize()
                    + ": skipping the FSDD case (the generated one ran)");
        }
        DataSpec spec = new DataSpec(dir, null, false, 1, 2000, 1000, "speaker:george", cache.resolve("cache"), false);
        TrainConfig tc = new TrainConfig();
        tc.augSnr = new SnrRange(1000, 1000);
        for (FeatureRecipe.Normalization mode : FeatureRecipe.Normalization.values()) {
            Dataset.Split data = spec.load(mode);
            Waveforms w = spec.waveforms(tc, data);
            assertEquals(data.train.size, w.size());
            assertEquals(8000, w.recipe.sampleRate);
            assertEquals(mode, w.recipe.normalization);
            Dataset tr = data.train;
            // batches of 100: the generated folder's 100 training samples, 25 of FSDD's 2,500
            int n = tr.steps * tr.channels, B = 100, compared = 0;
            int[] order = new int[tr.size];
            for (int k = 0; k < order.length; k++) order[k] = k;
            float[] x = new float[B * n];
            try (Parallel par = new Parallel(2)) {
                Augment a = Augment.of(tc, tr, w, NoiseBank.generated(8000), par);
                for (int from = 0; from + B <= tr.size; from += B) {
                    a.fill(tr, order, from, B, 0, from / B, 1f, x);
                    assertArrayEquals(Arrays.copyOfRange(tr.x, from * n, (from + B) * n), x, mode + ": samples " + from + ".." + (from + B));
                    compared += B;
                }
                assertEquals(tr.size, compared, mode + ": every training sample compared");
                // and at 10 dB they differ (the comparison above can fail)
                TrainConfig noisy = tc.copy();
                noisy.augSnr = new SnrRange(10, 10);
                Augment.of(noisy, tr, w, NoiseBank.generated(8000), par).fill(tr, order, 0, B, 0, 0, 1f, x);
                assertFalse(Arrays.equals(Arrays.copyOfRange(tr.x, 0, B * n), x), mode + ": 10 dB changes the features");
            }
        }
    }
}
