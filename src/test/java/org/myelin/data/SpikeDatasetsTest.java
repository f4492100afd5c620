package org.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.io.Json;

/**
 * SHD/SSC folders made of the PyTables fixtures (as the published files were written): detection
 * by file name, binning against counts computed here from the fixtures' expected spike lists, the
 * .h5.gz forms unpacked once into the cache, and every kind of bad input as one line.
 */
class SpikeDatasetsTest {
    static final Path RES = Path.of("src/test/resources/hdf5");

    @TempDir
    Path dir;

    private Path shdFolder() throws IOException {
        Path d = Files.createDirectories(dir.resolve("shd"));
        Files.copy(RES.resolve("pytables_shd.h5"), d.resolve("shd_train.h5"));
        Files.copy(RES.resolve("pytables_shd_zlib.h5"), d.resolve("shd_test.h5"));
        return d;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> expected(String name) throws IOException {
        Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(RES.resolve(name + ".json"), StandardCharsets.UTF_8));
        return (List<Map<String, Object>>) m.get("datasets");
    }

    /** Counts computed directly from the spike lists the fixture was written with. */
    private static float[] reference(String name, int steps, double binMs, int pool, int[] labels) throws IOException {
        List<Map<String, Object>> e = expected(name);
        List<?> times = (List<?>) e.get(0).get("sequences");
        List<?> units = (List<?>) e.get(1).get("sequences");
        List<?> y = (List<?>) e.get(2).get("values");
        int ch = (700 + pool - 1) / pool;
        float[] x = new float[times.size() * steps * ch];
        for (int i = 0; i < times.size(); i++) {
            labels[i] = ((Number) y.get(i)).intValue();
            List<?> t = (List<?>) times.get(i);
            List<?> u = (List<?>) units.get(i);
            for (int k = 0; k < t.size(); k++) {
                int f = (int) Math.floor(((Number) t.get(k)).doubleValue() * 1000 / binMs);
                if (f < steps) x[(i * steps + f) * ch + ((Number) u.get(k)).intValue() / pool]++;
            }
        }
        return x;
    }

    /** Every value of a dataset as floats, N × T × C, read through the one batch path ({@link Dataset#read}). */
    static float[] floats(Dataset d) {
        int n = d.steps * d.channels;
        float[] x = new float[d.size * n];
        for (int i = 0; i < d.size; i++) d.read(i, x, i * n, 1f);
        return x;
    }

    private static int longest(String name, double binMs) throws IOException {
        int last = -1;
        for (Object s : (List<?>) expected(name).get(0).get("sequences")) {
            for (Object t : (List<?>) s) last = Math.max(last, (int) Math.floor(((Number) t).doubleValue() * 1000 / binMs));
        }
        return last;
    }

    @Test
    void detectsBinsAndPoolsAsDefined() throws IOException {
        Path d = shdFolder();
        assertEquals("shd", DatasetLayouts.detect(d));
        Dataset.Split s = AudioDatasets.load(d, new AudioDatasets.Options().noCache(true).progress(false));
        int steps = Math.max(longest("pytables_shd", 10), longest("pytables_shd_zlib", 10)) + 1;
        assertEquals(steps, s.train.steps, "the longest sample's frames over both parts");
        assertEquals(140, s.train.channels);
        assertEquals(20, s.train.classes);
        assertEquals(12, s.train.size);
        assertEquals(9, s.test.size);
        int[] y = new int[12];
        assertArrayEquals(reference("pytables_shd", steps, 10, 5, y), floats(s.train));
        assertArrayEquals(y, s.train.y);
        int[] yt = new int[9];
        assertArrayEquals(reference("pytables_shd_zlib", steps, 10, 5, yt), floats(s.test));
        assertArrayEquals(yt, s.test.y);
        assertTrue(s.train.names.get(3).equals("shd_train.h5#3"));
        assertTrue(s.train.spikeCounts() && s.test.spikeCounts(), "held as counts");
        assertEquals(null, s.valid, "SHD has no validation part");
    }

