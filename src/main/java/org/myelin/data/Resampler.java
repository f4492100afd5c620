package org.myelin.data;

import org.myelin.model.FeatureRecipe;

/**
 * A band-limited polyphase resampler from one integer sample rate to another, usable offline
 * ({@link #resample}) and on a stream ({@link #process} / {@link #finish}) with the same bits.
 *
 * <p><b>Maths.</b> With up/down = target/source in lowest terms and M = max(up, down), the
 * low-pass filter is a Kaiser-windowed sinc of 2·K + 1 taps, K = 10·M, cut-off 1/M of the
 * up-sampled Nyquist rate, β = 5: h[n] = w[n]·sinc((n − K)/M)/M for n = 0..2K, normalised to sum 1
 * and multiplied by up (the same design as SciPy's {@code resample_poly} defaults, which the tests
 * compare against). Output sample m is
 * <pre>  y[m] = Σ_j x[j] · h[m·down − j·up + K]   over the j with 0 ≤ m·down − j·up + K ≤ 2K,</pre>
 * x[j] = 0 outside the signal, summed in double in descending j and rounded once to float. A signal
 * of N samples gives ⌈N·up/down⌉ samples, the filter's delay removed (sample m is at time
 * m/target, as sample j is at j/source).
 *
 * <p><b>Streaming.</b> Output m needs the inputs up to j = ⌊(m·down + K)/up⌋, so a stream lags by
 * about K/up input samples (10 ms at 44.1 → 8 kHz's 4410/80 ≈ 55 samples, ≈ 1.3 ms; 0.1 ms at
 * 16 → 8 kHz). {@link #finish} flushes the tail as if zeros followed. A resampler between equal
 * rates copies. Not thread-safe (one per stream); {@link #process} and {@link #finish} allocate
 * nothing.
 */
public final class Resampler {
    /** Kaiser β and filter half-length factor of the design. */
    static final double BETA = 5.0;
    static final int HALF_LENGTH_FACTOR = 10;
    /** Largest term of the reduced ratio accepted (filter of 20·50,000 + 1 taps, 8 MB). */
    static final int MAX_RATIO_TERM = 50_000;

    public final int sourceRate, targetRate;
    /** The reduced ratio target/source = up/down. */
    public final int up, down;
    private final int half;
    /** Polyphase bank: phase p holds h[p], h[p + up], h[p + 2·up], ... */
    private final double[][] phase;
    private final float[] ring;
    private final int mask;
    /** Inputs written into the ring (real samples, then zeros while finishing), real samples received. */
    private long written, received;
    /** Next output index. */
    private long next;
    private boolean finished;

    /**
     * @throws IllegalArgumentException when a rate is not in [1, {@link FeatureRecipe#MAX_RATE}] Hz
     */
    public Resampler(int sourceRate, int targetRate) {
        checkRate(sourceRate, "source");
        checkRate(targetRate, "target");
        this.sourceRate = sourceRate;
        this.targetRate = targetRate;
        int g = gcd(sourceRate, targetRate);
        this.up = targetRate / g;
        this.down = sourceRate / g;
        int m = Math.max(up, down);
        if (m > MAX_RATIO_TERM) {
            throw new IllegalArgumentException("cannot resample " + sourceRate + " Hz to " + targetRate + " Hz: their ratio " + up + "/" + down
                    + " in lowest terms needs a filter of " + (20L * m + 1) + " taps (limit: terms up to " + MAX_RATIO_TERM + ")");
        }
        this.half = up == down ? 0 : HALF_LENGTH_FACTOR * m;
        int taps = 2 * half + 1;
        double[] h = new double[taps];
        if (up == down) {
            h[0] = 1.0;
        } else {
            double i0b = besselI0(BETA), sum = 0;
            for (int n = 0; n < taps; n++) {
                double r = 2.0 * n / (taps - 1) - 1.0;
                double w = besselI0(BETA * Math.sqrt(Math.max(0.0, 1.0 - r * r))) / i0b;
                double t = (n - half) / (double) m;
                double s = t == 0 ? 1.0 : Math.sin(Math.PI * t) / (Math.PI * t);
                h[n] = w * s / m;
                sum += h[n];
            }
            for (int n = 0; n < taps; n++) h[n] = h[n] / sum * up;
        }
        phase = new double[up][];
        int longest = 1;
        for (int p = 0; p < up; p++) {
            int count = p < taps ? (taps - 1 - p) / up + 1 : 0;
            phase[p] = new double[count];
            for (int i = 0; i < count; i++) phase[p][i] = h[p + i * up];
            longest = Math.max(longest, count);
        }
        int size = Integer.highestOneBit(longest) << 1;
        ring = new float[size];
        mask = size - 1;
    }

