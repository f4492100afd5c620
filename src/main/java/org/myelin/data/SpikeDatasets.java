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
 * also as downloaded, {@code .h5.gz} or {@code .h5.zip}, unpacked once into the cache folder.
 *
 * <p>Each file holds {@code spikes/times} (per sample a variable-length array of spike times in
 * seconds), {@code spikes/units} (the matching input channel, 0–699) and {@code labels}. A sample
 * becomes frames of spike counts: spike (t, u) adds one to frame ⌊t / bin⌋ and channel
 * ⌊u / pool⌋ (⌈700 / pool⌉ channels). The frame count is the longest sample's over every part
 * (its last spike's frame + 1) unless {@code steps} is given; shorter samples are padded with
 * empty frames, spikes past the last frame are dropped.
 *
 * <p>Each sample is binned as it is read into its own array of counts, one unsigned byte per frame
 * and channel up to its last spike's frame ({@link Dataset#ofCounts}): SSC's training part
 * (75,466 samples × ~100 frames × 140 channels) holds about 1 GB. A count above 255 in one frame
 * of one channel is refused (narrower bins or pools hold it).
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

    /** The forms a part's file may take: as it is, or as downloaded (gzip or zip), in the order they are looked for. */
    static final String[] FORMS = {".h5", ".h5.gz", ".h5.zip"};

    private static boolean present(Path dir, String stem) {
        for (String f : FORMS) if (Files.isRegularFile(dir.resolve(stem + f))) return true;
        return false;
    }

    private static String missing(Path dir, String stem) {
        return dir + ": " + stem + ".h5 (or " + stem + ".h5.gz, " + stem + ".h5.zip) is missing";
    }

    static int classes(String format) {
        return format.equals("shd") ? 20 : 35;
    }

    /** The samples of one file, as spike counts (each sample its own frames, up to its last spike's). */
    static final class Part {
        final String file;
        final byte[][] counts;
        final int[] labels;
        /** The class names of the file's {@code extra/keys}, or null when it has none. */
        List<String> keys;
        /** The largest frame index of any spike, -1 when there is none. */
        int lastFrame = -1;

        Part(String file, int n) {
            this.file = file;
            this.counts = new byte[n][];
            this.labels = new int[n];
        }
    }

    /** SHD's classes when a file has no {@code extra/keys}: the English digits 0–9, then the German ones. */
    static final List<String> SHD_NAMES;

    static {
        List<String> n = new ArrayList<>(DatasetLayouts.ENGLISH_DIGITS);
        n.addAll(DatasetLayouts.GERMAN_DIGITS);
        SHD_NAMES = List.copyOf(n);
    }

    /**
     * Train, (validation,) and test parts of an SHD or SSC folder, binned into spike counts (a
     * {@link Dataset#ofCounts count store}).
     *
     * @param cache where {@code .h5.gz} and {@code .h5.zip} files are unpacked (null: none, and they are refused)
     * @return the train, test and (SSC) validation parts, with the classes' names: the training
     *         file's {@code extra/keys} when it has them, else SHD's known list (SSC: none, the
     *         classes are their numbers)
     */
    public static Dataset.Split load(Path dir, String format, Options o, Path cache, boolean progress) throws IOException {
        o.check();
        if (!format.equals("shd") && !format.equals("ssc")) throw new IllegalArgumentException("not a spiking dataset format: " + format);
        String[] parts = format.equals("shd") ? new String[] {"train", "test"} : new String[] {"train", "valid", "test"};
        int classes = classes(format);
        List<Part> read = new ArrayList<>();
        int last = -1;
        long t0 = System.nanoTime();
        long[] held = {0};
        for (String p : parts) { // a missing part is reported before any is read or unpacked
            String stem = format + "_" + p;
            if (!present(dir, stem)) throw new IllegalArgumentException(missing(dir, stem));
        }
        for (String p : parts) {
            Path f = file(dir, format + "_" + p, cache, progress);
            Part part = read(f, classes, o, held);
            last = Math.max(last, part.lastFrame);
            read.add(part);
        }
        int steps = o.steps > 0 ? o.steps : Math.max(1, last + 1);
        int C = o.channels();
        Dataset train = dataset(read.get(0), steps, C, classes);
        Dataset valid = parts.length == 3 ? dataset(read.get(1), steps, C, classes) : null;
        Dataset test = dataset(read.get(read.size() - 1), steps, C, classes);
        List<String> names = read.get(0).keys;
        for (int k = 1; k < read.size(); k++) {
            List<String> other = read.get(k).keys;
            if (names != null && other != null && !other.equals(names)) {
                throw new IllegalArgumentException(dir.resolve(read.get(k).file) + ": extra/keys name the classes differently from "
                        + read.get(0).file + "'s");
            }
        }
        if (names == null && format.equals("shd")) names = SHD_NAMES;
        if (progress) {
            StringBuilder sb = new StringBuilder(format + ": ");
            for (int k = 0; k < parts.length; k++) sb.append(k > 0 ? ", " : "").append(read.get(k).labels.length).append(' ').append(parts[k]);
            sb.append(" samples, ").append(steps).append(" frames of ").append(o.binMs).append(" ms x ").append(C)
                    .append(" channels, ").append(held[0] >> 20).append(" MB of counts (")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9)).append(" s)");
            System.err.println(sb);
        }
        String src = dir + " (" + format + ", bin " + o.binMs + " ms, pool " + o.pool + ", " + steps + " frames)";
        return new Dataset.Split(train, valid, test, src, null, names);
    }

    /**
     * The file of a part: {@code stem.h5}, else {@code stem.h5.gz} or {@code stem.h5.zip} (its entry
     * {@code stem.h5}, or its one {@code .h5} entry) unpacked into the cache once: written
     * atomically (a damaged or interrupted download leaves nothing there, and two processes
     * unpacking at once each rename a whole file into place), then reused while the download keeps
     * its path, size and modification time (a stamp file beside it, written after it).
     */
    static Path file(Path dir, String stem, Path cache, boolean progress) throws IOException {
        Path h5 = dir.resolve(stem + ".h5");
        if (Files.isRegularFile(h5)) return h5;
        Path packed = null;
        for (String f : FORMS) if (packed == null && !f.equals(".h5") && Files.isRegularFile(dir.resolve(stem + f))) packed = dir.resolve(stem + f);
        if (packed == null) throw new IllegalArgumentException(missing(dir, stem));
        boolean zip = packed.getFileName().toString().endsWith(".zip");
        if (cache == null) {
            throw new IllegalArgumentException(packed + ": a " + (zip ? ".h5.zip" : ".h5.gz") + " file is unpacked into the cache; give --cache DIR "
                    + "(not --no-cache) or unpack it");
        }
        Path out = cache.resolve(stem + ".h5");
        Path stamp = cache.resolve(stem + ".h5.source");
        String key = packed.toAbsolutePath().normalize() + " " + Files.size(packed) + " " + Files.getLastModifiedTime(packed).toMillis();
        if (Files.isRegularFile(out) && Files.isRegularFile(stamp) && Files.readString(stamp).equals(key)) return out;
        Files.deleteIfExists(stamp);
        if (progress) System.err.println("unpacking " + packed + " into " + out);
        if (zip) unzip(packed, stem + ".h5", out);
        else gunzip(packed, out);
        AtomicFiles.writeString(stamp, key);
        return out;
    }

    private static void gunzip(Path gz, Path out) throws IOException {
        try {
            AtomicFiles.write(out, os -> {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
                    in.transferTo(os);
                }
            });
        } catch (ZipException | java.io.EOFException e) {
            throw new IllegalArgumentException(gz + ": not a complete gzip file (" + e.getMessage() + ")");
        }
    }

    /**
     * Unpacks the entry {@code name} of a zip file (at any folder depth; else its only {@code .h5}
     * entry) into {@code out}, atomically; a damaged zip or an entry whose data do not match its
     * CRC is one line naming the file.
     */
    private static void unzip(Path zip, String name, Path out) throws IOException {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            java.util.zip.ZipEntry pick = null;
            List<String> h5 = new ArrayList<>();
            for (java.util.Enumeration<? extends java.util.zip.ZipEntry> en = z.entries(); en.hasMoreElements(); ) {
                java.util.zip.ZipEntry e = en.nextElement();
                if (e.isDirectory()) continue;
                String n = e.getName();
                String base = n.substring(n.lastIndexOf('/') + 1);
                if (base.equals(name) && pick == null) pick = e;
                if (base.endsWith(".h5")) h5.add(n);
            }
            if (pick == null && h5.size() == 1) pick = z.getEntry(h5.get(0));
            if (pick == null) {
                throw new IllegalArgumentException(zip + ": holds no " + name + (h5.isEmpty() ? " (no .h5 file at all)" : " (it holds " + h5 + ")"));
            }
            java.util.zip.ZipEntry entry = pick;
            AtomicFiles.write(out, os -> {
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                long n;
                try (InputStream in = new java.util.zip.CheckedInputStream(z.getInputStream(entry), crc)) {
                    n = in.transferTo(os);
                }
                if (n != entry.getSize() || crc.getValue() != entry.getCrc()) {
                    throw new ZipException(entry.getName() + " unpacks to " + n + " bytes of CRC " + Long.toHexString(crc.getValue()) + ", the zip says "
                            + entry.getSize() + " bytes of CRC " + Long.toHexString(entry.getCrc()));
                }
            });
        } catch (ZipException | java.io.EOFException e) {
            throw new IllegalArgumentException(zip + ": a damaged or incomplete zip file (" + e.getMessage() + ")");
        }
    }

    /** The largest spike count a frame of a channel holds in the count store. */
    static final int MAX_COUNT = 255;

    /**
     * Reads one file's samples as spike counts, checking every value.
     *
     * @param held bytes of counts held so far by this load (updated): refused when they would pass
     *             three quarters of the Java heap
     */
    static Part read(Path file, int classes, Options o, long[] held) throws IOException {
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
            part.keys = keys(h, file, classes);
            double perSecond = 1000.0 / o.binMs;
            int maxFrame = o.steps > 0 ? o.steps - 1 : (1 << 21) - 1;
            int C = o.channels();
            long heap = Runtime.getRuntime().maxMemory();
            int[] frames = new int[0];
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
                if (frames.length < t.length) frames = new int[Math.max(t.length, 2 * frames.length)];
                int last = -1;
                for (int k = 0; k < t.length; k++) {
                    if (!(t[k] >= 0) || Double.isInfinite(t[k])) {
                        throw new IllegalArgumentException(file + ": spike " + k + " of sample " + i + " has time " + t[k] + " (must be finite and >= 0)");
                    }
                    if (!(u[k] >= 0 && u[k] < UNITS && u[k] == Math.rint(u[k]))) {
                        throw new IllegalArgumentException(file + ": spike " + k + " of sample " + i + " has unit " + u[k] + " (must be 0.." + (UNITS - 1) + ")");
                    }
                    double fr = Math.floor(t[k] * perSecond);
                    if (fr > maxFrame) {
                        frames[k] = -1;
                        if (o.steps > 0) continue; // cropped
                        throw new IllegalArgumentException(file + ": spike " + k + " of sample " + i + " at " + t[k] + " s is too late for "
                                + (1 << 21) + " frames; give --steps or a wider --bin-ms");
                    }
                    frames[k] = (int) fr;
                    last = Math.max(last, frames[k]);
                }
                long bytes = (long) (last + 1) * C;
                held[0] += bytes + 16;
                if (bytes > Integer.MAX_VALUE - 16 || held[0] > heap / 4 * 3) {
                    throw new IllegalArgumentException(file + ": the spike counts of sample " + i + " bring this data to " + (held[0] >> 20)
                            + " MB, more than three quarters of the Java heap (" + (heap >> 20) + " MB); give java more (-Xmx), or use a wider "
                            + "--pool or --bin-ms, or --steps");
                }
                byte[] row = new byte[(int) bytes];
                for (int k = 0; k < t.length; k++) {
                    if (frames[k] < 0) continue;
                    int q = frames[k] * C + ((int) u[k]) / o.pool;
                    if ((row[q] & 0xFF) == MAX_COUNT) {
                        throw new IllegalArgumentException(file + ": sample " + i + " has more than " + MAX_COUNT + " spikes in frame " + frames[k]
                                + " of channel " + (q % C) + " (the count store's limit); use a narrower --bin-ms or --pool");
                    }
                    row[q]++;
                }
                part.counts[i] = row;
                if (last > part.lastFrame) part.lastFrame = last;
            }
            return part;
        }
    }

    /**
     * The class names of a file's {@code extra/keys} (byte strings in the published files), or
     * null when it has none; refused naming the file when they do not name each class once.
     */
    static List<String> keys(Hdf5 h, Path file, int classes) throws IOException {
        if (!h.exists("extra/keys")) return null;
        String[] k;
        try {
            k = h.dataset("extra/keys").strings();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": extra/keys is not a list of class names (" + e.getMessage() + ")");
        }
        List<String> names = new ArrayList<>(k.length);
        for (String s : k) names.add(s.strip());
        org.myelin.model.Model.checkClassNames(names, classes, file + ": extra/keys");
        return names;
    }

    /** A part as a count store of {@code steps} frames; sample names are {@code FILE#INDEX}. */
    static Dataset dataset(Part p, int steps, int channels, int classes) {
        int n = p.labels.length;
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) names.add(p.file + "#" + i);
        return Dataset.ofCounts(p.counts, p.labels, steps, channels, classes, names);
    }
}
