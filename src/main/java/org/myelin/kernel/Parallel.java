package org.myelin.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed team of threads that splits a range of independent rows into contiguous chunks, one per
 * thread, the caller running the first. Every kernel gives each output element to exactly one
 * row, computed in a fixed order, so results are bit-identical whatever the thread count.
 */
public final class Parallel implements AutoCloseable {
    /** A body run on the half-open row range [lo, hi). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int lo, int hi);
    }

    private final int threads;
    private final ExecutorService pool;

    /** A team of {@code threads} (≥ 1) threads; 1 means the caller only. */
    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "myelin-worker");
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body} over [0, n), split into chunks whose bounds are multiples of {@code grain}. */
    public void range(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int blocks = (n + grain - 1) / grain;
        int parts = Math.min(threads, blocks);
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int lo = Math.min(n, (int) ((long) blocks * p / parts) * grain);
            int hi = Math.min(n, (int) ((long) blocks * (p + 1) / parts) * grain);
            futures.add(pool.submit(() -> body.run(lo, hi)));
        }
        int hi0 = Math.min(n, (int) ((long) blocks / parts) * grain);
        Throwable failure = null;
        try {
            body.run(0, hi0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) failure = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = e;
            }
        }
        if (failure instanceof RuntimeException) throw (RuntimeException) failure;
        if (failure instanceof Error) throw (Error) failure;
        if (failure != null) throw new IllegalStateException(failure);
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
