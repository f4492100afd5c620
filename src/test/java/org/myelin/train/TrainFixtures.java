package org.myelin.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.myelin.data.Dataset;
import org.myelin.io.Json;
import org.myelin.network.DelayMode;
import org.myelin.network.NetConfig;

/** Tiny networks, tiny data and the golden files of golden/train (made by golden/train_ref.py). */
final class TrainFixtures {
    private TrainFixtures() {}

    static final int IN = 6, HID = 12, OUT = 4, STEPS = 10, TD = 3;

    /**
     * A small 4-class task: class k shows a pulse on channel k at step 1 and on channel (k + 1) % 6
     * at step 1 + 2 + k, plus Gaussian noise. Deterministic from the seed.
     */
    static Dataset.Split data(long seed, int train, int test) {
        SplittableRandom r = new SplittableRandom(seed);
        return new Dataset.Split(part(r, train), part(r, test), "tiny test task (seed " + seed + ")");
    }

    private static Dataset part(SplittableRandom r, int n) {
        float[] x = new float[n * STEPS * IN];
        int[] y = new int[n];
        List<String> names = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            int k = s % OUT;
            y[s] = k;
            names.add("s" + s);
            int base = s * STEPS * IN;
            for (int q = 0; q < STEPS * IN; q++) x[base + q] = (float) (0.2 * r.nextGaussian());
            x[base + 1 * IN + k] += 2f;
            x[base + (3 + k) * IN + (k + 1) % IN] += 2f;
        }
        return new Dataset(x, y, STEPS, IN, OUT, names);
    }

    static NetConfig net(DelayMode mode) {
        return NetConfig.builder().inputs(IN).hidden(HID).outputs(OUT).steps(STEPS).maxDelay(TD).delayMode(mode).sigma(1.5f).build();
    }

    /** A dense gauss run of 3 epochs, batch 8, 1 thread. */
    static TrainConfig config(long seed) {
        TrainConfig tc = new TrainConfig();
        tc.net = net(DelayMode.GAUSS);
        tc.epochs = 3;
        tc.batch = 8;
        tc.seed = seed;
        tc.threads = 1;
        tc.inputScale = 2.0;
        return tc;
    }

    /**
     * Writes a trainer's state as a checkpoint container, with its configuration in the header
     * (the run layer's checkpoints hold the whole run specification instead).
     */
    static void save(Trainer t, Path file) throws IOException {
        org.myelin.io.Container c = new org.myelin.io.Container();
        c.header.put("test_config", org.myelin.run.Codec.trainingToMap(t.config(), true));
        t.writeState(c);
        c.write(file, 'C');
    }

    /** Continues from {@link #save}'s file on {@code threads} threads. */
    static Trainer resume(Path file, Dataset.Split data, int threads) throws IOException {
        org.myelin.io.Container c = org.myelin.io.Container.read(file, 'C');
        TrainConfig tc = org.myelin.run.Codec.trainingFromMap(c.header.get("test_config"), file.toString());
        tc.threads = threads;
        return Trainer.fromState(tc, data, org.myelin.kernel.KernelProvider.get(), c, file);
    }

    /** The history in its JSON form. */
    static List<Map<String, Object>> history(Trainer t) {
        List<Map<String, Object>> h = new ArrayList<>();
        for (EpochRecord e : t.history()) h.add(e.toMap());
        return h;
    }

    static final Path GOLDEN = Path.of("golden", "train");

    /** A committed golden file; a missing one fails the test (never skips it). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> golden(String name) throws IOException {
        Path f = GOLDEN.resolve(name);
        assertTrue(Files.isRegularFile(f), "missing golden file " + f.toAbsolutePath() + " (run /usr/bin/python3 golden/train_ref.py)");
        return (Map<String, Object>) Json.parse(Files.readString(f));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    static double[] doubles(Object o) {
        List<?> l = (List<?>) o;
        double[] d = new double[l.size()];
        for (int k = 0; k < d.length; k++) d[k] = ((Number) l.get(k)).doubleValue();
        return d;
    }

    static float[] floats(Object o) {
        double[] d = doubles(o);
        float[] f = new float[d.length];
        for (int k = 0; k < d.length; k++) f[k] = (float) d[k];
        return f;
    }

    static int integer(Object o) {
        return ((Number) o).intValue();
    }
}
