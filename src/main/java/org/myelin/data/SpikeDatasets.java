package org.myelin.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.myelin.io.AtomicFiles;
import org.myelin.io.Hdf5;

/**
 * The spiking datasets of Cramer et al. (2020) from their published HDF5 files: the Spiking
 * Heidelberg Digits ({@code shd_train.h5}, {@code shd_test.h5}; 20 classes) and the Spiking Speech
 * Commands ({@code ssc_train.h5}, {@code ssc_valid.h5}, {@code ssc_test.h5}; 35 classes), each
 * also as {@code .h5.gz}, unpacked once into the cache folder.
 *
 * <p>Each file holds {@code spikes/times} (per sample a variable-length array of spike times in
 * seconds), {@code spikes/units} (the matching input channel, 0–699) and {@code labels}. A sample
 * becomes frames of spike counts: spike (t, u) adds one to frame ⌊t / bin⌋ and channel
 * ⌊u / pool⌋ (⌈700 / pool⌉ channels). The frame count is the longest sample's over every part
 * (its last spike's frame + 1) unless {@code steps} is given; shorter samples are padded with
 * empty frames, spikes past the last frame are dropped.
 *
 * <p>While reading, each sample is kept as its events ({@code frame << 10 | channel}, one int a
 * spike); the counts are then written as floats into a {@link Dataset} (N × T × C). SSC's
 * training part (75,466 samples) does not fit in a float array of that size: it is refused with
 * a message saying so, rather than running out of memory.
 */
public final class SpikeDatasets {
    private SpikeDatasets() {}

    /** Input channels of the cochlea model. */
    public static final int UNITS = 700;

    /** Binning settings: frame width in ms, channels summed per group, frames (0: the longest sample's). */
    public static final class Options {
        public double binMs = 10;
        public int pool = 5;
        public int steps = 0;

        public Options binMs(double v) { this.binMs = v; return this; }
        public Options pool(int v) { this.pool = v; return this; }
        public Options steps(int v) { this.steps = v; return this; }

        /** Refuses values out of range, naming the flag. */
        public void check() {
            if (!(binMs > 0 && binMs <= 10_000)) throw new IllegalArgumentException("--bin-ms must be in (0, 10000], got " + binMs);
            if (pool < 1 || pool > UNITS) throw new IllegalArgumentException("--pool must be in 1.." + UNITS + ", got " + pool);
            if (steps < 0) throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }

        /** Channels after pooling. */
        public int channels() {
            return (UNITS + pool - 1) / pool;
        }
    }

    /** "shd" or "ssc" when the folder holds that dataset's files, else null. */
    public static String detect(Path dir) {
        for (String ds : new String[] {"shd", "ssc"}) {
            if (present(dir, ds + "_train") || present(dir, ds + "_test")) return ds;
        }
        return null;
    }

    private static boolean present(Path dir, String stem) {
        return Files.isRegularFile(dir.resolve(stem + ".h5")) || Files.isRegularFile(dir.resolve(stem + ".h5.gz"));
    }

    static int classes(String format) {
        return format.equals("shd") ? 20 : 35;
    }

    /** The samples of one file, as events. */
    static final class Part {
        final String file;
        final int[][] events;
        final int[] labels;
        /** The largest frame index of any spike, -1 when there is none. */
        int lastFrame = -1;

        Part(String file, int n) {
            this.file = file;
            this.events = new int[n][];
            this.labels = new int[n];
        }
    }

