package org.myelin.data;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures the spike loader by hand (not a test): the time to read and bin an SHD/SSC folder, the
 * heap its count store holds, and the time to turn every training sample into a float batch
 * once (what an epoch's batch filling costs, {@link Dataset#read}).
 *
 * <pre>
 * mvn -B -q test-compile
 * java -Xmx1500m -cp target/classes:target/test-classes org.myelin.data.SpikeLoadMeasurement DIR [BATCH]
 * </pre>
 */
public final class SpikeLoadMeasurement {
    private SpikeLoadMeasurement() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        String format = SpikeDatasets.detect(dir);
        long before = used();
        var bean = ManagementFactory.getThreadMXBean();
        long cpu0 = bean.getCurrentThreadCpuTime(), t0 = System.nanoTime();
        Dataset.Split s = SpikeDatasets.load(dir, format, new SpikeDatasets.Options(), null, true);
        double wall = (System.nanoTime() - t0) / 1e9, cpu = (bean.getCurrentThreadCpuTime() - cpu0) / 1e9;
        long held = used() - before;
        long values = s.train.valueBytes() + s.test.valueBytes() + (s.valid == null ? 0 : s.valid.valueBytes());
        System.out.printf(Locale.ROOT, "%s: read and binned in %.2f s wall, %.2f s CPU of the reading thread%n", dir, wall, cpu);
        System.out.printf(Locale.ROOT, "heap held after loading: %.0f MB (count bytes %.0f MB; max heap %.0f MB)%n",
                held / 1e6, values / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
        // the training file alone, read and binned again (the target: ≤ 5 s)
        Path trainFile = SpikeDatasets.file(dir, format + "_train", null, false);
        long c1 = bean.getCurrentThreadCpuTime(), w1 = System.nanoTime();
        SpikeDatasets.Part part = SpikeDatasets.read(trainFile, SpikeDatasets.classes(format), new SpikeDatasets.Options(), new long[1]);
        System.out.printf(Locale.ROOT, "%s alone (%d samples): read and binned in %.2f s wall, %.2f s CPU%n", trainFile.getFileName(),
                part.labels.length, (System.nanoTime() - w1) / 1e9, (bean.getCurrentThreadCpuTime() - c1) / 1e9);
        int n = s.train.steps * s.train.channels;
        float[] x = new float[batch * n];
        for (int rep = 0; rep < 3; rep++) {
            long f0 = System.nanoTime();
            for (int i = 0; i < s.train.size; i++) s.train.read(i, x, (i % batch) * n, 1f);
            double fill = (System.nanoTime() - f0) / 1e9;
            System.out.printf(Locale.ROOT, "batch filling of the %d training samples (%d x %d): %.3f s (%.1f us a sample)%n",
                    s.train.size, s.train.steps, s.train.channels, fill, fill * 1e6 / s.train.size);
        }
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        long u = Long.MAX_VALUE;
        for (int k = 0; k < 3; k++) {
            System.gc();
            u = Math.min(u, rt.totalMemory() - rt.freeMemory());
        }
        return u;
    }
}
