package org.myelin.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HDF5 reader against fixtures written by h5py and PyTables (golden/make_hdf5_fixtures.py):
 * every value read must equal the value the writer was given, exactly (each stored value is a
 * double once decoded, float16 included, so no tolerance is needed).
 */
class Hdf5Test {
    static final String[] FIXTURES = {"h5py_default", "h5py_v108", "h5py_latest", "pytables_shd", "pytables_shd_zlib"};

    @TempDir
    Path dir;

    static Path fixture(String name) {
        return Path.of("src/test/resources/hdf5", name);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> expected(String name) throws IOException {
        Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(fixture(name + ".json"), StandardCharsets.UTF_8));
        return (List<Map<String, Object>>) m.get("datasets");
    }

    static double[] numbers(Object list) {
        List<?> l = (List<?>) list;
        double[] out = new double[l.size()];
        for (int k = 0; k < out.length; k++) out[k] = ((Number) l.get(k)).doubleValue();
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h5py_default", "h5py_v108", "h5py_latest", "pytables_shd", "pytables_shd_zlib"})
    void readsEveryDatasetAsWritten(String name) throws IOException {
        int checked = 0;
        try (Hdf5 h = Hdf5.open(fixture(name + ".h5"))) {
            for (Map<String, Object> e : expected(name)) {
                String path = (String) e.get("path");
                if (e.containsKey("refuse")) {
                    Hdf5.FormatError err = assertThrows(Hdf5.FormatError.class, () -> {
                        Hdf5.Data d = h.dataset(path);
                        d.doubles();
                    }, path);
                    assertTrue(err.getMessage().contains((String) e.get("refuse")), err.getMessage());
                    assertTrue(err.getMessage().startsWith(fixture(name + ".h5").toString() + ": "), err.getMessage());
                    // Names the object: the dataset, or the group on its path that cannot be read.
                    assertTrue(err.getMessage().contains(path) || err.getMessage().contains("/" + path.split("/")[0] + ":"), err.getMessage());
                    assertTrue(!err.getMessage().contains("\n"));
                    checked++;
                    continue;
                }
                Hdf5.Data d = h.dataset(path);
                double[] shape = numbers(e.get("shape"));
                long[] want = new long[shape.length];
                for (int k = 0; k < want.length; k++) want[k] = (long) shape[k];
                assertArrayEquals(want, d.shape(), path);
                assertEquals(e.get("type"), d.type(), path);
                if (e.containsKey("sequences")) {
                    List<?> seqs = (List<?>) e.get("sequences");
                    for (int k = 0; k < seqs.size(); k++) assertArrayEquals(numbers(seqs.get(k)), d.sequence(k), path + " element " + k);
                } else if (d.type().contains("string")) {
                    List<?> v = (List<?>) e.get("values");
                    assertEquals(v, List.of(d.strings()), path);
                } else {
                    assertArrayEquals(numbers(e.get("values")), d.doubles(), path);
                    if (d.type().contains("int") && !d.type().equals("uint64")) {
                        long[] l = d.longs();
                        double[] v = numbers(e.get("values"));
                        for (int k = 0; k < l.length; k++) assertEquals(v[k], (double) l[k], path);
                    }
                }
                checked++;
            }
        }
        assertTrue(checked >= 3, "fixture " + name + " checks " + checked + " datasets");
    }

    @Test
    void listsGroupsAndKnowsWhatExists() throws IOException {
        try (Hdf5 h = Hdf5.open(fixture("pytables_shd.h5"))) {
            assertTrue(h.list("/").containsAll(List.of("spikes", "labels", "extra")), h.list("/").toString());
            assertTrue(h.exists("spikes/times"));
            assertTrue(!h.exists("spikes/nothing"));
            Hdf5.FormatError e = assertThrows(Hdf5.FormatError.class, () -> h.dataset("spikes").doubles());
            assertTrue(e.getMessage().contains("is not a dataset"), e.getMessage());
        }
        try (Hdf5 h = Hdf5.open(fixture("h5py_default.h5"))) {
            assertEquals(20, h.list("many").size());
        }
    }

    @Test
    void halfPrecisionCoversSubnormalsAndSpecials() {
        assertEquals(0f, Hdf5.half(0));
        assertEquals(-0f, Hdf5.half(0x8000));
        assertEquals(0x1p-24f, Hdf5.half(1));
        assertEquals(65504f, Hdf5.half(0x7bff));
        assertEquals(1f, Hdf5.half(0x3c00));
        assertEquals(-2f, Hdf5.half(0xc000));
        assertEquals(Float.POSITIVE_INFINITY, Hdf5.half(0x7c00));
        assertTrue(Float.isNaN(Hdf5.half(0x7e00)));
        assertEquals(1023 * 0x1p-24f, Hdf5.half(0x03ff));
    }

    @Test
    void notHdf5TruncatedAndMissingAreOneLineErrors() throws IOException {
        Path junk = dir.resolve("junk.h5");
        Files.writeString(junk, "this is not hdf5");
        Hdf5.FormatError e = assertThrows(Hdf5.FormatError.class, () -> Hdf5.open(junk));
        assertEquals(junk + ": not an HDF5 file (no signature at byte 0, 512, 1024, ...)", e.getMessage());
        byte[] all = Files.readAllBytes(fixture("h5py_default.h5"));
        Path cut = dir.resolve("cut.h5");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 3));
        e = assertThrows(Hdf5.FormatError.class, () -> {
            try (Hdf5 h = Hdf5.open(cut)) {
                for (Map<String, Object> x : expected("h5py_default")) if (!x.containsKey("refuse")) h.dataset((String) x.get("path")).doubles();
            }
        });
        assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Hdf5.open(dir.resolve("absent.h5")));
    }

    @Test
    void fletcher32TakesBigEndianWordsAndAnOddByteHigh() {
        // By hand from HDF5's H5_checksum_fletcher32: {1, 2} is one word 0x0102, sum1 = sum2 = 258;
        // a third byte 3 adds 0x0300: sum1 = 1026 (0x0402), sum2 = 258 + 1026 = 1284 (0x0504).
        assertEquals(0x01020102L, Hdf5.fletcher32(new byte[] {1, 2}));
        assertEquals(0x05040402L, Hdf5.fletcher32(new byte[] {1, 2, 3}));
        assertEquals(0L, Hdf5.fletcher32(new byte[0]));
        // The fixture's chunks (written by libhdf5 with fletcher32) pass: readsEveryDatasetAsWritten.
    }

    @Test
    void lookup3MatchesTheReferenceVectors() {
        // Bob Jenkins' published checks for hashlittle: "" seed 0 → 0xdeadbeef;
        // "Four score and seven years ago" seed 0 → 0x17770551.
        assertEquals(0xdeadbeefL, Hdf5.lookup3(new byte[0], 0, 0));
        byte[] s = "Four score and seven years ago".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x17770551L, Hdf5.lookup3(s, 0, s.length));
    }
}
