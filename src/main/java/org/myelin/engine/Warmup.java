package org.myelin.engine;

import org.myelin.kernel.KernelOps;
import org.myelin.kernel.WindowSynapses;

/**
 * The vector kernels of a network whose streams start on the scalar ones: built, and run until the
 * JIT has compiled them, on a daemon thread of its own, then published for every stream of the
 * network to take at its next step ({@link CompiledNetwork#compile(org.myelin.model.Model, boolean)}).
 *
 * <p><b>Why.</b> Until C2 has compiled them, the Vector API kernels are slow: every vector operation
 * is a call that allocates its vector, and building them is cold Vector API code too. Measured on
 * JDK 25 with the paper's network (BENCHMARKS.md, "Session 9", a loaded machine): building the
 * implementation and the input layer's 640 permutations took about 0.37 s, the first 100 steps 89 ms
 * against 10 ms on the scalar kernels, and C2 came after about 1,000 steps; the first word cost
 * about 0.5 s of CPU more than on the scalar kernels ("Session 8"). Once compiled a vector step is
 * a few µs. A stream on the scalar kernels hears its first word at once, and one that runs long
 * gets the vector kernels' steady state.
 *
 * <p><b>Memory.</b> Until the vector kernels are built this keeps the input layer's CSR arrays;
 * then the network holds the input layer twice, as the scalar and the vector kernels run it (the
 * scalar one's arrays: 165 KB on the paper's network, 10,240 synapses). Streams hold one reference
 * more.
 *
 * <p><b>Why a switch cannot change a result.</b> Every implementation sums in the same order and
 * gives the same bits ({@link WindowSynapses}; tested), and every implementation keeps the input
 * history in the same layout, so a stream's state after a step does not depend on which kernels
 * ran it: when the switch happens, per stream and per step, changes speed only
 * ({@code WarmupTest} switches at many steps and compares bit for bit).
 *
 * <p><b>When the vector kernels count as compiled.</b> The thread runs two private throw-away
 * streams on made-up frames, batch by batch: one on the scalar kernels, one on the vector kernels.
 * Interpreted or C1-compiled vector code is tens of times slower than compiled scalar code (every
 * vector an object); C2-compiled vector code is as fast or faster. So the vector kernels are
 * published when two vector batches in a row took at most {@link #RATIO} times the fastest scalar
 * batch seen (after at least {@link #MIN_STEPS} steps). The thread runs batches back to back for
 * {@link #BUSY_NANOS}, then (a JIT queue long behind other work) one pair a second, and gives up
 * after {@link #GIVE_UP_NANOS}: in a JVM without C2 ({@code -XX:TieredStopAtLevel=1}) the vector
 * kernels never get fast, and its streams rightly stay on the scalar ones (one warning line).
 * Timing decides only when, never what, the streams compute.
 *
 * <p><b>Threads.</b> The thread is a daemon (it never keeps a JVM alive), started once, by the
 * first stream that asks ({@link #start()}), and waits {@link #START_DELAY_MS} before it works;
 * it touches nothing of any stream but its own two.
 * {@link #ready()} is one volatile read. Each stream takes the kernels at a step boundary of its
 * own thread (the {@code kernels} field of {@link StreamState}).
 */
final class Warmup {
    private static final System.Logger LOG = System.getLogger("org.myelin.kernel");
    /** A vector batch counts as compiled at most this many times the fastest scalar batch. */
    static final double RATIO = 3.0;
    /** Steps per timed batch; the fewest steps before the vector kernels may count as compiled. */
    static final int BATCH = 32, MIN_STEPS = 256;
    /**
     * How long the thread waits before it starts: a process's first second is its busiest (class
     * loading, the JIT compiling its main path), and the streams need nothing from the warm-up
     * meanwhile, so it takes no core from the start-up; a process that is done by then never pays
     * for it (BENCHMARKS.md, "Session 9": 473 → 431 ms to the first word, side by side at load 8).
     */
    static final long START_DELAY_MS = 1000;
    /** Batches back to back this long, then one pair a second until the warm-up gives up. */
    static final long BUSY_NANOS = 20_000_000_000L, GIVE_UP_NANOS = 600_000_000_000L;

    /** One set of kernels a step runs: the input layer and the elementwise loops. */
    static final class Kernels {
        final WindowSynapses window;
        final KernelOps ops;

        Kernels(WindowSynapses window, KernelOps ops) {
            this.window = window;
            this.ops = ops;
        }
    }

