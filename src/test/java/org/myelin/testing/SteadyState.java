package org.myelin.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the bytes a piece of code allocates on the calling thread once it runs in the steady
 * state, for the zero-allocation tests ({@code @Tag("allocation")}).
 *
 * <p>What "steady state" means here, and why a fixed warm-up count is not enough: the Vector API's
 * vectors are objects, and only C2-compiled code turns them back into registers (escape analysis);
 * interpreted and C1 code allocates every vector it creates. When C2 compiles the hot path depends on
 * its queue: in one run of the whole suite (JDK 17, 2 cores, {@code -XX:UseAVX=2}) the single C2
 * thread spent 22 s on one method of an earlier test class, and the engine's {@code lifStep} waited
 * behind it — queued at 18.8 s, compiled at 36.7 s — while the stream test measured its C1 code
 * (1.7 MB a pass; LogCompilation, issue 29). So the tests that use this class run in a JVM of their
 * own (the {@code allocation-*} surefire executions in {@code pom.xml}: one fresh JVM per class,
 * nothing else's compilations queued), and the warm-up waits for the JIT rather than counting:
 * passes run until {@link #QUIET} passes in a row have allocated nothing and the JVM's total
 * compilation time did not move during them (the JIT is idle), within {@link #BUDGET_MS}. Code that
 * really allocates in its steady state never gets there and fails with the bytes of every pass.
 */
public final class SteadyState {
    /** Passes in a row that must allocate nothing, with the compiler idle, before measuring. */
    public static final int QUIET = 3;
    /** Wall-clock bound of the warm-up (a loaded machine compiles slowly; a real allocation never settles). */
    public static final long BUDGET_MS = 120_000;

    /**
     * The most a one-off JVM event may show in one measured pass (seen: 232 and 1,384 bytes). Below
     * what one object per chunk costs the stream test (600 chunks × 16 bytes a pass); an allocation
     * per step or update smaller than this still fails, since it recurs in every pass.
     */
    public static final long ONE_OFF = 4096;

    private final com.sun.management.ThreadMXBean mx;
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    private final long overhead;

    private SteadyState(com.sun.management.ThreadMXBean mx) {
        this.mx = mx;
        // what reading the counter twice costs (normally 0)
        this.overhead = -mx.getCurrentThreadAllocatedBytes() + mx.getCurrentThreadAllocatedBytes();
    }

    /** A meter for this JVM; the test is skipped (with the reason) where the JVM cannot count a thread's bytes. */
    public static SteadyState meter() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "this JVM does not count the bytes a thread allocates");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count the bytes a thread allocates");
        return new SteadyState(mx);
    }

    /** Bytes {@code pass} allocates on this thread (less the counter's own cost). */
    public long bytes(Runnable pass) {
        long t0 = mx.getCurrentThreadAllocatedBytes();
        pass.run();
        return mx.getCurrentThreadAllocatedBytes() - t0 - overhead;
    }

    private long compileMillis() {
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /**
     * Runs {@code pass} until the steady state (above), then {@code windows} more times, and returns
     * the bytes of each measured pass. Fails, with every warm-up pass's bytes, when the steady state
     * is not reached within {@link #BUDGET_MS}.
     */
    public long[] measure(String what, Runnable pass, int windows) {
        return measure(what, pass, windows, BUDGET_MS);
    }

    long[] measure(String what, Runnable pass, int windows, long budgetMs) {
        List<Long> seen = new ArrayList<>();
        long deadline = System.currentTimeMillis() + budgetMs;
        int quiet = 0;
        long jitAtQuietStart = compileMillis();
        while (quiet < QUIET) {
            long jitBefore = compileMillis();
            long b = bytes(pass);
            seen.add(b);
            if (b > 0) {
                quiet = 0;
            } else {
                if (quiet == 0) jitAtQuietStart = jitBefore;
                quiet++;
                // the compiler worked during the quiet passes: it may still be replacing the code
                // we ran, so the quiet run starts again
                if (quiet == QUIET && compileMillis() != jitAtQuietStart) quiet = 0;
            }
            if (quiet < QUIET && System.currentTimeMillis() > deadline) {
                String passes = seen.size() <= 12 ? seen.toString()
                        : seen.subList(0, 6) + " ... " + seen.subList(seen.size() - 6, seen.size()) + " (" + seen.size() + " passes)";
                fail(what + ": no steady state within " + budgetMs / 1000.0 + " s (" + QUIET + " passes in a row allocating nothing with the JIT idle); bytes per pass " + passes);
            }
        }
        long[] out = new long[windows];
        for (int w = 0; w < windows; w++) out[w] = bytes(pass);
        return out;
    }

    /**
     * Asserts the measured passes allocated nothing per step: every pass at most {@code slack} bytes,
     * and all but one exactly 0. An allocation per step, chunk or update recurs, so it shows in
     * every pass (at least 320 bytes a pass in these tests, usually kilobytes); what a single pass
     * may show instead is a one-off event of the JVM on this thread — a deoptimisation materialising
     * scalar-replaced objects, seen as 232 and 1,384 bytes in one pass of three — which is not the
     * steady state's doing.
     */
    public static void assertNothing(String what, long[] windows, long slack) {
        String seen = what + ": bytes per pass " + java.util.Arrays.toString(windows);
        int zero = 0;
        for (long w : windows) {
            assertTrue(w <= slack, seen);
            if (w <= 0) zero++;
        }
        assertTrue(zero >= windows.length - 1, seen + " (all but one pass must allocate nothing)");
    }
}