    /**
     * Train, (validation,) and test parts of an SHD or SSC folder, binned.
     *
     * @param cache where {@code .h5.gz} files are unpacked (null: next to nothing, refused for gz)
     * @return the train and test parts; SSC's validation part is read and checked but not returned
     */
    public static Dataset.Split load(Path dir, String format, Options o, Path cache, boolean progress) throws IOException {
        o.check();
        if (!format.equals("shd") && !format.equals("ssc")) throw new IllegalArgumentException("not a spiking dataset format: " + format);
        String[] parts = format.equals("shd") ? new String[] {"train", "test"} : new String[] {"train", "valid", "test"};
        int classes = classes(format);
        List<Part> read = new ArrayList<>();
        int last = -1;
        long t0 = System.nanoTime();
        for (String p : parts) {
            Path f = file(dir, format + "_" + p, cache, progress);
            Part part = read(f, classes, o);
            last = Math.max(last, part.lastFrame);
            read.add(part);
        }
        int steps = o.steps > 0 ? o.steps : Math.max(1, last + 1);
        Dataset train = bin(read.get(0), steps, o.channels(), classes);
        Dataset test = bin(read.get(read.size() - 1), steps, o.channels(), classes);
        if (progress) {
            StringBuilder sb = new StringBuilder(format + ": ");
            for (int k = 0; k < parts.length; k++) sb.append(k > 0 ? ", " : "").append(read.get(k).labels.length).append(' ').append(parts[k]);
            sb.append(" samples, ").append(steps).append(" frames of ").append(o.binMs).append(" ms x ").append(o.channels())
                    .append(" channels (").append(String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9)).append(" s)");
            if (parts.length == 3) sb.append("; the validation part is not used yet");
            System.err.println(sb);
        }
        String src = dir + " (" + format + ", bin " + o.binMs + " ms, pool " + o.pool + ", " + steps + " frames)";
        return new Dataset.Split(train, test, src);
    }

    /** The file of a part: {@code stem.h5}, or {@code stem.h5.gz} unpacked into the cache once. */
    static Path file(Path dir, String stem, Path cache, boolean progress) throws IOException {
        Path h5 = dir.resolve(stem + ".h5");
        if (Files.isRegularFile(h5)) return h5;
        Path gz = dir.resolve(stem + ".h5.gz");
        if (!Files.isRegularFile(gz)) throw new IllegalArgumentException(dir + ": " + stem + ".h5 (or " + stem + ".h5.gz) is missing");
        if (cache == null) throw new IllegalArgumentException(gz + ": a .h5.gz file is unpacked into the cache; give --cache DIR (not --no-cache) or unpack it");
        Path out = cache.resolve(stem + ".h5");
        Path stamp = cache.resolve(stem + ".h5.source");
        String key = gz.toAbsolutePath().normalize() + " " + Files.size(gz) + " " + Files.getLastModifiedTime(gz).toMillis();
        if (Files.isRegularFile(out) && Files.isRegularFile(stamp) && Files.readString(stamp).equals(key)) return out;
        Files.deleteIfExists(stamp);
        if (progress) System.err.println("unpacking " + gz + " into " + out);
        try {
            AtomicFiles.write(out, os -> {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
                    in.transferTo(os);
                }
            });
        } catch (ZipException | java.io.EOFException e) {
            throw new IllegalArgumentException(gz + ": not a complete gzip file (" + e.getMessage() + ")");
        }
        AtomicFiles.writeString(stamp, key);
        return out;
    }

    /** Reads one file's samples as events, checking every value. */
    static Part read(Path file, int classes, Options o) throws IOException {
        String name = file.getFileName().toString();
        try (Hdf5 h = Hdf5.open(file)) {
            for (String need : new String[] {"spikes/times", "spikes/units", "labels"}) {
                if (!h.exists(need)) throw new IllegalArgumentException(file + ": not an SHD/SSC file (no " + need + ")");
            }
            Hdf5.Data times = h.dataset("spikes/times");
            Hdf5.Data units = h.dataset("spikes/units");
            Hdf5.Data labels = h.dataset("labels");
            if (times.shape().length != 1 || units.shape().length != 1 || labels.shape().length != 1) {
                throw new IllegalArgumentException(file + ": spikes/times, spikes/units and labels must be one-dimensional");
            }
            if (!times.type().startsWith("vlen ") || !units.type().startsWith("vlen ")) {
                throw new IllegalArgumentException(file + ": spikes/times and spikes/units must be variable-length arrays (they are "
                        + times.type() + " and " + units.type() + ")");
            }
            int n = (int) labels.count();
            if (times.count() != n || units.count() != n) {
                throw new IllegalArgumentException(file + ": " + n + " labels but " + times.count() + " spikes/times and " + units.count() + " spikes/units");
            }
            double[] y = labels.doubles();
            Part part = new Part(name, n);
            double perSecond = 1000.0 / o.binMs;
            int maxFrame = o.steps > 0 ? o.steps - 1 : (1 << 21) - 1;
            for (int i = 0; i < n; i++) {
                double lab = y[i];
                if (!(lab >= 0 && lab < classes && lab == Math.rint(lab))) {
                    throw new IllegalArgumentException(file + ": label " + lab + " of sample " + i + " is outside 0.." + (classes - 1));
                }
                part.labels[i] = (int) lab;
                double[] t = times.sequence(i);
                double[] u = units.sequence(i);
                if (t.length != u.length) {
                    throw new IllegalArgumentException(file + ": sample " + i + " has " + t.length + " spike times but " + u.length + " units");
                }
                int[] ev = new int[t.length];
                int m = 0;
                for (int k = 0; k < t.length; k++) {
                    if (!(t[k] >= 0) || Double.isInfinite(t[k])) {
                        throw new IllegalArgumentException(file + ": spike " + k + " of sample " + i + " has time " + t[k] + " (must be finite and >= 0)");
                    }
                    if (!(u[k] >= 0 && u[k] < UNITS && u[k] == Math.rint(u[k]))) {
                        throw new IllegalArgumentException(file + ": spike " + k + " of sample " + i + " has unit " + u[k] + " (must be 0.." + (UNITS - 1) + ")");
                    }
                    double fr = Math.floor(t[k] * perSecond);
                    if (fr > maxFrame) {
                        if (o.steps > 0) continue; // cropped
                        throw new IllegalArgumentException(file + ": spike " + k + " of sample " + i + " at " + t[k] + " s is too late for "
                                + (1 << 21) + " frames; give --steps or a wider --bin-ms");
                    }
                    int frame = (int) fr;
                    if (frame > part.lastFrame) part.lastFrame = frame;
                    ev[m++] = frame << 10 | ((int) u[k]) / o.pool;
                }
                part.events[i] = m == ev.length ? ev : java.util.Arrays.copyOf(ev, m);
            }
            return part;
        }
    }

    /** Spike counts of every sample: N × steps × channels floats; spikes past the last frame are dropped. */
    static Dataset bin(Part p, int steps, int channels, int classes) {
        int n = p.labels.length;
        long size = (long) n * steps * channels;
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(p.file + ": " + n + " samples of " + steps + " x " + channels + " frames are more than a float array "
                    + "holds (2^31 values); a compact store for this size is not built yet: use a wider --pool or --bin-ms, or --steps");
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (4 * size > heap / 2) {
            throw new IllegalArgumentException(p.file + ": " + n + " samples of " + steps + " x " + channels + " frames need " + (4 * size >> 20)
                    + " MB as floats, more than half the Java heap (" + (heap >> 20) + " MB); give java more (-Xmx), or use a wider --pool or --bin-ms");
        }
        float[] x = new float[(int) size];
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long base = (long) i * steps * channels;
            for (int e : p.events[i]) {
                int frame = e >>> 10;
                if (frame >= steps) continue;
                x[(int) (base + (long) frame * channels + (e & 1023))] += 1f;
            }
            names.add(p.file + "#" + i);
        }
        return new Dataset(x, p.labels.clone(), steps, channels, classes, names);
    }
}
