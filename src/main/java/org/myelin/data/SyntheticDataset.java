package org.myelin.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The built-in dataset: a generated 20-class, 40-channel × 80-step spatio-temporal task in the
 * shape of the Raw Heidelberg Digits features, deterministic from a seed.
 *
 * <p>Construction. The 20 classes come in 10 groups of 2. Each group owns 4 of the 40 input
 * channels and 3 intervals of 4–9 steps; one class of the group pulses on its channels in one
 * order with those intervals, the other in the reverse order with the reversed intervals. Both
 * classes of a group activate the same channels equally often, so only the timing between
 * channels tells them apart: a neuron that aligns the pulses with its synaptic delays detects the
 * class by coincidence. A sample places its class pattern at a random onset,
 * jitters each pulse by ±1 step, scales its amplitude by 0.8–1.2, adds 3 distractor pulses on
 * random channels at random times and Gaussian background noise (σ = 0.3). Pulses are Gaussian
 * bumps in time (σ = 1 step, peak 2.5). The class-defining parameters come from the seed too, so
 * two seeds give two different tasks; train and test come from one task with disjoint sample
 * streams.
 */
public final class SyntheticDataset {
    public static final int CLASSES = 20, CHANNELS = 40, STEPS = 80;
    static final int GROUPS = 10, PER_GROUP = 2, PULSES = 4, DISTRACTORS = 1, MIN_GAP = 4, MAX_GAP = 9;
    static final double NOISE = 0.15;

    private SyntheticDataset() {}

    /** Generates the train and test sets of the task defined by {@code seed}. */
    public static Dataset.Split generate(long seed, int trainSize, int testSize) {
        if (trainSize <= 0 || testSize <= 0) throw new IllegalArgumentException("synthetic dataset sizes must be positive");
        SplittableRandom task = new SplittableRandom(seed);
        int[] channelOrder = Dataset.permutation(task, CHANNELS);
        int[][] channels = new int[CLASSES][PULSES];
        int[][] offsets = new int[CLASSES][PULSES];
        for (int g = 0; g < GROUPS; g++) {
            int[] gaps = new int[PULSES];
            for (int p = 1; p < PULSES; p++) gaps[p] = MIN_GAP + task.nextInt(MAX_GAP - MIN_GAP + 1);
            for (int v = 0; v < PER_GROUP; v++) {
                int k = g * PER_GROUP + v;
                int t = 0;
                for (int p = 0; p < PULSES; p++) {
                    t += gaps[p];
                    // class 2g visits the group's channels in one order, class 2g+1 in the reverse order
                    int c = v == 0 ? p : PULSES - 1 - p;
                    channels[k][p] = channelOrder[g * PULSES + c];
                    offsets[k][p] = t;
                }
            }
        }
        Dataset train = make(channels, offsets, new SplittableRandom(seed * 31 + 1), trainSize, "train");
        Dataset test = make(channels, offsets, new SplittableRandom(seed * 31 + 2), testSize, "test");
        return new Dataset.Split(train, test, "built-in synthetic (seed " + seed + ")");
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
