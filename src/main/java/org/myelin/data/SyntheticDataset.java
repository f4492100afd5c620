package org.myelin.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The built-in dataset: a generated 20-class, 40-channel × 80-step spatio-temporal task in the
 * shape of the Raw Heidelberg Digits features, deterministic from a seed.
 *
 * <p>Construction. The 20 classes come in 5 groups of 4. Each group owns 4 input channels; every
 * class of a group shows a pulse on each of its group's 4 channels, in the same channel order,
 * and the classes of a group differ ONLY in the intervals between those pulses (each class has its
 * own 3 intervals of 3–14 steps). So which channels are active names the group, and the timing
 * between channels names the class within it: a neuron that aligns the pulses with its synaptic
 * delays detects the class by coincidence. A sample places its class pattern at a random onset,
 * jitters each pulse by ±1 step, scales its amplitude by 0.8–1.2, adds 3 distractor pulses on
 * random channels at random times and Gaussian background noise (σ = 0.3). Pulses are Gaussian
 * bumps in time (σ = 1 step, peak 2.5). The class-defining parameters come from the seed too, so
 * two seeds give two different tasks; train and test come from one task with disjoint sample
 * streams.
 */
public final class SyntheticDataset {
    public static final int CLASSES = 20, CHANNELS = 40, STEPS = 80;
    static final int GROUPS = 5, PER_GROUP = 4, PULSES = 4, DISTRACTORS = 1;
    static final double NOISE = 0.15;

    private SyntheticDataset() {}

    /** Generates the train and test sets of the task defined by {@code seed}. */
    public static Dataset.Split generate(long seed, int trainSize, int testSize) {
        if (trainSize <= 0 || testSize <= 0) throw new IllegalArgumentException("synthetic dataset sizes must be positive");
        SplittableRandom task = new SplittableRandom(seed);
        int[] channelOrder = permutation(task, CHANNELS);
        int[][] channels = new int[CLASSES][PULSES];
        int[][] offsets = new int[CLASSES][PULSES];
        for (int k = 0; k < CLASSES; k++) {
            int g = k / PER_GROUP;
            for (int p = 0; p < PULSES; p++) channels[k][p] = channelOrder[g * PULSES + p];
            // distinct interval patterns within a group: redraw until at least one interval differs by ≥ 3
            while (true) {
                int t = 0;
                for (int p = 0; p < PULSES; p++) {
                    offsets[k][p] = t;
                    t += 3 + task.nextInt(12);
                }
                boolean distinct = true;
                for (int o = g * PER_GROUP; o < k; o++) {
                    int maxDiff = 0;
                    for (int p = 1; p < PULSES; p++) maxDiff = Math.max(maxDiff, Math.abs(offsets[o][p] - offsets[k][p]));
                    if (maxDiff < 4) distinct = false;
                }
                if (distinct) break;
            }
        }
        Dataset train = make(channels, offsets, new SplittableRandom(seed * 31 + 1), trainSize, "train");
        Dataset test = make(channels, offsets, new SplittableRandom(seed * 31 + 2), testSize, "test");
        return new Dataset.Split(train, test, "built-in synthetic (seed " + seed + ")");
    }

    private static int[] permutation(SplittableRandom r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static Dataset make(int[][] channels, int[][] offsets, SplittableRandom r, int n, String part) {
        float[] x = new float[n * STEPS * CHANNELS];
        int[] y = new int[n];
        List<String> names = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            int k = s % CLASSES;
            y[s] = k;
            names.add(part + "-" + s);
            int base = s * STEPS * CHANNELS;
            for (int q = 0; q < STEPS * CHANNELS; q++) x[base + q] = (float) (NOISE * r.nextGaussian());
            int span = offsets[k][PULSES - 1];
            int onset = 2 + r.nextInt(Math.max(1, STEPS - span - 6));
            double amp = 0.8 + 0.4 * r.nextDouble();
            for (int p = 0; p < PULSES; p++) {
                int t0 = onset + offsets[k][p] + r.nextInt(3) - 1;
                pulse(x, base, channels[k][p], t0, 2.5 * amp);
            }
            for (int d = 0; d < DISTRACTORS; d++) pulse(x, base, r.nextInt(CHANNELS), r.nextInt(STEPS), 2.5 * (0.8 + 0.4 * r.nextDouble()));
        }
        return new Dataset(x, y, STEPS, CHANNELS, CLASSES, names);
    }

    private static void pulse(float[] x, int base, int channel, int t0, double peak) {
        for (int t = Math.max(0, t0 - 3); t <= Math.min(STEPS - 1, t0 + 3); t++) {
            double z = t - t0;
            x[base + t * CHANNELS + channel] += (float) (peak * Math.exp(-0.5 * z * z));
        }
    }
}
