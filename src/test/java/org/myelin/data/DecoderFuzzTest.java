package org.myelin.data;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.data.audio.AudioFiles;
import org.myelin.data.audio.BadAudioException;

/**
 * Seeded corruption of FLAC and WAV files: bit flips, random bytes, truncation, inserted and
 * deleted bytes. Each decode is time-boxed; it must either succeed or throw {@link BadAudioException}
 * with a one-line message naming the file — never any other exception, never hang.
 */
class DecoderFuzzTest {
    static final int ROUNDS = 150;
    /**
     * A decode of these few-KB files takes milliseconds even interpreted; the box only has to tell a
     * hang (a loop that never ends) from slowness, so it is wide enough that a loaded machine, a
     * cold JIT or a GC pause cannot trip it.
     */
    static final long TIME_BOX_MS = 60_000;
    static ExecutorService pool;

    @BeforeAll
    static void start() {
        pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-decode");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    static byte[] mutate(byte[] in, Random r) {
        byte[] b = in.clone();
        int kind = r.nextInt(6);
        // bias towards the first bytes, where headers and metadata live
        int region = r.nextBoolean() ? Math.min(b.length, 200) : b.length;
        switch (kind) {
            case 0: { // flip a few bits
                int flips = 1 + r.nextInt(8);
                for (int k = 0; k < flips; k++) b[r.nextInt(region)] ^= (byte) (1 << r.nextInt(8));
                return b;
            }
            case 1: { // overwrite a run with random bytes
                int at = r.nextInt(region);
                int len = Math.min(b.length - at, 1 + r.nextInt(16));
                for (int k = 0; k < len; k++) b[at + k] = (byte) r.nextInt(256);
                return b;
            }
            case 2: // truncate
                return Arrays.copyOf(b, r.nextInt(b.length));
            case 3: { // delete a run
                int at = r.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + r.nextInt(32));
                byte[] o = new byte[b.length - len];
                System.arraycopy(b, 0, o, 0, at);
                System.arraycopy(b, at + len, o, at, b.length - at - len);
                return o;
            }
            case 4: { // insert random bytes
                int at = r.nextInt(b.length + 1);
                int len = 1 + r.nextInt(32);
                byte[] o = new byte[b.length + len];
                System.arraycopy(b, 0, o, 0, at);
                for (int k = 0; k < len; k++) o[at + k] = (byte) r.nextInt(256);
                System.arraycopy(b, at, o, at + len, b.length - at);
                return o;
            }
            default: { // set a header-ish 32-bit field to an extreme value
                int at = r.nextInt(Math.max(1, Math.min(b.length - 4, 120)));
                int v = r.nextBoolean() ? 0xffffffff : 0x7fffffff;
                for (int k = 0; k < 4 && at + k < b.length; k++) b[at + k] = (byte) (v >> (8 * k));
                return b;
            }
        }
    }

    /** @param minDetected how many corruptions must be reported (FLAC has CRCs and MD5, WAV has no checksum) */
    static void fuzz(Path file, long seed, int minDetected) throws Exception {
        byte[] original = Files.readAllBytes(file);
        Random r = new Random(seed);
        int failures = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] bad = mutate(original, r);
            String name = "fuzz-" + file.getFileName() + "-" + round;
            Future<?> f = pool.submit(() -> AudioFiles.read(bad, name));
            try {
                f.get(TIME_BOX_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                fail(name + " (seed " + seed + "): decode did not finish within " + TIME_BOX_MS + " ms");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (!(c instanceof BadAudioException)) {
                    AssertionError err = new AssertionError(name + " (seed " + seed + "): threw " + c, c);
                    throw err;
                }
                String m = c.getMessage();
                assertTrue(m.startsWith(name + ": ") && !m.contains("\n") && m.length() < 300, "unclear message: " + m);
                failures++;
            }
        }
        assertTrue(failures >= minDetected, file + ": only " + failures + " of " + ROUNDS + " corruptions were detected");
    }

    @Test
    void corruptFlacFiles() throws Exception {
        String[] files = {"m8_8000.l5.flac", "s16_44100.l8.flac", "s16_44100.l0.flac", "m24_48000.l8.flac",
                "s24_32000.l2.flac", "m16v_16000.vbs.flac", "m16_16000.tags.flac", "m16w_48000.lpc32.flac"};
        long seed = 1000;
        for (String f : files) fuzz(TestData.resource("flac", f), seed++, ROUNDS * 3 / 4);
    }

    @Test
    void corruptWavFiles() throws Exception {
        String[] files = {"g2_16000_m16.wav", "g4_44100_s24.wav", "g5_22050_f32.wav", "g6_11025_s8.wav"};
        long seed = 2000;
        for (String f : files) fuzz(Path.of("golden", "audio", f), seed++, ROUNDS / 5);
    }
}
