package org.myelin.edge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.engine.TestModels;
import org.myelin.io.Json;
import org.myelin.model.FeatureRecipe;
import org.myelin.model.Model;
import org.myelin.network.Readout;

/**
 * What one more stream costs: the objects a {@link WordStream} holds that its spotter does not
 * (counted field by field, 64-bit JVM with compressed references), on the paper's network
 * (40 → 256 → 10, Td = 25) with the paper's front end, resampling 16 → 8 kHz and voice activity —
 * at most 64 KB — and, as a check of that count, the heap a thousand streams take.
 */
class StreamMemoryTest {
    static final long LIMIT = 64 * 1024;

    @TempDir
    static Path dir;

    static KeywordSpotter paperSpotter() throws IOException {
        Model m = TestModels.random(11, 40, 256, 10, 80, 25, Readout.VSUM, true, 0.3f);
        float[] mean = new float[40], std = new float[40];
        java.util.Arrays.fill(std, 2f);
        Map<String, Object> meta = Json.object();
        Path f = dir.resolve("paper.myelin");
        new Model(m.config, m.layers, m.norms, meta, m.learntDelays, FeatureRecipe.paper(8000).withGlobalNormalization(mean, std)).save(f);
        return KeywordSpotter.load(f);
    }

    @Test
    void anExtraStreamTakesAtMost64Kb() throws Exception {
        KeywordSpotter sp = paperSpotter();
        Options o = Options.builder().sampleRate(16000).build();
        float[] x = new float[16000];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.1 * r.nextGaussian());
        WordStream first = sp.openStream(o, w -> {}), s = sp.openStream(o, w -> {});
        first.push(x);
        s.push(x); // past the start-up window: every buffer in use

        // what the second stream holds that neither the spotter nor the first stream does (tables
        // that streams of one front end share, e.g. the log-Mel filter bank, are not its own)
        Map<Object, Boolean> shared = new IdentityHashMap<>();
        walk(sp, shared, null);
        walk(first, shared, null);
        long own = walk(s, new IdentityHashMap<>(), shared);
        System.out.printf("bytes per stream (field count): %d%n", own);
        assertTrue(own <= LIMIT, "one stream holds " + own + " bytes of its own");
        assertTrue(own > 20_000, "the count found the stream's buffers: " + own);

        // the heap of 1000 more streams, live after a full collection
        int n = 1000;
        List<WordStream> keep = new ArrayList<>(n);
        long before = used();
        for (int k = 0; k < n; k++) keep.add(sp.openStream(o, w -> {}));
        for (WordStream w : keep) w.push(x);
        long perStream = (used() - before) / n;
        System.out.printf("bytes per stream (heap, %d streams): %d%n", n, perStream);
        assertTrue(keep.size() == n);
        assertTrue(perStream <= LIMIT, "heap per stream " + perStream);
        assertTrue(perStream > 0.8 * own && perStream < 1.25 * own, "the heap agrees with the count: " + perStream + " vs " + own);
    }

    static long used() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int k = 0; k < 4; k++) {
            System.gc();
            Thread.sleep(50);
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    /**
     * Bytes of the objects reachable from {@code o} through Myelin objects and arrays (JDK objects
     * other than arrays count as a 16-byte header and are not followed), skipping those in
     * {@code skip}.
     */
    static long walk(Object root, Map<Object, Boolean> seen, Map<Object, Boolean> skip) throws IllegalAccessException {
        long total = 0;
        List<Object> stack = new ArrayList<>(List.of(root));
        while (!stack.isEmpty()) {
            Object o = stack.remove(stack.size() - 1);
            if (o == null || seen.containsKey(o) || (skip != null && skip.containsKey(o))) continue;
            seen.put(o, Boolean.TRUE);
            Class<?> c = o.getClass();
            if (c.isArray()) {
                int len = Array.getLength(o);
                Class<?> e = c.getComponentType();
                int es = e == long.class || e == double.class ? 8 : e == byte.class || e == boolean.class ? 1 : e == short.class || e == char.class ? 2 : 4;
                total += align(16 + (long) es * len);
                if (!e.isPrimitive()) for (int i = 0; i < len; i++) stack.add(Array.get(o, i));
                continue;
            }
            if (o instanceof Enum) continue; // constants: shared by every stream
            boolean ours = c.getName().startsWith("org.myelin.");
            if (!ours) {
                total += 16;
                continue;
            }
            long size = 12;
            for (Class<?> k = c; k != null && k.getName().startsWith("org.myelin."); k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) continue;
                    Class<?> t = f.getType();
                    size += t == long.class || t == double.class ? 8 : t == byte.class || t == boolean.class ? 1 : t == short.class || t == char.class ? 2 : 4;
                    if (!t.isPrimitive()) {
                        f.setAccessible(true);
                        stack.add(f.get(o));
                    }
                }
            }
            total += align(size);
        }
        return total;
    }

    static long align(long b) {
        return (b + 7) & ~7L;
    }
}
