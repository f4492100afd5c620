package org.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels against the scalar reference over awkward sizes: 0, 1, lanes ± 1, multiples
 * of the 4-vector block ± 1 and primes. Sums may differ in rounding order, so they are compared
 * with a bound proportional to the sum of absolute terms (float32: 2^-24 per operation, at most a
 * few hundred terms here → 1e-5 of Σ|terms| is ~100× the worst case and far below a dropped term).
 * The elementwise recurrences use the same operations in the same order and must agree bit for bit.
 */
class KernelOpsTest {
    KernelOps scalar = KernelProvider.scalar();
    KernelOps vector;
    int lanes;
    int[] sizes;

    @BeforeEach
    void setUp() {
        assumeTrue(KernelProvider.vectorAvailable(),
                "Vector API module absent in this JVM (the scalar surefire run): vector-vs-scalar comparisons run in the vector run");
        vector = KernelProvider.vector();
        lanes = ((PanamaKernelOps) vector).L;
        int L = lanes;
        sizes = new int[] {0, 1, 2, L - 1, L, L + 1, 2 * L + 3, 4 * L - 1, 4 * L, 4 * L + 1, 8 * L + 5, 67, 131, 257};
    }

    static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    /** Over whole rows and over a column range [from, len) (how the layers split and tile columns): nothing outside it written. */
    @Test
    void gatherMatchesScalar() {
        SplittableRandom r = new SplittableRandom(1);
        for (int rows : new int[] {0, 1, 3, 4, 5, 9}) {
            for (int count : new int[] {0, 1, 3, 4, 7}) {
                for (int len : sizes) {
                    for (int from : new int[] {0, Math.min(len, 3), len / 2}) {
                        int srcLen = len + 50;
                        float[] src = random(r, srcLen);
                        int[] off = new int[count + 2];
                        for (int k = 0; k < off.length; k++) off[k] = r.nextInt(51);
                        int coefStride = count + 1;
                        float[] coef = random(r, rows * coefStride + 3);
                        int dstStride = len + 2;
                        float[] a = random(r, rows * dstStride + 5);
                        float[] b = a.clone();
                        float[] before = a.clone();
                        scalar.gather(rows, count, from, len, coef, 2, coefStride, src, off, 1, a, 3, dstStride, false);
                        vector.gather(rows, count, from, len, coef, 2, coefStride, src, off, 1, b, 3, dstStride, false);
                        for (int q = 0; q < a.length; q++) {
                            int col = (q - 3) % dstStride;
                            boolean inside = q >= 3 && col >= from && col < len && (q - 3) / dstStride < rows;
                            if (!inside) {
                                assertEquals(before[q], a[q], 0f, "scalar gather wrote outside its columns at " + q);
                                assertEquals(before[q], b[q], 0f, "gather wrote outside its columns at " + q);
                            } else {
                                assertEquals(a[q], b[q], 1e-5 * (count + 1), "gather rows=" + rows + " count=" + count + " columns " + from + ".." + len + " at " + q);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Entries split in two calls, the second with add, give the bits of one call (the integer-delay
     * layers gather a post's entries block by block); the scalar reference adds the same way
     * (within rounding). Fails if add restarted a chain from zero or summed the halves separately.
     */
    @Test
    void gatherSplitOverEntriesWithAddHasTheBitsOfOneGather() {
        SplittableRandom r = new SplittableRandom(11);
        for (int rows : new int[] {1, 4, 5}) {
            for (int count : new int[] {1, 2, 7, 40, 70}) {
                for (int len : sizes) {
                    float[] src = random(r, len + 50);
                    int[] off = new int[count];
                    for (int k = 0; k < count; k++) off[k] = r.nextInt(51);
                    float[] coef = random(r, rows * count);
                    for (int m : new int[] {0, 1, count / 2, count - 1, count}) {
                        for (KernelOps ops : new KernelOps[] {vector, scalar}) {
                            float[] one = new float[rows * len], two = random(r, rows * len);
                            ops.gather(rows, count, 0, len, coef, 0, count, src, off, 0, one, 0, len, false);
                            ops.gather(rows, m, 0, len, coef, 0, count, src, off, 0, two, 0, len, false);
                            ops.gather(rows, count - m, 0, len, coef, m, count, src, off, m, two, 0, len, true);
                            for (int q = 0; q < one.length; q++) {
                                String what = ops.name() + " rows=" + rows + " count=" + count + " split " + m + " len " + len + " at " + q;
                                if (ops == vector) assertEquals(Float.floatToRawIntBits(one[q]), Float.floatToRawIntBits(two[q]), what);
                                else assertEquals(one[q], two[q], 1e-5 * count, what);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void convolveMatchesScalar() {
        SplittableRandom r = new SplittableRandom(5);
        int pad = KernelOps.CONV_PAD;
        for (int taps : new int[] {1, 2, 5, 8, 9, 16, 26}) {
            for (int steps : new int[] {0, 1, 7, 8, 9, 17, 80}) {
                for (int b : new int[] {1, lanes - 1, lanes, lanes + 1, 2 * lanes + 3}) {
                    for (int count : new int[] {0, 1, 3}) {
                        int stride = (taps - 1 + steps) * b;
                        float[] src = random(r, Math.max(1, count) * stride + 5);
                        int[] rows = new int[count + 1];
                        for (int s = 0; s < count; s++) rows[s + 1] = s * stride + 2;
                        int kp = taps + 2 * pad;
                        float[] kern = new float[3 + count * kp];
                        for (int s = 0; s < count; s++) for (int n = 0; n < taps; n++) kern[3 + s * kp + pad + n] = (float) r.nextGaussian();
                        float[] a = random(r, steps * b + 4), c = a.clone();
                        scalar.convolve(count, taps, steps, b, kern, 3, src, rows, 1, a, 2);
                        vector.convolve(count, taps, steps, b, kern, 3, src, rows, 1, c, 2);
                        for (int q = 0; q < a.length; q++) {
                            assertEquals(a[q], c[q], 1e-5 * (count * taps + 1),
                                    "convolve taps=" + taps + " steps=" + steps + " lanes=" + b + " count=" + count + " at " + q);
                        }
                        // against the definition through gather (every synapse tap as an entry)
                        int[] off = new int[count * taps];
                        float[] coef = new float[count * taps];
                        for (int s = 0; s < count; s++) {
                            for (int n = 0; n < taps; n++) {
                                off[s * taps + n] = rows[s + 1] + (taps - 1 - n) * b;
                                coef[s * taps + n] = kern[3 + s * kp + pad + n];
                            }
                        }
                        float[] g = new float[steps * b];
                        scalar.gather(1, count * taps, 0, steps * b, coef, 0, 0, src, off, 0, g, 0, 0, false);
                        for (int q = 0; q < g.length; q++) assertEquals(g[q], c[q + 2], 1e-5 * (count * taps + 1), "convolve vs gather at " + q);
                    }
                }
            }
        }
    }

    @Test
    void correlateMatchesScalar() {
        SplittableRandom r = new SplittableRandom(2);
        for (int rows : new int[] {0, 1, 3, 4, 5, 9}) {
            for (int count : new int[] {0, 1, 3, 4, 5, 9}) {
                for (int len : sizes) {
                    float[] src = random(r, len + 40);
                    int[] off = new int[count + 1];
                    for (int k = 0; k < off.length; k++) off[k] = r.nextInt(41);
                    int aStride = len + 3;
                    float[] a = random(r, rows * aStride + 2);
                    int outStride = count + 2;
                    float[] o1 = random(r, rows * outStride + 1);
                    float[] o2 = o1.clone();
                    scalar.correlate(rows, count, len, a, 1, aStride, src, off, 1, o1, 1, outStride);
                    vector.correlate(rows, count, len, a, 1, aStride, src, off, 1, o2, 1, outStride);
                    for (int q = 0; q < o1.length; q++) {
                        assertEquals(o1[q], o2[q], 1e-5 * (len + 1), "correlate rows=" + rows + " count=" + count + " len=" + len + " at " + q);
                    }
                }
            }
        }
    }

    /**
     * The layers split rows and entries over the team at different points (5-, 4- and 1-row blocks,
     * 5-, 4- and 1-entry blocks), and the team's results must not depend on where: every split of
     * rows and entries gives the bits of the whole call, in both implementations.
     */
    @Test
    void correlateBitsDoNotDependOnTheBlocking() {
        SplittableRandom r = new SplittableRandom(9);
        for (KernelOps ops : new KernelOps[] {scalar, vector}) {
            for (int len : sizes) {
                int rows = 11, count = 13;
                float[] src = random(r, len + 40);
                int[] off = new int[count];
                for (int k = 0; k < count; k++) off[k] = r.nextInt(41);
                float[] a = random(r, rows * len + 1);
                float[] whole = new float[rows * count];
                ops.correlate(rows, count, len, a, 0, len, src, off, 0, whole, 0, count);
                for (int cut = 1; cut < rows; cut++) {
                    for (int kcut : new int[] {1, 4, 5, 9}) {
                        float[] parts = new float[rows * count];
                        for (int[] rr : new int[][] {{0, cut}, {cut, rows}}) {
                            for (int[] kk : new int[][] {{0, kcut}, {kcut, count}}) {
                                ops.correlate(rr[1] - rr[0], kk[1] - kk[0], len, a, rr[0] * len, len, src, off, kk[0], parts, rr[0] * count + kk[0], count);
                            }
                        }
                        assertArrayEquals(whole, parts, ops.name() + " len=" + len + " rows split at " + cut + ", entries at " + kcut);
                    }
                }
            }
        }
    }

    /**
     * The tap correlation against the scalar reference (bound as for correlate: 1e-5 per term of a
     * sum of |terms| ≤ len), and the scalar reference against correlate over the shifted rows, bit for bit.
     */
    @Test
    void correlateTapsMatchesScalarAndTheDefinition() {
        SplittableRandom r = new SplittableRandom(6);
        for (int taps : new int[] {1, 2, 7, 8, 9, 16, 26}) {
            for (int steps : new int[] {0, 1, 7, 8, 9, 17, 80}) {
                for (int b : new int[] {1, 3, lanes - 1, lanes, lanes + 1, 2 * lanes, 3 * lanes}) {
                    if (b <= 0) continue;
                    int stride = (taps - 1 + steps) * b;
                    float[] src = random(r, stride + 9);
                    float[] a = random(r, steps * b + 5);
                    float[] o1 = random(r, taps + 4), o2 = o1.clone();
                    scalar.correlateTaps(taps, steps, b, a, 2, src, 3, o1, 1);
                    vector.correlateTaps(taps, steps, b, a, 2, src, 3, o2, 1);
                    int len = steps * b;
                    for (int q = 0; q < o1.length; q++) {
                        String at = "correlateTaps taps=" + taps + " steps=" + steps + " lanes=" + b + " at " + q;
                        if (q < 1 || q > taps) assertEquals(o1[q], o2[q], 0f, at + " (outside)");
                        else assertEquals(o1[q], o2[q], 1e-5 * (len + 1), at);
                    }
                    int[] off = new int[taps];
                    for (int n = 0; n < taps; n++) off[n] = 3 + (taps - 1 - n) * b;
                    float[] ref = new float[taps];
                    scalar.correlate(1, taps, len, a, 2, 0, src, off, 0, ref, 0, 0);
                    for (int n = 0; n < taps; n++) assertEquals(ref[n], o1[1 + n], 0f, "scalar correlateTaps is correlate over shifted rows, tap " + n);
                }
            }
        }
    }

    @Test
    void neuronRecurrencesAreBitIdentical() {
        SplittableRandom r = new SplittableRandom(3);
        for (int b : sizes) {
            for (int steps : new int[] {0, 1, 7, 80}) {
                int n = steps * b;
                float[] in = random(r, n + 4);
                for (int q = 0; q < in.length; q++) in[q] *= 1.5f;
                float[] mask = random(r, b + 3);
                for (int withMask = 0; withMask < 2; withMask++) {
                    float[] m = withMask == 0 ? null : mask;
                    float sc = withMask == 0 ? 1f : 1.3f, sh = withMask == 0 ? 0f : -0.2f;
                    float[] u1 = new float[n + 4], s1 = new float[n + 4], u2 = new float[n + 4], s2 = new float[n + 4];
                    scalar.lifForward(steps, b, 0.9f, 0.5f, in, 2, sc, sh, u1, 1, m, 3, s1, 3);
                    vector.lifForward(steps, b, 0.9f, 0.5f, in, 2, sc, sh, u2, 1, m, 3, s2, 3);
                    assertArrayEquals(u1, u2, "lifForward u, lanes " + b + " steps " + steps + " mask " + withMask);
                    assertArrayEquals(s1, s2, "lifForward s, lanes " + b + " steps " + steps + " mask " + withMask);
                    float[] dS = random(r, n + 4);
                    float[] g1 = new float[n + 4], g2 = new float[n + 4];
                    scalar.lifBackward(steps, b, 0.9f, 0.5f, 5f, dS, 1, m, 3, u1, 1, g1, 0);
                    vector.lifBackward(steps, b, 0.9f, 0.5f, 5f, dS, 1, m, 3, u1, 1, g2, 0);
                    assertArrayEquals(g1, g2, "lifBackward, lanes " + b + " steps " + steps + " mask " + withMask);
                }
                float[] g1 = new float[n + 4], g2 = new float[n + 4];
                scalar.leakyForward(steps, b, 0.9f, in, 1, g1, 2);
                vector.leakyForward(steps, b, 0.9f, in, 1, g2, 2);
                assertArrayEquals(g1, g2, "leakyForward, lanes " + b);
                scalar.leakyBackward(steps, b, 0.9f, in, 0, g1, 1);
                vector.leakyBackward(steps, b, 0.9f, in, 0, g2, 1);
                assertArrayEquals(g1, g2, "leakyBackward, lanes " + b);
            }
        }
    }

    @Test
    void reductionsAndMapsMatch() {
        SplittableRandom r = new SplittableRandom(4);
        for (int len : sizes) {
            float[] a = random(r, len + 3), b = random(r, len + 3);
            assertEquals(scalar.sum(a, 1, len), vector.sum(a, 1, len), 1e-5 * (len + 1), "sum " + len);
            double[] sd1 = new double[3], sd2 = new double[3];
            scalar.sumAndDot(a, 1, b, 2, len, sd1, 1);
            vector.sumAndDot(a, 1, b, 2, len, sd2, 1);
            assertEquals(sd1[1], sd2[1], 1e-5 * (len + 1), "sumAndDot sum " + len);
            assertEquals(sd1[2], sd2[2], 1e-5 * (len + 1), "sumAndDot dot " + len);
            assertEquals(vector.sum(a, 1, len), sd2[1], 0.0, "sumAndDot's sum is sum's, bit for bit " + len);
            double dot = 0;
            for (int q = 0; q < len; q++) dot += (double) a[1 + q] * b[2 + q];
            assertEquals(dot, sd1[2], 1e-12 * (len + 1), "scalar sumAndDot dot " + len);
            assertEquals(scalar.sumSquaredDeviation(a, 0, len, 0.1f), vector.sumSquaredDeviation(a, 0, len, 0.1f), 1e-5 * (len + 1), "ssd " + len);
            float[] o1 = new float[len + 3], o2 = new float[len + 3];
            scalar.scaleShift(a, 1, len, 1.7f, -0.3f, o1, 2);
            vector.scaleShift(a, 1, len, 1.7f, -0.3f, o2, 2);
            assertArrayEquals(o1, o2, "scaleShift " + len);
            scalar.linear2(a, 0, b, 1, len, 0.7f, -1.3f, 0.25f, o1, 0);
            vector.linear2(a, 0, b, 1, len, 0.7f, -1.3f, 0.25f, o2, 0);
            assertArrayEquals(o1, o2, "linear2 " + len);
        }
    }

    /** The fused scalar LIF sweeps against the unfused definitions written out here (affine map, LIF, spike × mask). */
    @Test
    void fusedLifSweepsComputeTheDefinition() {
        SplittableRandom r = new SplittableRandom(8);
        int steps = 9, b = 5;
        float beta = 0.9f, thr = 0.5f, sc = 1.7f, sh = -0.1f;
        float[] in = random(r, steps * b), mask = {0f, 1.25f, 1.25f, 0f, 1.25f};
        float[] u = new float[steps * b], out = new float[steps * b];
        scalar.lifForward(steps, b, beta, thr, in, 0, sc, sh, u, 0, mask, 0, out, 0);
        float[] dS = random(r, steps * b), g = new float[steps * b];
        scalar.lifBackward(steps, b, beta, thr, 5f, dS, 0, mask, 0, u, 0, g, 0);
        float k = (float) (Math.PI / 2) * 5f;
        int spikes = 0;
        for (int l = 0; l < b; l++) {
            float uu = 0f, ss = 0f;
            float[] sAt = new float[steps], uAt = new float[steps];
            for (int t = 0; t < steps; t++) {
                float x = in[t * b + l] * sc + sh;
                uu = uu * beta * (1f - ss) + x;
                ss = uu > thr ? 1f : 0f;
                spikes += (int) ss;
                uAt[t] = uu;
                sAt[t] = ss;
                assertEquals(uu, u[t * b + l], 0f, "u at t " + t + " lane " + l);
                assertEquals(ss * mask[l], out[t * b + l], 0f, "spike × mask at t " + t + " lane " + l);
            }
            float gg = 0f;
            for (int t = steps - 1; t >= 0; t--) {
                float x = (uAt[t] - thr) * k;
                gg = dS[t * b + l] * mask[l] * (2.5f / (1f + x * x)) + gg * beta * (1f - sAt[t]);
                assertEquals(gg, g[t * b + l], 1e-6f * (1 + Math.abs(gg)), "dI at t " + t + " lane " + l);
            }
        }
        assertTrue(spikes > 0 && spikes < steps * b, "the case has spikes and silences (" + spikes + ")");
    }

    @Test
    void gatherComputesTheDefinition() {
        // A hand-checkable case: two source rows, two taps, one output row.
        float[] src = {1, 2, 3, 4, 5, 6};
        int[] off = {0, 3};
        float[] coef = {2, -1};
        float[] dst = new float[3];
        vector.gather(1, 2, 0, 3, coef, 0, 2, src, off, 0, dst, 0, 3, false);
        assertArrayEquals(new float[] {2 * 1 - 4, 2 * 2 - 5, 2 * 3 - 6}, dst);
        assertTrue(vector.name().startsWith("vector-"));
    }

    @Test
    void lifStepMatchesScalarBitForBit() {
        SplittableRandom r = new SplittableRandom(31);
        for (int n : sizes) {
            for (boolean withBias : new boolean[] {false, true}) {
                float[] in = random(r, n), bias = withBias ? random(r, n) : null;
                float[] u = random(r, n), s = new float[n];
                for (int i = 0; i < n; i++) s[i] = r.nextBoolean() ? 1f : 0f;
                float[] u2 = u.clone(), s2 = s.clone();
                int[] f1 = new int[n], f2 = new int[n];
                for (int step = 0; step < 4; step++) {
                    int n1 = scalar.lifStep(n, 0.9f, 0.3f, in, bias, u, s, f1);
                    int n2 = vector.lifStep(n, 0.9f, 0.3f, in, bias, u2, s2, f2);
                    assertArrayEquals(u, u2, "u, n = " + n + ", step " + step);
                    assertArrayEquals(s, s2, "s, n = " + n + ", step " + step);
                    // the fired list: exactly the spiking indices, ascending, in both
                    int expect = 0;
                    for (int i = 0; i < n; i++) if (s[i] != 0f) assertEquals(i, f1[expect++], "scalar fired list, n = " + n);
                    assertEquals(expect, n1, "scalar spike count, n = " + n);
                    assertEquals(n1, n2, "vector spike count, n = " + n);
                    assertArrayEquals(java.util.Arrays.copyOf(f1, n1), java.util.Arrays.copyOf(f2, n2), "fired, n = " + n);
                }
                if (n > 0) {
                    // the scalar reference itself: one neuron by hand
                    float[] uu = {0.5f}, ss = {0f};
                    // u = 0.5·0.5·(1 − 0) + 0.8 (+ 0.1) = 1.05 (1.15); threshold 1.1
                    int nf = scalar.lifStep(1, 0.5f, 1.1f, new float[] {0.8f}, withBias ? new float[] {0.1f} : null, uu, ss, new int[1]);
                    assertEquals(withBias ? 1 : 0, nf);
                    assertEquals(withBias ? 1.15f : 1.05f, uu[0], 1e-6f);
                    assertEquals(withBias ? 1f : 0f, ss[0]);
                    // after a spike the membrane restarts from the input alone
                    ss[0] = 1f;
                    scalar.lifStep(1, 0.5f, 1.1f, new float[] {0.3f}, null, uu, ss, new int[1]);
                    assertEquals(0.3f, uu[0]);
                }
            }
        }
    }
}
