package org.myelin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.Dataset;
import org.myelin.data.LogMel;
import org.myelin.data.NoiseBank;
import org.myelin.data.Waveforms;
import org.myelin.io.Container;
import org.myelin.kernel.KernelProvider;
import org.myelin.network.NetConfig;
import org.myelin.kernel.Parallel;
import org.myelin.model.FeatureRecipe;

/**
 * Waveform noise ({@code --aug-snr}): the mix has the drawn SNR, a mix without noise gives the
 * cached features bit for bit (same front end, both normalisations), draws are a pure function of
 * (seed, epoch, batch, sample) so any thread count and a resume give the same bits, and p = 0
 * leaves the batch as the plain loop's copy.
 */
class WaveNoiseTest {
    static final int RATE = 8000;
    static final FeatureRecipe PAPER = FeatureRecipe.paper(RATE);

    @TempDir
    Path dir;

    /**
     * n synthetic utterances: class c a tone at 300 + 400c Hz, amplitude-modulated, with a little
     * noise, 0.15–1.1 s long (so some are shorter than one frame's worth of padding and some
     * longer than the 0.815 s the front end reads); one is 150 samples, shorter than a frame.
     */
    static float[][] utterances(long seed, int n, int classes) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] u = new float[n][];
        for (int s = 0; s < n; s++) {
            int len = s == 1 ? 150 : (int) (RATE * (0.15 + 0.95 * r.nextDouble()));
            double f = 300 + 400 * (s % classes), a = 0.05 + 0.4 * r.nextDouble();
            float[] x = new float[len];
            for (int j = 0; j < len; j++) {
                double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * j / RATE);
                x[j] = (float) (a * env * Math.sin(2 * Math.PI * f * j / RATE) + 0.003 * r.nextGaussian());
            }
            u[s] = x;
        }
        return u;
    }

    /** The raw log-Mel frames of the utterances as the feature cache computes them. */
    static float[] rawFrames(float[][] u) {
        int per = PAPER.frames * PAPER.mels;
        float[] x = new float[u.length * per];
        for (int s = 0; s < u.length; s++) System.arraycopy(LogMel.of(PAPER).frames(u[s]), 0, x, s * per, per);
        return x;
    }

    /** The model input of {@code raw} under recipe r, as FeaturesFolder makes it. */
    static Dataset dataset(float[] raw, int n, int classes, FeatureRecipe r) {
        float[] x = raw.clone();
        LogMel.normalise(r, x, 0, n);
        int[] y = new int[n];
        List<String> names = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            y[s] = s % classes;
            names.add("u" + s);
        }
        return new Dataset(x, y, r.frames, r.mels, classes, names);
    }

    static FeatureRecipe global(float[] raw, int n) {
        float[][] ms = LogMel.channelStatistics(raw, n, PAPER.frames, PAPER.mels, PAPER.stdFloor);
        return PAPER.withGlobalNormalization(ms[0], ms[1]);
    }

    static TrainConfig config(long seed, int classes) {
        TrainConfig tc = new TrainConfig();
        tc.net = NetConfig.builder().inputs(PAPER.mels).hidden(6).outputs(classes).steps(PAPER.frames).maxDelay(3).build();
        tc.seed = seed;
        tc.epochs = 3;
        tc.batch = 8;
        tc.threads = 1;
        return tc;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int k = 0; k < n; k++) p[k] = k;
        return p;
    }

    @Test
    void theMixHasTheDrawnSnr() {
        SplittableRandom r = new SplittableRandom(5);
        float[] clip = NoiseBank.generated(RATE).clip(1);
        for (double snr : new double[] {-10, 0, 7.5, 20, 45}) {
            int len = 3000 + r.nextInt(3000);
            float[] sig = new float[len + 17];
            for (int j = 0; j < sig.length; j++) sig[j] = (float) (0.2 * r.nextGaussian());
            int so = 17, at = clip.length - 1000; // the segment wraps round the clip's end
            float[] out = new float[len];
            double g = WaveNoise.mix(sig, so, len, clip, at, snr, out);
            assertTrue(g > 0);
            double ps = 0, pn = 0;
            for (int j = 0; j < len; j++) {
                ps += (double) sig[so + j] * sig[so + j];
                double d = (double) out[j] - sig[so + j];
                pn += d * d;
                assertEquals(sig[so + j] + (float) g * clip[(at + j) % clip.length], out[j], 0f, "sample " + j + " is s + g·n, n wrapping");
            }
            // measured from the mixed waveform; float rounding of the mix (≈ 1e-7 of |s|) moves it by < 1e-4 dB at these SNRs
            assertEquals(snr, 10 * Math.log10(ps / pn), 1e-3, "SNR of the mix at " + snr + " dB");
        }
        float[] silent = new float[400], out = new float[400];
        assertEquals(0.0, WaveNoise.mix(silent, 0, 400, clip, 0, 10, out));
        assertArrayEquals(silent, out, "a silent waveform gets no noise");
    }

    /**
     * At an SNR where the noise's gain rounds to 0 in float (1000 dB: 10^−50 of the signal's
     * RMS), the mix is the clean waveform and the per-batch front end must give the cached features
     * exactly — tolerance 0, since both run the same code (frames, padding, normalisation) on the
     * same samples — for per-utterance and global normalisation, on 1 and 2 threads.
     */
    @Test
    void withoutNoiseTheBatchHasTheCachedFeaturesBitForBit() {
        int n = 24, classes = 3;
        float[][] u = utterances(7, n, classes);
        float[] raw = rawFrames(u);
        for (FeatureRecipe r : new FeatureRecipe[] {PAPER, global(raw, n)}) {
            Dataset d = dataset(raw, n, classes, r);
            Waveforms w = Waveforms.of(r, u);
            TrainConfig tc = config(3, classes);
            tc.augSnr = new SnrRange(1000, 1000);
            for (int threads : new int[] {1, 2}) {
                try (Parallel par = new Parallel(threads)) {
                    float[] x = new float[d.x.length];
                    Augment.of(tc, d, w, NoiseBank.generated(RATE), par).fill(d, identity(n), 0, n, 0, 0, 1f, x);
                    assertArrayEquals(d.x, x, r.normalization + ", " + threads + " threads");
                }
            }
        }
    }

    /**
     * Train as deployed ({@code --aug-lead}): with a lead the window holds noise alone for that many
     * samples and then the word plus noise, at the drawn SNR of the word's mean square to the
     * noise's; lead 0 is the call without a lead, bit for bit.
     */
    @Test
    void aLeadPutsNoiseBeforeTheWordAtTheDrawnSnr() {
        SplittableRandom r = new SplittableRandom(6);
        float[] clip = NoiseBank.generated(RATE).clip(0);
        int len = 4000, lead = 960;
        float[] sig = new float[len];
        for (int j = 0; j < len; j++) sig[j] = (float) (0.1 * r.nextGaussian());
        float[] a = new float[len], b = new float[len];
        assertEquals(WaveNoise.mix(sig, 0, len, clip, 123, 15, a), WaveNoise.mix(sig, 0, len, clip, 123, 15, 0, b));
        assertArrayEquals(a, b, "lead 0 is the mix without a lead");
        float[] out = new float[lead + len];
        double g = WaveNoise.mix(sig, 0, len, clip, 50, 20, lead, out);
        double ps = 0, pn = 0;
        for (int j = 0; j < lead + len; j++) {
            double s = j < lead ? 0 : sig[j - lead], d = out[j] - s;
            assertEquals((float) s + (float) g * clip[(50 + j) % clip.length], out[j], 0f, "sample " + j);
            ps += s * s;
            pn += d * d;
        }
        // mean squares: the word's over its own samples, the noise's over the whole window
        assertEquals(20, 10 * Math.log10((ps / len) / (pn / (lead + len))), 1e-3);
        float[] clean = new float[lead + len];
        assertEquals(0.0, WaveNoise.mix(sig, 0, len, clip, 50, Double.POSITIVE_INFINITY, lead, clean), "an infinite SNR adds nothing");
        for (int j = 0; j < lead; j++) assertEquals(0f, clean[j]);
    }

    /** With --aug-lead the batch's features are those of the word started that many frames in: each lead 0..N occurs, and only those. */
    @Test
    void theLeadIsAWholeNumberOfFramesUpToTheMaximum() {
        int n = 4, classes = 2;
        float[][] u = utterances(11, n, classes);
        float[] raw = rawFrames(u);
        FeatureRecipe g = global(raw, n);
        Dataset d = dataset(raw, n, classes, g);
        TrainConfig tc = config(3, classes);
        tc.augSnr = new SnrRange(1000, 1000); // no audible noise: the features show the lead alone
        tc.augLead = 3;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        int per = g.frames * g.mels;
        for (int batch = 0; batch < 12; batch++) {
            float[] x = new float[d.x.length];
            Augment.of(tc, d, Waveforms.of(g, u), NoiseBank.generated(RATE), null).fill(d, identity(n), 0, n, 0, batch, 1f, x);
            for (int s = 0; s < n; s++) {
                int found = -1;
                for (int lead = 0; lead <= 3 && found < 0; lead++) {
                    float[] pre = new float[lead * g.hop + u[s].length];
                    System.arraycopy(u[s], 0, pre, lead * g.hop, u[s].length);
                    float[] f = LogMel.of(g).frames(pre);
                    LogMel.normalise(g, f, 0, 1);
                    if (Arrays.equals(f, Arrays.copyOfRange(x, s * per, (s + 1) * per))) found = lead;
                }
                assertTrue(found >= 0, "batch " + batch + " sample " + s + " has the features of a lead of 0..3 frames");
                seen.add(found);
            }
        }
        assertEquals(4, seen.size(), "every lead 0..3 drawn in 48 samples: " + seen);
    }

    /** As the SNR grows the features approach the cached ones; at 0 dB they are far from them. */
    @Test
    void featuresApproachTheCachedOnesAsTheSnrGrows() {
        int n = 12, classes = 3;
        float[][] u = utterances(8, n, classes);
        Dataset d = dataset(rawFrames(u), n, classes, PAPER);
        Waveforms w = Waveforms.of(PAPER, u);
        NoiseBank noise = NoiseBank.generated(RATE);
        double last = Double.POSITIVE_INFINITY;
        for (double snr : new double[] {0, 20, 40, 60, 80}) {
            TrainConfig tc = config(3, classes);
            tc.augSnr = new SnrRange(snr, snr);
            float[] x = new float[d.x.length];
            Augment.of(tc, d, w, noise, null).fill(d, identity(n), 0, n, 0, 0, 1f, x);
            double dev = 0;
            for (int q = 0; q < x.length; q++) dev += Math.abs(x[q] - d.x[q]);
            dev /= x.length;
            assertTrue(dev < last, snr + " dB: mean |Δ| " + dev + " not below the previous " + last);
            if (snr == 0) assertTrue(dev > 0.1, "0 dB changes the features: mean |Δ| " + dev);
            if (snr == 80) assertTrue(dev < 0.01, "80 dB: mean |Δ| " + dev);
            last = dev;
        }
    }

    /** p = 0: no sample is mixed, and the batch is the plain loop's scaled copy. */
    @Test
    void probabilityZeroLeavesThePlainCopy() {
        int n = 10, classes = 2;
        float[][] u = utterances(9, n, classes);
        Dataset d = dataset(rawFrames(u), n, classes, PAPER);
        TrainConfig tc = config(3, classes);
        tc.augSnr = new SnrRange(0, 10);
        tc.augSnrProb = 0;
        float[] x = new float[d.x.length];
        int[] order = identity(n);
        Augment.of(tc, d, Waveforms.of(PAPER, u), NoiseBank.generated(RATE), null).fill(d, order, 0, n, 1, 2, 2.5f, x);
        float[] plain = new float[d.x.length];
        for (int q = 0; q < plain.length; q++) plain[q] = d.x[q] * 2.5f;
        assertArrayEquals(plain, x);
    }

    /** A sample's noise depends on (seed, epoch, batch, position) only: not on the order batches are filled, nor on threads. */
    @Test
    void drawsDependOnSeedEpochBatchAndSampleOnly() {
        int n = 16, classes = 2;
        float[][] u = utterances(10, n, classes);
        Dataset d = dataset(rawFrames(u), n, classes, PAPER);
        Waveforms w = Waveforms.of(PAPER, u);
        NoiseBank noise = NoiseBank.generated(RATE);
        TrainConfig tc = config(3, classes);
        tc.augSnr = new SnrRange(0, 20);
        tc.augSnrProb = 0.7;
        tc.augShift = 2;
        int[] order = identity(n);
        float[] a0 = new float[8 * 3200], a1 = new float[8 * 3200], b0 = new float[8 * 3200], b1 = new float[8 * 3200];
        Augment a = Augment.of(tc, d, w, noise, null);
        a.fill(d, order, 0, 8, 0, 0, 1f, a0);
        a.fill(d, order, 8, 8, 0, 1, 1f, a1);
        try (Parallel par = new Parallel(2)) {
            Augment b = Augment.of(tc, d, w, noise, par);
            b.fill(d, order, 8, 8, 0, 1, 1f, b1);
            b.fill(d, order, 0, 8, 0, 0, 1f, b0);
        }
        assertArrayEquals(a0, b0);
        assertArrayEquals(a1, b1);
        float[] e1 = new float[8 * 3200];
        a.fill(d, order, 0, 8, 1, 0, 1f, e1);
        assertFalse(Arrays.equals(a0, e1), "another epoch draws other noise");
        int mixed = 0;
        for (int b = 0; b < 8; b++) {
            boolean same = true;
            for (int q = 0; q < 3200; q++) same &= a0[b * 3200 + q] == shifted(d, a, b, order)[q];
            if (!same) mixed++;
        }
        assertTrue(mixed > 0, "p 0.7 mixes some of 8 samples");
    }

    /** The sample without waveform noise (its feature augmentations alone, drawn as Augment draws them). */
    private static float[] shifted(Dataset d, Augment a, int b, int[] order) {
        TrainConfig tc = config(3, 2);
        tc.augShift = 2;
        float[] x = new float[8 * 3200];
        new Augment(tc, d).fill(d, order, 0, 8, 0, 0, 1f, x);
        return Arrays.copyOfRange(x, b * 3200, (b + 1) * 3200);
    }

    @Test
    void waveformNoiseWithoutWaveformsIsRefusedByName() {
        int n = 4, classes = 2;
        Dataset d = dataset(rawFrames(utterances(11, n, classes)), n, classes, PAPER);
        TrainConfig tc = config(3, classes);
        tc.augSnr = new SnrRange(0, 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Augment.of(tc, d));
        assertTrue(e.getMessage().startsWith("--aug-snr"), e.getMessage());
        Waveforms few = Waveforms.of(PAPER, Arrays.copyOf(utterances(11, n, classes), 3));
        e = assertThrows(IllegalArgumentException.class, () -> Augment.of(tc, d, few, NoiseBank.generated(RATE), null));
        assertTrue(e.getMessage().contains("3 waveforms for 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Augment.of(tc, d, Waveforms.of(PAPER, utterances(11, n, classes)), NoiseBank.generated(16000), null));
        assertTrue(e.getMessage().contains("16000 Hz"), e.getMessage());
    }

    // ---------------------------------------------------------------- whole runs

    private byte[] modelBytes(Trainer t, String name) throws IOException {
        Path f = dir.resolve(name + ".myelin");
        t.toModel(null).save(f);
        return Files.readAllBytes(f);
    }

    private byte[] run(TrainConfig tc, Dataset.Split data, Waveforms w, NoiseBank noise, String name) throws IOException {
        try (Trainer t = new Trainer(tc, data, KernelProvider.get(), w, noise)) {
            t.run(null);
            return modelBytes(t, name);
        }
    }

    /** Same bits on 1 and 2 threads and after kill-and-resume; p = 0 gives the unaugmented run's bits; on changes them. */
    @Test
    void runsAreBitExactAcrossThreadsAndResume() throws IOException {
        int classes = 3;
        float[][] ut = utterances(12, 24, classes), us = utterances(13, 9, classes);
        Dataset tr = dataset(rawFrames(ut), 24, classes, PAPER), te = dataset(rawFrames(us), 9, classes, PAPER);
        Dataset.Split data = new Dataset.Split(tr, te, "synthetic", PAPER);
        Waveforms w = Waveforms.of(PAPER, ut);
        NoiseBank noise = NoiseBank.generated(RATE);
        TrainConfig one = config(4, classes);
        one.augSnr = new SnrRange(0, 15);
        one.augSnrProb = 0.8;
        one.augBlend = 0.5;
        TrainConfig two = one.copy();
        two.threads = 2;
        byte[] a = run(one, data, w, noise, "one");
        assertArrayEquals(a, run(two, data, w, noise, "two"), "1 vs 2 threads");

        TrainConfig plain = config(4, classes);
        plain.augBlend = 0.5;
        byte[] p = run(plain, data, null, null, "plain");
        assertFalse(Arrays.equals(a, p), "waveform noise changes the run");
        TrainConfig zero = plain.copy();
        zero.augSnr = new SnrRange(0, 15);
        zero.augSnrProb = 0;
        assertArrayEquals(p, run(zero, data, w, noise, "zero"), "p 0 has the bits of the run without --aug-snr");

        Path ck = dir.resolve("wave.ckpt");
        try (Trainer t = new Trainer(one, data, KernelProvider.get(), w, noise)) {
            class Killed extends RuntimeException {}
            assertThrows(Killed.class, () -> t.run((tt, rep) -> {
                TrainFixtures.save(tt, ck);
                if (tt.epochsDone() == 1) throw new Killed();
            }));
        }
        Container c = Container.read(ck, 'C');
        TrainConfig back = org.myelin.run.Codec.trainingFromMap(c.header.get("test_config"), ck.toString());
        assertEquals(one.augSnr, back.augSnr);
        assertEquals(one.augSnrProb, back.augSnrProb);
        back.threads = 2;
        try (Trainer t = Trainer.fromState(back, data, KernelProvider.get(), c, ck, w, noise)) {
            assertEquals(1, t.epochsDone());
            t.run(null);
            assertArrayEquals(a, modelBytes(t, "resumed"), "resumed after epoch 1 on 2 threads vs uninterrupted");
        }
    }
}
