package org.myelin.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded corruptions of every fixture: bit flips, truncations, and overwritten words (all ones,
 * zero, huge, or another plausible address in the file). Each damaged file must either read or
 * fail with the reader's own one-line {@link Hdf5.FormatError} naming the file: never another
 * exception, never an out-of-memory error, never a hang (the whole run is bounded in time; a
 * hang would stop it).
 */
class Hdf5FuzzTest {
    static final int CASES_PER_FIXTURE = 600;

    @TempDir
    Path dir;

    @Test
    void damagedFilesReadOrFailWithOneLine() {
        assertTimeoutPreemptively(Duration.ofSeconds(240), this::run);
    }

    private void run() throws IOException {
        int read = 0;
        int refused = 0;
        Path f = dir.resolve("damaged.h5");
        for (String name : Hdf5Test.FIXTURES) {
            byte[] clean = Files.readAllBytes(Hdf5Test.fixture(name + ".h5"));
            List<String> paths = new ArrayList<>();
            for (Map<String, Object> e : Hdf5Test.expected(name)) paths.add((String) e.get("path"));
            for (int c = 0; c < CASES_PER_FIXTURE; c++) {
                long seed = name.hashCode() * 1_000_003L + c;
                SplittableRandom r = new SplittableRandom(seed);
                byte[] b = corrupt(clean, r);
                Files.write(f, b);
                String what = name + " case " + c + " (seed " + seed + ")";
                try {
                    readEverything(f, paths);
                    read++;
                } catch (Hdf5.FormatError e) {
                    String m = e.getMessage();
                    assertTrue(m.startsWith(f + ": ") && !m.contains("\n"), what + ": " + m);
                    refused++;
                } catch (Throwable t) {
                    fail(what + ": " + t, t);
                }
            }
        }
        // Both outcomes occur: damage outside the metadata often leaves a readable file.
        assertTrue(read > 0 && refused > 0, "read " + read + ", refused " + refused);
    }

    private static void readEverything(Path f, List<String> paths) throws IOException {
        try (Hdf5 h = Hdf5.open(f)) {
            h.list("/");
            for (String p : paths) {
                Hdf5.Data d;
                try {
                    d = h.dataset(p);
                } catch (Hdf5.FormatError e) {
                    continue; // the expected refusals; other datasets are still read
                }
                String t = d.type();
                if (t.contains("string")) d.strings();
                else if (t.startsWith("vlen")) for (long k = 0; k < d.count(); k++) d.sequence(k);
                else d.doubles();
            }
        }
    }

    static byte[] corrupt(byte[] clean, SplittableRandom r) {
        byte[] b = clean.clone();
        int kind = r.nextInt(5);
        switch (kind) {
            case 0: { // bit flips
                int n = 1 + r.nextInt(4);
                for (int k = 0; k < n; k++) {
                    int p = r.nextInt(b.length);
                    b[p] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 1: // truncation
                return java.util.Arrays.copyOf(b, r.nextInt(b.length));
            case 2: { // a word set to all ones, zero or a huge value
                int p = r.nextInt(b.length - 8) & ~7;
                long v = r.nextInt(3) == 0 ? -1L : r.nextInt(2) == 0 ? 0 : r.nextLong();
                for (int k = 0; k < 8; k++) b[p + k] = (byte) (v >>> 8 * k);
                return b;
            }
            case 3: { // an 8-byte word replaced by another address inside the file
                int p = r.nextInt(b.length - 8) & ~7;
                long v = r.nextInt(b.length);
                for (int k = 0; k < 8; k++) b[p + k] = (byte) (v >>> 8 * k);
                return b;
            }
            default: { // a 2- or 4-byte count or size made large
                int p = r.nextInt(b.length - 4);
                int v = r.nextBoolean() ? 0xffff : r.nextInt();
                int w = r.nextBoolean() ? 2 : 4;
                for (int k = 0; k < w; k++) b[p + k] = (byte) (v >>> 8 * k);
                return b;
            }
        }
    }
}
