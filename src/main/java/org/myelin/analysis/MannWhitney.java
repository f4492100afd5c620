package org.myelin.analysis;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Two-sided Mann–Whitney U test, computed the way {@code scipy.stats.mannwhitneyu(x, y)} does with
 * its defaults in SciPy 1.10 ({@code use_continuity=True, alternative='two-sided', method='auto'}).
 *
 * <ul>
 *   <li>U is the statistic of the first sample: {@code U1 = R1 − n1(n1+1)/2}, with R1 the sum of
 *       the first sample's average ranks in the pooled data.</li>
 *   <li>Method 'auto' (SciPy 1.10's {@code _mwu_choose_method}): the <em>exact</em> null
 *       distribution when at least one sample has 8 or fewer values <em>and</em> the pooled data
 *       hold no ties; otherwise the <em>asymptotic</em> normal approximation with the tie-corrected
 *       standard deviation and a continuity correction of 0.5.</li>
 *   <li>p = 2 · P(U ≥ max(U1, U2)) under the null, clipped to [0, 1].</li>
 * </ul>
 *
 * <p>Effect sizes: the common-language effect size {@code U1 / (n1·n2)} (the probability that a
 * value of x exceeds one of y, ties counting half) and the rank-biserial correlation
 * {@code (U1 − U2) / (n1·n2) = 2·CL − 1}, positive when x tends to be larger than y.
 *
 * <p>Values must be finite (SciPy rejects NaN and returns NaN for infinities); an empty sample
 * is an error.
 */
public final class MannWhitney {
    private MannWhitney() {}

    /** Outcome of one test. */
    public static final class Result {
        /** U statistic of the first sample (U1). */
        public final double u;
        /** Two-sided p-value. */
        public final double p;
        /** Sizes of the first and the second sample. */
        public final int n1, n2;
        /** True when the exact null distribution was used, false for the normal approximation. */
        public final boolean exact;
        /** Standardised statistic of the asymptotic method (NaN for the exact method). */
        public final double z;

        Result(double u, double p, int n1, int n2, boolean exact, double z) {
            this.u = u;
            this.p = p;
            this.n1 = n1;
            this.n2 = n2;
            this.exact = exact;
            this.z = z;
        }

        /** Common-language effect size U1 / (n1·n2). */
        public double commonLanguage() {
            return u / ((double) n1 * n2);
        }

        /** Rank-biserial correlation (U1 − U2) / (n1·n2), in [−1, 1]. */
        public double rankBiserial() {
            return 2.0 * commonLanguage() - 1.0;
        }

        /** The method name SciPy would report: "exact" or "asymptotic". */
        public String method() {
            return exact ? "exact" : "asymptotic";
        }

        @Override
        public String toString() {
            return "MannWhitney[U=" + u + ", p=" + p + ", n1=" + n1 + ", n2=" + n2 + ", " + method() + "]";
        }
    }

    /** Runs the test of sample x against sample y. */
    public static Result test(double[] x, double[] y) {
        int n1 = x.length, n2 = y.length;
        if (n1 == 0 || n2 == 0) throw new IllegalArgumentException("Mann-Whitney: both samples must be non-empty");
        int n = n1 + n2;
        double[] xy = new double[n];
        for (int k = 0; k < n1; k++) xy[k] = check(x[k]);
        for (int k = 0; k < n2; k++) xy[n1 + k] = check(y[k]);

        // Average ranks (1-based) of the pooled data, and the tie term Σ (t³ − t).
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) order[k] = k;
        Arrays.sort(order, (a, b) -> Double.compare(xy[a], xy[b]));
        double[] rank = new double[n];
        long tieTerm = 0;
        boolean ties = false;
        for (int start = 0; start < n; ) {
            int end = start + 1;
            while (end < n && xy[order[end]] == xy[order[start]]) end++;
            double avg = (start + 1 + end) / 2.0; // mean of ranks start+1 .. end
            for (int k = start; k < end; k++) rank[order[k]] = avg;
            long t = end - start;
            if (t > 1) ties = true;
            tieTerm += t * t * t - t;
            start = end;
        }
        double r1 = 0;
        for (int k = 0; k < n1; k++) r1 += rank[k];
        double u1 = r1 - n1 * (n1 + 1) / 2.0;
        double u2 = (double) n1 * n2 - u1;
        double uMax = Math.max(u1, u2);

        boolean exact = !(n1 > 8 && n2 > 8) && !ties;
        double p;
        double z = Double.NaN;
        if (exact) {
            p = 2.0 * exactSf((long) uMax, n1, n2);
        } else {
            double mu = (double) n1 * n2 / 2.0;
            double s = Math.sqrt((double) n1 * n2 / 12.0 * ((n + 1) - (double) tieTerm / ((double) n * (n - 1))));
            z = (uMax - mu - 0.5) / s;
            p = 2.0 * normalSf(z);
        }
        p = Math.min(1.0, Math.max(0.0, p));
        return new Result(u1, p, n1, n2, exact, z);
    }

    private static double check(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("Mann-Whitney: samples must be finite, got " + v);
        return v == 0.0 ? 0.0 : v; // −0.0 and 0.0 are one value (a tie), as in NumPy
    }

    /**
     * P(U ≥ k) under the null for sample sizes m and n: the number of arrangements with U ≤ m·n − k
     * (by symmetry) over C(m+n, m). The counts are the coefficients of the Gaussian binomial
     * [m+n choose m]_q, built exactly as integers from the product Π_{i=1..s} (1 − q^{l+i}) / (1 − q^i)
     * with s = min(m, n), l = max(m, n).
     */
    static double exactSf(long k, int m, int n) {
        int s = Math.min(m, n), l = Math.max(m, n);
        long top = (long) m * n - k; // sum the counts of U = 0..top
        if (top < 0) return 0.0;
        int len = s * l + 1;
        BigInteger total = binomial(m + n, s);
        if (total.bitLength() < 62) {
            long[] c = new long[len];
            c[0] = 1;
            // Coefficients above degree s·l are dropped: every step only needs lower ones.
            for (int i = 1; i <= s; i++) {
                int a = l + i;
                // multiply by (1 − q^a)
                for (int d = len - 1; d >= a; d--) c[d] -= c[d - a];
                // divide by (1 − q^i) (exact): running sum with stride i
                for (int d = i; d < len; d++) c[d] += c[d - i];
            }
            long sum = 0;
            for (int d = 0; d <= Math.min(top, len - 1); d++) sum += c[d];
            return (double) sum / total.doubleValue();
        }
        BigInteger[] c = new BigInteger[len];
        Arrays.fill(c, BigInteger.ZERO);
        c[0] = BigInteger.ONE;
        for (int i = 1; i <= s; i++) {
            int a = l + i;
            for (int d = len - 1; d >= a; d--) c[d] = c[d].subtract(c[d - a]);
            for (int d = i; d < len; d++) c[d] = c[d].add(c[d - i]);
        }
        BigInteger sum = BigInteger.ZERO;
        for (int d = 0; d <= Math.min(top, len - 1); d++) sum = sum.add(c[d]);
        return ratio(sum, total);
    }

    private static double ratio(BigInteger a, BigInteger b) {
        int shift = Math.max(0, b.bitLength() - 1000);
        return a.shiftRight(shift).doubleValue() / b.shiftRight(shift).doubleValue();
    }

    private static BigInteger binomial(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 1; i <= k; i++) r = r.multiply(BigInteger.valueOf(n - k + i)).divide(BigInteger.valueOf(i));
        return r;
    }

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_PI = 1.0 / Math.sqrt(Math.PI);

    /**
     * Survival function of the standard normal distribution, 1 − Φ(z), with full relative accuracy
     * in the upper tail (it is the p-value of large samples, which reach 1e-21 and below).
     */
    public static double normalSf(double z) {
        if (Double.isNaN(z)) return Double.NaN;
        if (z == Double.POSITIVE_INFINITY) return 0.0;
        if (z == Double.NEGATIVE_INFINITY) return 1.0;
        double x = z * SQRT_HALF;
        if (x < 0) return 1.0 - 0.5 * erfc(-x);
        return 0.5 * erfc(x);
    }

    /** Complementary error function for x ≥ 0. */
    static double erfc(double x) {
        if (x < 2.0) return 1.0 - erf(x);
        if (x > 27.3) return 0.0; // below the smallest subnormal
        // Laplace's continued fraction: erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
        // evaluated from the tail; 200 terms converge to round-off for x ≥ 2.
        double t = x;
        for (int k = 200; k >= 1; k--) t = x + (k * 0.5) / t;
        return expMinusSquare(x) * INV_SQRT_PI / t;
    }

    /** erf(x) for 0 ≤ x < 2 from the series e^{−x²} Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)) · 2/√π (positive terms only). */
    private static double erf(double x) {
        double x2 = x * x;
        double term = x, sum = x;
        for (int k = 1; k < 200; k++) {
            term *= 2.0 * x2 / (2 * k + 1);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return 2.0 * INV_SQRT_PI * expMinusSquare(x) * sum;
    }

    /** e^{−x²} with x² split into its rounded value and the rounding error, so large x lose no accuracy. */
    private static double expMinusSquare(double x) {
        double hi = x * x;
        double lo = Math.fma(x, x, -hi);
        return Math.exp(-hi) * (1.0 - lo);
    }
}