    static void checkRate(int rate, String what) {
        if (rate < 1 || rate > FeatureRecipe.MAX_RATE) {
            throw new IllegalArgumentException(what + " sample rate " + rate + " Hz cannot be resampled (need 1 .. " + FeatureRecipe.MAX_RATE + " Hz)");
        }
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** The modified Bessel function I0 by its power series (terms until they no longer change the sum). */
    static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 500; k++) {
            term *= q / ((double) k * k);
            double s = sum + term;
            if (s == sum) break;
            sum = s;
        }
        return sum;
    }

    /** True when the rates are equal (samples are copied). */
    public boolean identity() {
        return up == down;
    }

    /** Samples of output a signal of n input samples gives in total: ⌈n·up/down⌉. */
    public long outputLength(long n) {
        return (n * up + down - 1) / down;
    }

    /** An upper bound on the samples one {@link #process} call of {@code n} inputs produces. */
    public int maxOutput(int n) {
        return (int) Math.min(Integer.MAX_VALUE, ((long) n * up) / down + 2);
    }

    /** Back to the start of a new stream. */
    public void reset() {
        java.util.Arrays.fill(ring, 0f);
        written = received = next = 0;
        finished = false;
    }

    /**
     * Pushes {@code in[off, off+len)} and writes every output sample they complete to {@code out}
     * from {@code outOff} (room for {@link #maxOutput}(len) is needed). Samples are not checked here.
     *
     * @return the number of output samples written
     * @throws IllegalStateException after {@link #finish}
     */
    public int process(float[] in, int off, int len, float[] out, int outOff) {
        if (finished) throw new IllegalStateException("resampler: samples pushed after finish");
        int w = 0;
        for (int q = off; q < off + len; q++) {
            ring[(int) (written & mask)] = in[q];
            written++;
            received++;
            w += drain(out, outOff + w, Long.MAX_VALUE);
        }
        return w;
    }

    /**
     * Ends the stream: writes the remaining samples of the ⌈N·up/down⌉ in all (N = samples
     * pushed), the input continuing with zeros; {@link #tailLength()} is how many (room is needed).
     *
     * @return the number of output samples written
     */
    public int finish(float[] out, int outOff) {
        finished = true;
        long total = outputLength(received);
        int w = 0;
        while (next < total) {
            long need = needed(next);
            while (written <= need) {
                ring[(int) (written & mask)] = 0f;
                written++;
            }
            w += drain(out, outOff + w, total);
        }
        return w;
    }

    /** Output samples {@link #finish} will write now. */
    public int tailLength() {
        return (int) (outputLength(received) - next);
    }

    /** The last input index output m depends on. */
    private long needed(long m) {
        return Math.floorDiv(m * down + half, up);
    }

    /** Writes every output whose inputs are all in the ring, up to index {@code limit}. */
    private int drain(float[] out, int outOff, long limit) {
        int w = 0;
        while (next < limit) {
            long jhi = needed(next);
            if (jhi >= written) break;
            int p = (int) (next * down + half - jhi * up);
            double[] taps = phase[p];
            double acc = 0;
            for (int i = 0; i < taps.length; i++) {
                long j = jhi - i;
                if (j < 0) break;
                acc += taps[i] * ring[(int) (j & mask)];
            }
            out[outOff + w++] = (float) acc;
            next++;
        }
        return w;
    }

    /** The whole signal resampled (a fresh stream run over it, then finished). */
    public static float[] resample(float[] x, int sourceRate, int targetRate) {
        Resampler r = new Resampler(sourceRate, targetRate);
        if (r.identity()) return x.clone();
        long n = r.outputLength(x.length);
        if (n > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("resampled signal too long (" + n + " samples)");
        float[] out = new float[(int) n + 2];
        int w = r.process(x, 0, x.length, out, 0);
        w += r.finish(out, w);
        return w == out.length ? out : java.util.Arrays.copyOf(out, w);
    }
}