    private final CompiledNetwork net;
    /** The vector implementation (the provider's choice), asked for when the kernels are built. */
    private final java.util.function.Supplier<KernelOps> target;
    /** The kernels the streams start on (the network's). */
    final Kernels scalar;
    /** The input layer's post-major CSR, kept until the vector kernels are built; guarded by this. */
    private int[] ptr, pre, delay;
    private float[] w;
    /** The vector kernels once built; guarded by this. */
    private Kernels built;
    /** Set once by the thread; guarded by this. */
    private boolean started;
    /** The vector kernels once compiled: what streams move to. */
    private volatile Kernels ready;
    /** Steps the warm-up ran, for tests and the debug line. */
    private volatile long steps;
    /** Set when the warm-up ended without publishing (gave up, or failed). */
    private volatile boolean failed;

    Warmup(CompiledNetwork net, Kernels scalar, java.util.function.Supplier<KernelOps> target, int[] ptr, int[] pre, int[] delay, float[] w) {
        this.net = net;
        this.target = target;
        this.scalar = scalar;
        this.ptr = ptr;
        this.pre = pre;
        this.delay = delay;
        this.w = w;
    }

    /** The vector kernels, once compiled (null before). */
    Kernels ready() {
        return ready;
    }

    /** What the network's streams run, for {@link CompiledNetwork#describeKernels()}. */
    String describe() {
        Kernels k = ready;
        if (k != null) return k.ops.name() + ": " + k.window.describe();
        return scalar.ops.name() + ": " + scalar.window.describe() + (failed ? " (the vector kernels did not warm up)" : " (vector kernels warming up in the background)");
    }

    /** Steps the warm-up thread has run (0 before it starts). */
    long steps() {
        return steps;
    }

    /** Whether the thread was started. */
    synchronized boolean started() {
        return started;
    }

    /** Starts the thread, the first time. */
    synchronized void start() {
        if (started) return;
        started = true;
        Thread t = new Thread(this::run, "myelin-kernel-warmup");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The vector kernels, built now (on the caller's thread) when not yet built: for a stream that
     * runs them from its first step. Not compiled yet, unless {@link #ready()} says so.
     */
    synchronized Kernels vector() {
        if (built == null) {
            KernelOps ops = target.get();
            built = new Kernels(ops.windowSynapses(net.inputs(), net.hidden(), net.maxDelay(), ptr, pre, delay, w), ops);
            ptr = pre = delay = null;
            w = null;
        }
        return built;
    }

    /** Publishes the vector kernels without waiting for the JIT (tests: a switch at a chosen step). */
    void publish() {
        ready = vector();
    }

    private void run() {
        long t0 = System.nanoTime();
        try {
            Thread.sleep(START_DELAY_MS);
            Kernels v = vector();
            StreamState cold = net.newStream(scalar), hot = net.newStream(v);
            float[] frames = frames(net.inputs());
            long bestScalar = Long.MAX_VALUE;
            int fast = 0, n = 0;
            while (fast < 2 || n < MIN_STEPS) {
                long waited = System.nanoTime() - t0;
                if (waited > GIVE_UP_NANOS) {
                    LOG.log(System.Logger.Level.WARNING, "myelin kernels: vector kernels not compiled after " + waited / 1_000_000_000L
                            + " s (no C2?): streams stay on the scalar kernels");
                    failed = true;
                    return;
                }
                if (waited > BUSY_NANOS) Thread.sleep(1000);
                bestScalar = Math.min(bestScalar, time(cold, frames));
                long vec = time(hot, frames);
                fast = vec <= RATIO * bestScalar ? fast + 1 : 0;
                n += BATCH;
                steps = n;
            }
            ready = v;
            LOG.log(System.Logger.Level.DEBUG, () -> "myelin kernels: vector kernels warm after " + steps + " steps, "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms: streams move to them");
        } catch (InterruptedException e) {
            failed = true;
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failed = true;
            LOG.log(System.Logger.Level.WARNING, "myelin kernels: the vector kernels did not warm up (" + e + "): streams stay on the scalar kernels");
        }
    }

    /** Nanoseconds one batch of steps takes on a stream; the frames repeat every 64 steps. */
    private long time(StreamState s, float[] frames) {
        int nIn = net.inputs();
        long t = System.nanoTime();
        for (int k = 0; k < BATCH; k++) {
            net.advance(s, frames, (int) (s.t % 64) * nIn, null, 0);
        }
        return System.nanoTime() - t;
    }

    /**
     * 64 made-up frames, values in [−2, 2) as normalised log-Mel features are, so that the network
     * spikes and the warm-up runs the same paths as real audio (a fixed sequence: reproducible).
     */
    static float[] frames(int nIn) {
        float[] x = new float[64 * nIn];
        int r = 0x2545F491;
        for (int i = 0; i < x.length; i++) {
            r ^= r << 13;
            r ^= r >>> 17;
            r ^= r << 5;
            x[i] = (r >>> 8) * (4f / (1 << 24)) - 2f;
        }
        return x;
    }
}