    @Test
    void classNamesComeFromExtraKeysElseShdsList() throws IOException {
        Dataset.Split s = SpikeDatasets.load(shdFolder(), "shd", new SpikeDatasets.Options(), null, false);
        assertEquals(List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "null", "eins", "zwei", "drei", "vier", "fuenf", "sechs", "sieben", "acht", "neun"), s.classNames, "the file's own spelling");
        Path d = Files.createDirectories(dir.resolve("nokeys"));
        Files.copy(RES.resolve("pytables_shd_nokeys.h5"), d.resolve("shd_train.h5"));
        Files.copy(RES.resolve("pytables_shd_nokeys.h5"), d.resolve("shd_test.h5"));
        Dataset.Split k = SpikeDatasets.load(d, "shd", new SpikeDatasets.Options(), null, false);
        assertEquals(SpikeDatasets.SHD_NAMES, k.classNames);
        assertEquals("fünf", k.classNames.get(15));
    }

    @Test
    void sscHasItsValidationPartAndWords() throws IOException {
        Path d = Files.createDirectories(dir.resolve("ssc"));
        Files.copy(RES.resolve("pytables_ssc.h5"), d.resolve("ssc_train.h5"));
        Files.copy(RES.resolve("pytables_ssc.h5"), d.resolve("ssc_valid.h5"));
        Files.copy(RES.resolve("pytables_ssc.h5"), d.resolve("ssc_test.h5"));
        Dataset.Split s = SpikeDatasets.load(d, "ssc", new SpikeDatasets.Options(), null, false);
        assertEquals(35, s.train.classes);
        assertEquals(10, s.valid.size);
        assertEquals(10, s.test.size);
        assertEquals("backward", s.classNames.get(0));
        assertEquals("zero", s.classNames.get(34));
        int steps = longest("pytables_ssc", 10) + 1;
        int[] y = new int[10];
        assertArrayEquals(reference("pytables_ssc", steps, 10, 5, y), floats(s.valid));
        assertArrayEquals(y, s.valid.y);
    }

    @Test
    void theCountStoreReadsAsFloatsAndRowsKeepIt() {
        // two samples of 3 frames x 2 channels; the second holds only its first frame
        byte[][] c = {{1, 0, (byte) 255, 2, 0, 7}, {3, 4}};
        Dataset d = Dataset.ofCounts(c, new int[] {1, 0}, 3, 2, 2, null);
        float[] x = new float[12];
        d.read(0, x, 0, 0.5f);
        java.util.Arrays.fill(x, 6, 12, 9f); // padding must overwrite this
        d.read(1, x, 6, 2f);
        assertArrayEquals(new float[] {0.5f, 0, 127.5f, 1, 0, 3.5f, 6, 8, 0, 0, 0, 0}, x);
        assertEquals(8, d.valueBytes());
        Dataset r = d.rows(new int[] {1, 1, 0});
        assertTrue(r.spikeCounts());
        assertArrayEquals(new int[] {0, 0, 1}, r.y);
        float[] z = new float[6];
        r.read(2, z, 0, 1f);
        assertArrayEquals(new float[] {1, 0, 255, 2, 0, 7}, z);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofCounts(new byte[][] {{1, 2, 3}}, new int[] {0}, 3, 2, 2, null));
        assertTrue(e.getMessage().contains("not whole frames"), e.getMessage());
    }

    @Test
    void binWidthPoolAndCroppedSteps() throws IOException {
        Path d = shdFolder();
        SpikeDatasets.Options o = new SpikeDatasets.Options().binMs(4).pool(1).steps(20);
        Dataset.Split s = SpikeDatasets.load(d, "shd", o, null, false);
        assertEquals(20, s.train.steps);
        assertEquals(700, s.train.channels);
        int[] y = new int[12];
        float[] want = reference("pytables_shd", 20, 4, 1, y);
        assertArrayEquals(want, floats(s.train));
        // Cropping really dropped spikes: the fixture's spikes run to 250 ms, past 20 x 4 ms.
        assertTrue(longest("pytables_shd", 4) >= 20);
        double total = 0;
        for (float v : want) total += v;
        assertTrue(total > 0);
        // Pool 7: 100 channels; padding past the longest sample leaves zeros.
        Dataset.Split p = SpikeDatasets.load(d, "shd", new SpikeDatasets.Options().pool(7).steps(60), null, false);
        assertEquals(100, p.train.channels);
        assertArrayEquals(reference("pytables_shd", 60, 10, 7, y), floats(p.train));
    }

    @Test
    void gzipFilesAreUnpackedIntoTheCacheOnce() throws IOException {
        Path d = Files.createDirectories(dir.resolve("gz"));
        for (String[] f : new String[][] {{"pytables_shd.h5", "shd_train.h5.gz"}, {"pytables_shd_zlib.h5", "shd_test.h5.gz"}}) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(d.resolve(f[1])))) {
                Files.copy(RES.resolve(f[0]), out);
            }
        }
        Path cacheRoot = dir.resolve("cache");
        AudioDatasets.Options o = new AudioDatasets.Options().cacheRoot(cacheRoot).progress(false);
        Dataset.Split a = AudioDatasets.load(d, o);
        Path unpacked = AudioDatasets.cacheFolder(d, cacheRoot).resolve("shd_train.h5");
        assertArrayEquals(Files.readAllBytes(RES.resolve("pytables_shd.h5")), Files.readAllBytes(unpacked));
        Files.setLastModifiedTime(unpacked, java.nio.file.attribute.FileTime.fromMillis(1000));
        Dataset.Split b = AudioDatasets.load(d, o);
        assertEquals(1000, Files.getLastModifiedTime(unpacked).toMillis(), "reused, not unpacked again");
        assertArrayEquals(floats(a.train), floats(b.train));
        // A damaged .gz: one line, and nothing half-written left in the cache.
        Path bad = Files.createDirectories(dir.resolve("badgz"));
        byte[] gz = Files.readAllBytes(d.resolve("shd_train.h5.gz"));
        Files.write(bad.resolve("shd_train.h5.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
        Files.copy(d.resolve("shd_test.h5.gz"), bad.resolve("shd_test.h5.gz"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AudioDatasets.load(bad, o));
        assertTrue(e.getMessage().contains("shd_train.h5.gz") && e.getMessage().contains("not a complete gzip file"), e.getMessage());
        try (var files = Files.list(AudioDatasets.cacheFolder(bad, cacheRoot))) {
            assertEquals(0, files.count(), "no partial file in the cache");
        }
    }

    /** A zip file of one entry, deflated or stored (the stored form keeps the data's bytes as they are, so a test can damage them). */
    private static byte[] zip(String entry, byte[] data, boolean stored) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(b)) {
            java.util.zip.ZipEntry e = new java.util.zip.ZipEntry(entry);
            if (stored) {
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(data);
                e.setMethod(java.util.zip.ZipEntry.STORED);
                e.setSize(data.length);
                e.setCompressedSize(data.length);
                e.setCrc(crc.getValue());
            }
            z.putNextEntry(e);
            z.write(data);
            z.closeEntry();
        }
        return b.toByteArray();
    }

    /** The downloads' .h5.zip form: unpacked into the cache once, like .h5.gz; a bad zip is one line naming it, nothing left in the cache. */
    @Test
    void zipFilesAreUnpackedIntoTheCacheOnce() throws IOException {
        Path d = Files.createDirectories(dir.resolve("zip"));
        byte[] train = Files.readAllBytes(RES.resolve("pytables_shd.h5")), test = Files.readAllBytes(RES.resolve("pytables_shd_zlib.h5"));
        Files.write(d.resolve("shd_train.h5.zip"), zip("shd_train.h5", train, false));
        Files.write(d.resolve("shd_test.h5.zip"), zip("data/another_name.h5", test, true)); // its one .h5 entry, in a folder
        assertEquals("shd", DatasetLayouts.detect(d));
        Path cacheRoot = dir.resolve("cache");
        AudioDatasets.Options o = new AudioDatasets.Options().cacheRoot(cacheRoot).progress(false);
        Dataset.Split a = AudioDatasets.load(d, o);
        Path folder = AudioDatasets.cacheFolder(d, cacheRoot);
        assertArrayEquals(train, Files.readAllBytes(folder.resolve("shd_train.h5")));
        assertArrayEquals(test, Files.readAllBytes(folder.resolve("shd_test.h5")));
        Dataset.Split plain = SpikeDatasets.load(plainShd(), "shd", new SpikeDatasets.Options(), null, false);
        assertArrayEquals(floats(plain.train), floats(a.train), "the same samples as the unpacked files");
        assertArrayEquals(floats(plain.test), floats(a.test));
        Files.setLastModifiedTime(folder.resolve("shd_train.h5"), java.nio.file.attribute.FileTime.fromMillis(1000));
        AudioDatasets.load(d, o);
        assertEquals(1000, Files.getLastModifiedTime(folder.resolve("shd_train.h5")).toMillis(), "reused, not unpacked again");
        // without a cache: refused, naming the file
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AudioDatasets.load(d, new AudioDatasets.Options().noCache(true).progress(false)));
        assertTrue(e.getMessage().startsWith(d.resolve("shd_train.h5.zip") + ": a .h5.zip file is unpacked into the cache"), e.getMessage());

        // damaged: cut short, a flipped data byte (CRC), not a zip at all, no .h5 inside
        byte[] good = zip("shd_train.h5", train, true);
        byte[] flipped = good.clone();
        flipped[200] ^= 0x10; // inside the stored data (the local header is 30 + 12 bytes)
        byte[][] bad = {java.util.Arrays.copyOf(good, good.length / 2), flipped, "not a zip".getBytes(), zip("readme.txt", new byte[10], false)};
        String[] want = {"a damaged or incomplete zip file", "a damaged or incomplete zip file (shd_train.h5 unpacks to", "a damaged or incomplete zip file",
                "holds no shd_train.h5 (no .h5 file at all)"};
        for (int k = 0; k < bad.length; k++) {
            Path b = Files.createDirectories(dir.resolve("badzip" + k));
            Files.write(b.resolve("shd_train.h5.zip"), bad[k]);
            Files.copy(RES.resolve("pytables_shd_zlib.h5"), b.resolve("shd_test.h5"));
            e = assertThrows(IllegalArgumentException.class, () -> AudioDatasets.load(b, o));
            assertTrue(e.getMessage().startsWith(b.resolve("shd_train.h5.zip") + ": " + want[k]), k + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            try (var files = Files.list(AudioDatasets.cacheFolder(b, cacheRoot))) {
                assertEquals(0, files.count(), k + ": no partial file in the cache");
            }
        }
    }

    private Path plainShd() throws IOException {
        Path p = Files.createDirectories(dir.resolve("plain"));
        Files.copy(RES.resolve("pytables_shd.h5"), p.resolve("shd_train.h5"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(RES.resolve("pytables_shd_zlib.h5"), p.resolve("shd_test.h5"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return p;
    }

    private String failure(String trainFixture) throws IOException {
        Path d = Files.createDirectories(dir.resolve("bad-" + trainFixture));
        Files.copy(RES.resolve(trainFixture + ".h5"), d.resolve("shd_train.h5"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(RES.resolve("pytables_shd_zlib.h5"), d.resolve("shd_test.h5"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpikeDatasets.load(d, "shd", new SpikeDatasets.Options(), null, false));
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.getMessage().startsWith(d.resolve("shd_train.h5") + ": "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void badInputIsOneLineNamingTheFile() throws IOException {
        String unit = failure("shd_bad_unit");
        assertTrue(unit.endsWith("spike 0 of sample 1 has unit 700.0 (must be 0..699)"), unit);
        assertTrue(failure("shd_bad_nan").contains("spike 1 of sample 0 has time NaN"));
        assertTrue(failure("shd_bad_negative").contains("spike 0 of sample 1 has time -0.01"));
        assertTrue(failure("shd_bad_label").contains("label 20.0 of sample 1 is outside 0..19"));
        assertTrue(failure("shd_bad_lengths").contains("sample 0 has 3 spike times but 2 units"));
        assertTrue(failure("shd_bad_layout").contains("not an SHD/SSC file (no spikes/times)"));
        assertTrue(failure("h5py_latest").contains("not an SHD/SSC file"));
        // Truncated: cut anywhere past the superblock, one line naming the file.
        byte[] whole = Files.readAllBytes(RES.resolve("pytables_shd.h5"));
        for (int cut : new int[] {whole.length / 3, whole.length / 2, whole.length - 100}) {
            Path tr = Files.createDirectories(dir.resolve("cut" + cut));
            Files.write(tr.resolve("shd_train.h5"), java.util.Arrays.copyOf(whole, cut));
            Files.copy(RES.resolve("pytables_shd_zlib.h5"), tr.resolve("shd_test.h5"));
            IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                    () -> SpikeDatasets.load(tr, "shd", new SpikeDatasets.Options(), null, false), "cut at " + cut);
            assertTrue(t.getMessage().startsWith(tr.resolve("shd_train.h5") + ": ") && !t.getMessage().contains("\n"), t.getMessage());
        }
        // Not HDF5 at all.
        Path d = Files.createDirectories(dir.resolve("text"));
        Files.writeString(d.resolve("shd_train.h5"), "hello");
        Files.copy(RES.resolve("pytables_shd.h5"), d.resolve("shd_test.h5"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpikeDatasets.load(d, "shd", new SpikeDatasets.Options(), null, false));
        assertEquals(d.resolve("shd_train.h5") + ": not an HDF5 file (no signature at byte 0, 512, 1024, ...)", e.getMessage());
        // A missing test file.
        Path m = Files.createDirectories(dir.resolve("missing"));
        Files.copy(RES.resolve("pytables_shd.h5"), m.resolve("shd_train.h5"));
        e = assertThrows(IllegalArgumentException.class, () -> SpikeDatasets.load(m, "shd", new SpikeDatasets.Options(), null, false));
        assertEquals(m + ": shd_test.h5 (or shd_test.h5.gz, shd_test.h5.zip) is missing", e.getMessage());
        // SSC without its validation file.
        Path ssc = Files.createDirectories(dir.resolve("ssc"));
        Files.copy(RES.resolve("pytables_shd.h5"), ssc.resolve("ssc_train.h5"));
        Files.copy(RES.resolve("pytables_shd.h5"), ssc.resolve("ssc_test.h5"));
        assertEquals("ssc", DatasetLayouts.detect(ssc));
        e = assertThrows(IllegalArgumentException.class, () -> SpikeDatasets.load(ssc, "ssc", new SpikeDatasets.Options(), null, false));
        assertEquals(ssc + ": ssc_valid.h5 (or ssc_valid.h5.gz, ssc_valid.h5.zip) is missing", e.getMessage());
        Files.copy(RES.resolve("pytables_shd_zlib.h5"), ssc.resolve("ssc_valid.h5"));
        // SHD's files in an SSC folder: their extra/keys name 20 classes, not 35.
        e = assertThrows(IllegalArgumentException.class, () -> SpikeDatasets.load(ssc, "ssc", new SpikeDatasets.Options(), null, false));
        assertEquals(ssc.resolve("ssc_train.h5") + ": extra/keys: 20 class names for 35 classes", e.getMessage());
        // Class names named twice in extra/keys.
        assertTrue(failure("pytables_shd_twicekeys").endsWith("extra/keys: class name 'zero' is given twice"));
        // 'features' is for audio: a clear refusal.
        Path shd = shdFolder();
        e = assertThrows(IllegalArgumentException.class, () -> AudioDatasets.build(shd, dir.resolve("f"), new AudioDatasets.Options()));
        assertTrue(e.getMessage().contains("holds spike trains (shd)"), e.getMessage());
        // Settings out of range name their flag.
        e = assertThrows(IllegalArgumentException.class, () -> new SpikeDatasets.Options().pool(0).check());
        assertTrue(e.getMessage().startsWith("--pool"));
        e = assertThrows(IllegalArgumentException.class, () -> new SpikeDatasets.Options().binMs(Double.NaN).check());
        assertTrue(e.getMessage().startsWith("--bin-ms"));
    }
}
