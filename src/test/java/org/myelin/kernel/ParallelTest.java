package org.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The persistent team: every row exactly once, chunk bounds on the grain, failures re-thrown, nesting inline. */
class ParallelTest {
    @Test
    void everyRowOnceOnGrainBoundsForManyShapes() {
        for (int threads = 1; threads <= 4; threads++) {
            try (Parallel par = new Parallel(threads)) {
                for (int n : new int[] {1, 2, 3, 7, 20, 31, 256}) {
                    for (int grain : new int[] {1, 2, 4, 16}) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(n);
                        int g = grain;
                        par.range(n, grain, (lo, hi) -> {
                            assertTrue(lo % g == 0, "chunk start " + lo + " not a multiple of " + g);
                            for (int i = lo; i < hi; i++) hits.incrementAndGet(i);
                        });
                        int[] got = new int[n];
                        for (int i = 0; i < n; i++) got[i] = hits.get(i);
                        int[] one = new int[n];
                        java.util.Arrays.fill(one, 1);
                        assertArrayEquals(one, got, "threads " + threads + ", n " + n + ", grain " + grain);
                    }
                }
            }
        }
    }

    @Test
    void manyConsecutiveRangesSumCorrectly() {
        try (Parallel par = new Parallel(3)) {
            long[] sums = new long[3];
            for (int rep = 0; rep < 20_000; rep++) {
                int n = 1 + rep % 5;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                par.range(n, 1, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < n; i++) sums[0] += hits.get(i);
                sums[1] += n;
            }
            assertEquals(sums[1], sums[0]);
        }
    }

    @Test
    void aFailureOnAWorkerReachesTheCaller() {
        try (Parallel par = new Parallel(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> par.range(10, 1, (lo, hi) -> {
                if (lo > 0) throw new IllegalStateException("worker chunk " + lo);
            }));
            assertEquals("worker chunk 5", e.getMessage());
            // the team still works afterwards
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            par.range(10, 1, (lo, hi) -> { for (int i = lo; i < hi; i++) hits.incrementAndGet(i); });
            for (int i = 0; i < 10; i++) assertEquals(1, hits.get(i));
        }
    }

    @Test
    void aNestedRangeRunsInline() {
        try (Parallel par = new Parallel(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(16);
            par.range(4, 1, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    int base = i * 4;
                    par.range(4, 1, (a, b) -> { for (int q = a; q < b; q++) hits.incrementAndGet(base + q); });
                }
            });
            for (int i = 0; i < 16; i++) assertEquals(1, hits.get(i));
        }
    }

    /** Each chunk of one range has its own part in [0, threads), the caller's is 0, and the parts are the chunks in order (scratch per part is then never shared). */
    @Test
    void partsAreDistinctPerRangeAndTheCallerIsPartZero() {
        for (int threads = 1; threads <= 4; threads++) {
            try (Parallel par = new Parallel(threads)) {
                for (int n : new int[] {1, 3, 8, 64, 257}) {
                    for (int grain : new int[] {1, 4}) {
                        int max = threads;
                        AtomicIntegerArray owner = new AtomicIntegerArray(n);
                        AtomicIntegerArray used = new AtomicIntegerArray(threads);
                        Thread caller = Thread.currentThread();
                        par.rangeParts(n, grain, (part, lo, hi) -> {
                            assertTrue(part >= 0 && part < max, "part " + part + " outside [0, " + max + ")");
                            assertEquals(1, used.incrementAndGet(part), "part " + part + " given to two chunks");
                            assertEquals(part == 0, Thread.currentThread() == caller, "part 0 must be the caller's chunk");
                            for (int i = lo; i < hi; i++) owner.set(i, part);
                        });
                        for (int i = 1; i < n; i++) assertTrue(owner.get(i) >= owner.get(i - 1), "parts out of row order at " + i);
                    }
                }
            }
        }
    }
}
