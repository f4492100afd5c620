package org.myelin.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that splits a range of independent rows into contiguous chunks, one per
 * thread, the caller running the first. Every kernel gives each output element to exactly one
 * row, computed in a fixed order, so results are bit-identical whatever the thread count.
 *
 * <p>The team is persistent: its workers live as long as the team and wait for the next range by
 * spinning briefly, then parking, so a call allocates nothing and hands off through two volatile
 * counters rather than an executor queue and futures. A range started while the team is busy
 * (from a body, or from a second thread) runs on the calling thread alone — the same bits.
 */
public final class Parallel implements AutoCloseable {
    /**
     * A body run on the half-open row range [lo, hi) as chunk {@code part} of the range (0 ≤ part &lt;
     * {@link #threads()}; no two chunks of one range run with the same part at once), so that a
     * body can use scratch space of its own per part without allocating.
     */
    @FunctionalInterface
    public interface PartBody {
        void run(int part, int lo, int hi);
    }

    /** A body run on the half-open row range [lo, hi). */
    @FunctionalInterface
    public interface RangeBody extends PartBody {
        void run(int lo, int hi);

        @Override
        default void run(int part, int lo, int hi) {
            run(lo, hi);
        }
    }

    /** Spin iterations before a waiting thread parks (a few microseconds). */
    private static final int SPINS = 1 << 12;

    private final int threads;
    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int generation;
    private volatile boolean closed;
    private volatile Thread caller;
    // the current range, published by the volatile write of generation
    private PartBody body;
    private int n, grain, blocks, parts;
    private volatile Throwable failure;

    /** A team of {@code threads} (≥ 1) threads; 1 means the caller only. */
    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            int part = w + 1;
            Thread t = new Thread(() -> work(part), "myelin-worker-" + part);
            t.setDaemon(true);
            workers[w] = t;
            t.start();
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body} over [0, n), split into chunks whose bounds are multiples of {@code grain}. */
    public void range(int n, int grain, RangeBody body) {
        rangeParts(n, grain, body);
    }

    /** {@link #range}, telling the body which chunk (part) it runs: the caller's is part 0. */
    public void rangeParts(int n, int grain, PartBody body) {
        if (n <= 0) return;
        int blocks = (n + grain - 1) / grain;
        int parts = Math.min(threads, blocks);
        if (parts <= 1 || closed || !busy.compareAndSet(false, true)) {
            body.run(0, 0, n);
            return;
        }
        try {
            this.body = body;
            this.n = n;
            this.grain = grain;
            this.blocks = blocks;
            this.parts = parts;
            this.failure = null;
            this.caller = Thread.currentThread();
            // every worker acknowledges every range (an idle one too), so none can read the fields
            // of the next range while it is being written
            pending.set(workers.length);
            generation++; // publishes the fields above
            for (Thread w : workers) LockSupport.unpark(w);
            Throwable own = null;
            try {
                body.run(0, 0, bound(1, blocks, parts, grain, n));
            } catch (RuntimeException | Error e) {
                own = e;
            }
            for (int spin = 0; pending.get() != 0; spin++) {
                if (spin < SPINS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            this.body = null;
            Throwable f = own != null ? own : failure;
            if (f instanceof RuntimeException) throw (RuntimeException) f;
            if (f instanceof Error) throw (Error) f;
            if (f != null) throw new IllegalStateException(f);
        } finally {
            busy.set(false);
        }
    }

    /** End of chunk {@code p − 1} (start of chunk p). */
    private static int bound(int p, int blocks, int parts, int grain, int n) {
        return Math.min(n, (int) ((long) blocks * p / parts) * grain);
    }

    private void work(int part) {
        int seen = 0;
        while (true) {
            int g;
            for (int spin = 0; (g = generation) == seen && !closed; spin++) {
                if (spin < SPINS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = g;
            if (part < parts) {
                try {
                    body.run(part, bound(part, blocks, parts, grain, n), bound(part + 1, blocks, parts, grain, n));
                } catch (Throwable e) {
                    if (failure == null) failure = e;
                }
            }
            if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) LockSupport.unpark(t);
    }
}
