package org.myelin.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API implementation of {@link KernelOps}. Loaded only when the
 * {@code jdk.incubator.vector} module is present (see {@link KernelProvider}). Not final: the JDK 25
 * classes of the multi-release jar extend it with their own input layer and LIF step.
 *
 * <p>Vectorised along the contiguous axis of every row: the flattened (time, batch-lane) columns
 * of the activation tensors. {@code gather} and {@code correlate} are register-blocked 4 rows × 4
 * vectors (gather) or 4 rows × 4 source rows (correlate) so that every loaded vector feeds four
 * fused multiply-adds. Elementwise kernels (LIF, leaky integrator, affine maps) use separate
 * multiply and add in the same order as the scalar code, so they agree with it bit for bit.
 */
class PanamaKernelOps implements KernelOps {
    /** The width {@link KernelProvider} chose (the CPU's preferred one unless forced). */
    static final VectorSpecies<Float> S = PanamaWidth.species();
    static final int L = S.length();

    /**
     * The lanes of {@code v} added in lane order, 0 + v[0] + v[1] + … — the same bits whatever the
     * JIT tier. {@code reduceLanes(ADD)} leaves the order to the implementation: since JDK 24, C2 on
     * x86 reduces as a tree while the interpreter and C1 add in lane order, so a kernel's result
     * would depend on whether it had been compiled yet (seen as resumed runs differing from
     * uninterrupted ones on JDK 25). JDK 17's intrinsic adds in lane order, so its bits stay as they were.
     */
    static float sum(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    // ---------------------------------------------------------------- gather

    /** Columns per tile and entries per chunk of the blocked gather: a chunk's source windows and the tile's rows stay in L1/L2. */
    static final int TILE = 2048, CHUNK = 32;

    @Override
    public void gather(int rows, int count, int from, int to, float[] coef, int coefOff, int coefStride,
                       float[] src, int[] srcOff, int offOff, float[] dst, int dstOff, int dstStride, boolean add) {
        // Blocked over (column tile, entry chunk), every block of four rows inside: a chunk's source
        // windows are read from L1/L2 by all the rows, instead of every entry's stream once per 64
        // columns and row block. The accumulators go through dst between chunks (an exact store and
        // load), so every output is the same FMA chain in entry order as an unblocked loop.
        int len4 = from + (to - from) / (4 * L) * (4 * L);
        int full = rows - rows % 4;
        for (int c0 = from; c0 < len4; c0 += TILE) {
            int c1 = Math.min(len4, c0 + TILE);
            for (int k0 = 0; k0 == 0 || k0 < count; k0 += CHUNK) {
                int k1 = Math.min(count, k0 + CHUNK);
                for (int r = 0; r < full; r += 4) {
                    gather4Tile(k0, k1, add || k0 > 0, c0, c1, coef, coefOff + r * coefStride, coefStride, src, srcOff, offOff, dst, dstOff + r * dstStride, dstStride);
                }
                for (int r = full; r < rows; r++) {
                    gather1Tile(k0, k1, add || k0 > 0, c0, c1, coef, coefOff + r * coefStride, src, srcOff, offOff, dst, dstOff + r * dstStride);
                }
            }
        }
        for (int r = 0; r < full; r += 4) {
            gather4Rest(len4, count, to, add, coef, coefOff + r * coefStride, coefStride, src, srcOff, offOff, dst, dstOff + r * dstStride, dstStride);
        }
        for (int r = full; r < rows; r++) {
            gather1Rest(len4, count, to, add, coef, coefOff + r * coefStride, src, srcOff, offOff, dst, dstOff + r * dstStride);
        }
    }

    /** Columns from len4 (a multiple of 4 lanes) on: vector steps, then the scalar tail. */
    private static void gather4Rest(int len4, int count, int len, boolean add, float[] coef, int cOff, int cs, float[] src, int[] srcOff, int offOff,
                                    float[] dst, int dOff, int ds) {
        int c = len4;
        for (; c + L <= len; c += L) {
            FloatVector a0 = start(add, dst, dOff + c), a1 = start(add, dst, dOff + ds + c);
            FloatVector a2 = start(add, dst, dOff + 2 * ds + c), a3 = start(add, dst, dOff + 3 * ds + c);
            for (int k = 0; k < count; k++) {
                FloatVector x = FloatVector.fromArray(S, src, srcOff[offOff + k] + c);
                a0 = x.fma(FloatVector.broadcast(S, coef[cOff + k]), a0);
                a1 = x.fma(FloatVector.broadcast(S, coef[cOff + cs + k]), a1);
                a2 = x.fma(FloatVector.broadcast(S, coef[cOff + 2 * cs + k]), a2);
                a3 = x.fma(FloatVector.broadcast(S, coef[cOff + 3 * cs + k]), a3);
            }
            a0.intoArray(dst, dOff + c);
            a1.intoArray(dst, dOff + ds + c);
            a2.intoArray(dst, dOff + 2 * ds + c);
            a3.intoArray(dst, dOff + 3 * ds + c);
        }
        if (c < len) {
            for (int r = 0; r < 4; r++) gatherTail(count, c, len, add, coef, cOff + r * cs, src, srcOff, offOff, dst, dOff + r * ds);
        }
    }

    private static void gather4Tile(int k0, int k1, boolean accumulate, int c0, int c1, float[] coef, int cOff, int cs,
                                    float[] src, int[] srcOff, int offOff, float[] dst, int dOff, int ds) {
        for (int c = c0; c < c1; c += 4 * L) {
            FloatVector a00, a01, a02, a03, a10, a11, a12, a13, a20, a21, a22, a23, a30, a31, a32, a33;
            if (accumulate) {
                int d = dOff + c;
                a00 = FloatVector.fromArray(S, dst, d); a01 = FloatVector.fromArray(S, dst, d + L);
                a02 = FloatVector.fromArray(S, dst, d + 2 * L); a03 = FloatVector.fromArray(S, dst, d + 3 * L);
                d += ds;
                a10 = FloatVector.fromArray(S, dst, d); a11 = FloatVector.fromArray(S, dst, d + L);
                a12 = FloatVector.fromArray(S, dst, d + 2 * L); a13 = FloatVector.fromArray(S, dst, d + 3 * L);
                d += ds;
                a20 = FloatVector.fromArray(S, dst, d); a21 = FloatVector.fromArray(S, dst, d + L);
                a22 = FloatVector.fromArray(S, dst, d + 2 * L); a23 = FloatVector.fromArray(S, dst, d + 3 * L);
                d += ds;
                a30 = FloatVector.fromArray(S, dst, d); a31 = FloatVector.fromArray(S, dst, d + L);
                a32 = FloatVector.fromArray(S, dst, d + 2 * L); a33 = FloatVector.fromArray(S, dst, d + 3 * L);
            } else {
                a00 = FloatVector.zero(S); a01 = a00; a02 = a00; a03 = a00;
                a10 = a00; a11 = a00; a12 = a00; a13 = a00;
                a20 = a00; a21 = a00; a22 = a00; a23 = a00;
                a30 = a00; a31 = a00; a32 = a00; a33 = a00;
            }
            for (int k = k0; k < k1; k++) {
                int s = srcOff[offOff + k] + c;
                FloatVector x0 = FloatVector.fromArray(S, src, s);
                FloatVector x1 = FloatVector.fromArray(S, src, s + L);
                FloatVector x2 = FloatVector.fromArray(S, src, s + 2 * L);
                FloatVector x3 = FloatVector.fromArray(S, src, s + 3 * L);
                FloatVector w = FloatVector.broadcast(S, coef[cOff + k]);
                a00 = x0.fma(w, a00); a01 = x1.fma(w, a01); a02 = x2.fma(w, a02); a03 = x3.fma(w, a03);
                w = FloatVector.broadcast(S, coef[cOff + cs + k]);
                a10 = x0.fma(w, a10); a11 = x1.fma(w, a11); a12 = x2.fma(w, a12); a13 = x3.fma(w, a13);
                w = FloatVector.broadcast(S, coef[cOff + 2 * cs + k]);
                a20 = x0.fma(w, a20); a21 = x1.fma(w, a21); a22 = x2.fma(w, a22); a23 = x3.fma(w, a23);
                w = FloatVector.broadcast(S, coef[cOff + 3 * cs + k]);
                a30 = x0.fma(w, a30); a31 = x1.fma(w, a31); a32 = x2.fma(w, a32); a33 = x3.fma(w, a33);
            }
            int d = dOff + c;
            a00.intoArray(dst, d); a01.intoArray(dst, d + L); a02.intoArray(dst, d + 2 * L); a03.intoArray(dst, d + 3 * L);
            d += ds;
            a10.intoArray(dst, d); a11.intoArray(dst, d + L); a12.intoArray(dst, d + 2 * L); a13.intoArray(dst, d + 3 * L);
            d += ds;
            a20.intoArray(dst, d); a21.intoArray(dst, d + L); a22.intoArray(dst, d + 2 * L); a23.intoArray(dst, d + 3 * L);
            d += ds;
            a30.intoArray(dst, d); a31.intoArray(dst, d + L); a32.intoArray(dst, d + 2 * L); a33.intoArray(dst, d + 3 * L);
        }
    }

    private static void gather1Rest(int len4, int count, int len, boolean add, float[] coef, int cOff, float[] src, int[] srcOff, int offOff,
                                    float[] dst, int dOff) {
        int c = len4;
        for (; c + L <= len; c += L) {
            FloatVector a0 = start(add, dst, dOff + c);
            for (int k = 0; k < count; k++) {
                a0 = FloatVector.fromArray(S, src, srcOff[offOff + k] + c).fma(FloatVector.broadcast(S, coef[cOff + k]), a0);
            }
            a0.intoArray(dst, dOff + c);
        }
        if (c < len) gatherTail(count, c, len, add, coef, cOff, src, srcOff, offOff, dst, dOff);
    }

    /** An accumulator's first value: the vector in dst at d (a chain continued), or zero. */
    private static FloatVector start(boolean add, float[] dst, int d) {
        return add ? FloatVector.fromArray(S, dst, d) : FloatVector.zero(S);
    }

    private static void gather1Tile(int k0, int k1, boolean accumulate, int c0, int c1, float[] coef, int cOff,
                                    float[] src, int[] srcOff, int offOff, float[] dst, int dOff) {
        for (int c = c0; c < c1; c += 4 * L) {
            FloatVector a0, a1, a2, a3;
            if (accumulate) {
                a0 = FloatVector.fromArray(S, dst, dOff + c);
                a1 = FloatVector.fromArray(S, dst, dOff + c + L);
                a2 = FloatVector.fromArray(S, dst, dOff + c + 2 * L);
                a3 = FloatVector.fromArray(S, dst, dOff + c + 3 * L);
            } else {
                a0 = FloatVector.zero(S); a1 = a0; a2 = a0; a3 = a0;
            }
            for (int k = k0; k < k1; k++) {
                int s = srcOff[offOff + k] + c;
                FloatVector w = FloatVector.broadcast(S, coef[cOff + k]);
                a0 = FloatVector.fromArray(S, src, s).fma(w, a0);
                a1 = FloatVector.fromArray(S, src, s + L).fma(w, a1);
                a2 = FloatVector.fromArray(S, src, s + 2 * L).fma(w, a2);
                a3 = FloatVector.fromArray(S, src, s + 3 * L).fma(w, a3);
            }
            a0.intoArray(dst, dOff + c);
            a1.intoArray(dst, dOff + c + L);
            a2.intoArray(dst, dOff + c + 2 * L);
            a3.intoArray(dst, dOff + c + 3 * L);
        }
    }

    private static void gatherTail(int count, int from, int len, boolean add, float[] coef, int cOff, float[] src, int[] srcOff, int offOff,
                                   float[] dst, int dOff) {
        for (int c = from; c < len; c++) {
            float acc = add ? dst[dOff + c] : 0f;
            for (int k = 0; k < count; k++) acc = Math.fma(coef[cOff + k], src[srcOff[offOff + k] + c], acc);
            dst[dOff + c] = acc;
        }
    }

    // ---------------------------------------------------------------- convolve

    /** Output steps computed together: each loaded source vector feeds up to R of them. */
    static final int R = CONV_PAD + 1;

    @Override
    public void convolve(int count, int taps, int steps, int lanes, float[] kern, int kernOff, float[] src, int[] srcRow, int rowOff,
                         float[] dst, int dstOff) {
        int td = taps - 1;
        // Kernels carry R − 1 = CONV_PAD zeros on both sides, so output step t0 + r reads tap
        // (t0 + r − m) for every source step m of the window without a bounds test.
        int padded = taps + 2 * CONV_PAD;
        float[] kp = kern;
        int b = 0;
        for (; b + L <= lanes; b += L) {
            int t0 = 0;
            for (; t0 + R <= steps; t0 += R) {
                int d = dstOff + t0 * lanes + b;
                // taps 0 .. 8·blocks − 1 in register blocks of 8 × 8, the remaining taps one at a time
                int blocks = taps / 8;
                if (blocks > 0 && count > 0) {
                    convolve8x8(count, blocks, td, lanes, t0, b, kp, kernOff, padded, src, srcRow, rowOff, dst, d);
                } else {
                    FloatVector zero = FloatVector.zero(S);
                    for (int r = 0; r < R; r++) zero.intoArray(dst, d + r * lanes);
                }
                if (blocks * 8 < taps) {
                    for (int s = 0; s < count; s++) {
                        convolveTaps(src, srcRow[rowOff + s] + b, td, lanes, t0, kp, kernOff + s * padded + CONV_PAD, blocks * 8, taps, dst, d);
                    }
                }
            }
            for (; t0 < steps; t0++) {
                FloatVector a = FloatVector.zero(S);
                for (int s = 0; s < count; s++) {
                    int row = srcRow[rowOff + s] + b;
                    for (int n = 0; n < taps; n++) {
                        a = FloatVector.fromArray(S, src, row + (td - n + t0) * lanes).fma(FloatVector.broadcast(S, kern[kernOff + s * padded + CONV_PAD + n]), a);
                    }
                }
                a.intoArray(dst, dstOff + t0 * lanes + b);
            }
        }
        for (; b < lanes; b++) {
            for (int t = 0; t < steps; t++) {
                float a = 0f;
                for (int s = 0; s < count; s++) {
                    int row = srcRow[rowOff + s] + b;
                    for (int n = 0; n < taps; n++) a = Math.fma(kern[kernOff + s * padded + CONV_PAD + n], src[row + (td - n + t) * lanes], a);
                }
                dst[dstOff + t * lanes + b] = a;
            }
        }
    }

    /** Taps n0 .. n1 − 1 of one synapse for R consecutive output steps of one lane chunk, accumulated into dst. */
    private static void convolveTaps(float[] src, int row, int td, int lanes, int t0, float[] kp, int k0, int n0, int n1, float[] dst, int d) {
        FloatVector a0 = FloatVector.fromArray(S, dst, d);
        FloatVector a1 = FloatVector.fromArray(S, dst, d + lanes);
        FloatVector a2 = FloatVector.fromArray(S, dst, d + 2 * lanes);
        FloatVector a3 = FloatVector.fromArray(S, dst, d + 3 * lanes);
        FloatVector a4 = FloatVector.fromArray(S, dst, d + 4 * lanes);
        FloatVector a5 = FloatVector.fromArray(S, dst, d + 5 * lanes);
        FloatVector a6 = FloatVector.fromArray(S, dst, d + 6 * lanes);
        FloatVector a7 = FloatVector.fromArray(S, dst, d + 7 * lanes);
        for (int n = n0; n < n1; n++) {
            // output step t0 + r reads padded source step td − n + t0 + r
            FloatVector k = FloatVector.broadcast(S, kp[k0 + n]);
            int base = row + (td - n + t0) * lanes;
            a0 = FloatVector.fromArray(S, src, base).fma(k, a0);
            a1 = FloatVector.fromArray(S, src, base + lanes).fma(k, a1);
            a2 = FloatVector.fromArray(S, src, base + 2 * lanes).fma(k, a2);
            a3 = FloatVector.fromArray(S, src, base + 3 * lanes).fma(k, a3);
            a4 = FloatVector.fromArray(S, src, base + 4 * lanes).fma(k, a4);
            a5 = FloatVector.fromArray(S, src, base + 5 * lanes).fma(k, a5);
            a6 = FloatVector.fromArray(S, src, base + 6 * lanes).fma(k, a6);
            a7 = FloatVector.fromArray(S, src, base + 7 * lanes).fma(k, a7);
        }
        a0.intoArray(dst, d);
        a1.intoArray(dst, d + lanes);
        a2.intoArray(dst, d + 2 * lanes);
        a3.intoArray(dst, d + 3 * lanes);
        a4.intoArray(dst, d + 4 * lanes);
        a5.intoArray(dst, d + 5 * lanes);
        a6.intoArray(dst, d + 6 * lanes);
        a7.intoArray(dst, d + 7 * lanes);
    }

    /**
     * Full 8-tap blocks of every synapse for 8 consecutive output steps of one lane chunk (written to
     * dst): per (synapse, tap block) 8 kernel broadcasts and 15 source loads feed 64 FMAs. One flat
     * loop over the (synapse, block) pairs keeps the accumulators in registers.
     */
    private static void convolve8x8(int count, int blocks, int td, int lanes, int t0, int b, float[] kern, int kernOff, int padded,
                                    float[] src, int[] srcRow, int rowOff, float[] dst, int d) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        int s = 0, nb = 0, iters = count * blocks;
        for (int it = 0; it < iters; it++) {
            int kk = kernOff + s * padded + CONV_PAD + nb;
            // output step t0 + r, tap nb + q reads padded source step td − nb − q + t0 + r
            int base = srcRow[rowOff + s] + b + (td - nb + t0) * lanes;
            FloatVector k0 = FloatVector.broadcast(S, kern[kk + 0]);
            FloatVector k1 = FloatVector.broadcast(S, kern[kk + 1]);
            FloatVector k2 = FloatVector.broadcast(S, kern[kk + 2]);
            FloatVector k3 = FloatVector.broadcast(S, kern[kk + 3]);
            FloatVector k4 = FloatVector.broadcast(S, kern[kk + 4]);
            FloatVector k5 = FloatVector.broadcast(S, kern[kk + 5]);
            FloatVector k6 = FloatVector.broadcast(S, kern[kk + 6]);
            FloatVector k7 = FloatVector.broadcast(S, kern[kk + 7]);
            FloatVector x;
            x = FloatVector.fromArray(S, src, base + (-7) * lanes);
            a0 = x.fma(k7, a0);
            x = FloatVector.fromArray(S, src, base + (-6) * lanes);
            a0 = x.fma(k6, a0);
            a1 = x.fma(k7, a1);
            x = FloatVector.fromArray(S, src, base + (-5) * lanes);
            a0 = x.fma(k5, a0);
            a1 = x.fma(k6, a1);
            a2 = x.fma(k7, a2);
            x = FloatVector.fromArray(S, src, base + (-4) * lanes);
            a0 = x.fma(k4, a0);
            a1 = x.fma(k5, a1);
            a2 = x.fma(k6, a2);
            a3 = x.fma(k7, a3);
            x = FloatVector.fromArray(S, src, base + (-3) * lanes);
            a0 = x.fma(k3, a0);
            a1 = x.fma(k4, a1);
            a2 = x.fma(k5, a2);
            a3 = x.fma(k6, a3);
            a4 = x.fma(k7, a4);
            x = FloatVector.fromArray(S, src, base + (-2) * lanes);
            a0 = x.fma(k2, a0);
            a1 = x.fma(k3, a1);
            a2 = x.fma(k4, a2);
            a3 = x.fma(k5, a3);
            a4 = x.fma(k6, a4);
            a5 = x.fma(k7, a5);
            x = FloatVector.fromArray(S, src, base + (-1) * lanes);
            a0 = x.fma(k1, a0);
            a1 = x.fma(k2, a1);
            a2 = x.fma(k3, a2);
            a3 = x.fma(k4, a3);
            a4 = x.fma(k5, a4);
            a5 = x.fma(k6, a5);
            a6 = x.fma(k7, a6);
            x = FloatVector.fromArray(S, src, base + (0) * lanes);
            a0 = x.fma(k0, a0);
            a1 = x.fma(k1, a1);
            a2 = x.fma(k2, a2);
            a3 = x.fma(k3, a3);
            a4 = x.fma(k4, a4);
            a5 = x.fma(k5, a5);
            a6 = x.fma(k6, a6);
            a7 = x.fma(k7, a7);
            x = FloatVector.fromArray(S, src, base + (1) * lanes);
            a1 = x.fma(k0, a1);
            a2 = x.fma(k1, a2);
            a3 = x.fma(k2, a3);
            a4 = x.fma(k3, a4);
            a5 = x.fma(k4, a5);
            a6 = x.fma(k5, a6);
            a7 = x.fma(k6, a7);
            x = FloatVector.fromArray(S, src, base + (2) * lanes);
            a2 = x.fma(k0, a2);
            a3 = x.fma(k1, a3);
            a4 = x.fma(k2, a4);
            a5 = x.fma(k3, a5);
            a6 = x.fma(k4, a6);
            a7 = x.fma(k5, a7);
            x = FloatVector.fromArray(S, src, base + (3) * lanes);
            a3 = x.fma(k0, a3);
            a4 = x.fma(k1, a4);
            a5 = x.fma(k2, a5);
            a6 = x.fma(k3, a6);
            a7 = x.fma(k4, a7);
            x = FloatVector.fromArray(S, src, base + (4) * lanes);
            a4 = x.fma(k0, a4);
            a5 = x.fma(k1, a5);
            a6 = x.fma(k2, a6);
            a7 = x.fma(k3, a7);
            x = FloatVector.fromArray(S, src, base + (5) * lanes);
            a5 = x.fma(k0, a5);
            a6 = x.fma(k1, a6);
            a7 = x.fma(k2, a7);
            x = FloatVector.fromArray(S, src, base + (6) * lanes);
            a6 = x.fma(k0, a6);
            a7 = x.fma(k1, a7);
            x = FloatVector.fromArray(S, src, base + (7) * lanes);
            a7 = x.fma(k0, a7);
            nb += 8;
            if (nb == blocks * 8) {
                nb = 0;
                s++;
            }
        }
        a0.intoArray(dst, d + 0 * lanes);
        a1.intoArray(dst, d + 1 * lanes);
        a2.intoArray(dst, d + 2 * lanes);
        a3.intoArray(dst, d + 3 * lanes);
        a4.intoArray(dst, d + 4 * lanes);
        a5.intoArray(dst, d + 5 * lanes);
        a6.intoArray(dst, d + 6 * lanes);
        a7.intoArray(dst, d + 7 * lanes);
    }

    // ---------------------------------------------------------------- correlate

    @Override
    public void correlate(int rows, int count, int len, float[] a, int aOff, int aStride, float[] src, int[] srcOff, int offOff,
                          float[] out, int outOff, int outStride) {
        // Blocks of 5 rows × 5 entries (25 accumulators, 10 loads per 25 FMAs) while five rows are
        // left, then 4 × 4 (the CSR union blocks are four rows), then single rows.
        int r = 0;
        for (; r + 5 <= rows; r += 5) correlateRowBlock(5, count, len, a, aOff + r * aStride, aStride, src, srcOff, offOff, out, outOff + r * outStride, outStride);
        for (; r + 4 <= rows; r += 4) correlateRowBlock(4, count, len, a, aOff + r * aStride, aStride, src, srcOff, offOff, out, outOff + r * outStride, outStride);
        for (; r < rows; r++) {
            int k = 0;
            for (; k + 4 <= count; k += 4) {
                correlate1x4(len, a, aOff + r * aStride, src, srcOff, offOff + k, out, outOff + r * outStride + k);
            }
            for (; k < count; k++) {
                out[outOff + r * outStride + k] += dotF(a, aOff + r * aStride, src, srcOff[offOff + k], len);
            }
        }
    }

    /** w (5 or 4) rows against every entry: w × w register blocks, then the entries left one by one. */
    private static void correlateRowBlock(int w, int count, int len, float[] a, int aOff, int aStride, float[] src, int[] srcOff, int offOff,
                                          float[] out, int outOff, int outStride) {
        int k = 0;
        for (; k + w <= count; k += w) {
            if (w == 5) correlate5x5(len, a, aOff, aStride, src, srcOff, offOff + k, out, outOff + k, outStride);
            else correlate4x4(len, a, aOff, aStride, src, srcOff, offOff + k, out, outOff + k, outStride);
        }
        for (; k < count; k++) {
            for (int rr = 0; rr < w; rr++) out[outOff + rr * outStride + k] += dotF(a, aOff + rr * aStride, src, srcOff[offOff + k], len);
        }
    }

    private static void correlate5x5(int len, float[] a, int aOff, int as, float[] src, int[] srcOff, int offOff,
                                     float[] out, int oOff, int os) {
        int s0 = srcOff[offOff], s1 = srcOff[offOff + 1], s2 = srcOff[offOff + 2], s3 = srcOff[offOff + 3], s4 = srcOff[offOff + 4];
        int r0 = aOff, r1 = aOff + as, r2 = aOff + 2 * as, r3 = aOff + 3 * as, r4 = aOff + 4 * as;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c04 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00, c14 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00, c24 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00, c34 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00, c44 = c00;
        int c = 0;
        for (; c + L <= len; c += L) {
            FloatVector x0 = FloatVector.fromArray(S, src, s0 + c);
            FloatVector x1 = FloatVector.fromArray(S, src, s1 + c);
            FloatVector x2 = FloatVector.fromArray(S, src, s2 + c);
            FloatVector x3 = FloatVector.fromArray(S, src, s3 + c);
            FloatVector x4 = FloatVector.fromArray(S, src, s4 + c);
            FloatVector y = FloatVector.fromArray(S, a, r0 + c);
            c00 = y.fma(x0, c00); c01 = y.fma(x1, c01); c02 = y.fma(x2, c02); c03 = y.fma(x3, c03); c04 = y.fma(x4, c04);
            y = FloatVector.fromArray(S, a, r1 + c);
            c10 = y.fma(x0, c10); c11 = y.fma(x1, c11); c12 = y.fma(x2, c12); c13 = y.fma(x3, c13); c14 = y.fma(x4, c14);
            y = FloatVector.fromArray(S, a, r2 + c);
            c20 = y.fma(x0, c20); c21 = y.fma(x1, c21); c22 = y.fma(x2, c22); c23 = y.fma(x3, c23); c24 = y.fma(x4, c24);
            y = FloatVector.fromArray(S, a, r3 + c);
            c30 = y.fma(x0, c30); c31 = y.fma(x1, c31); c32 = y.fma(x2, c32); c33 = y.fma(x3, c33); c34 = y.fma(x4, c34);
            y = FloatVector.fromArray(S, a, r4 + c);
            c40 = y.fma(x0, c40); c41 = y.fma(x1, c41); c42 = y.fma(x2, c42); c43 = y.fma(x3, c43); c44 = y.fma(x4, c44);
        }
        // the columns past the last full vector continue each sum (tail: the same order everywhere)
        int o = oOff;
        out[o + 0] += tail(sum(c00), a, r0, src, s0, c, len);
        out[o + 1] += tail(sum(c01), a, r0, src, s1, c, len);
        out[o + 2] += tail(sum(c02), a, r0, src, s2, c, len);
        out[o + 3] += tail(sum(c03), a, r0, src, s3, c, len);
        out[o + 4] += tail(sum(c04), a, r0, src, s4, c, len);
        o += os;
        out[o + 0] += tail(sum(c10), a, r1, src, s0, c, len);
        out[o + 1] += tail(sum(c11), a, r1, src, s1, c, len);
        out[o + 2] += tail(sum(c12), a, r1, src, s2, c, len);
        out[o + 3] += tail(sum(c13), a, r1, src, s3, c, len);
        out[o + 4] += tail(sum(c14), a, r1, src, s4, c, len);
        o += os;
        out[o + 0] += tail(sum(c20), a, r2, src, s0, c, len);
        out[o + 1] += tail(sum(c21), a, r2, src, s1, c, len);
        out[o + 2] += tail(sum(c22), a, r2, src, s2, c, len);
        out[o + 3] += tail(sum(c23), a, r2, src, s3, c, len);
        out[o + 4] += tail(sum(c24), a, r2, src, s4, c, len);
        o += os;
        out[o + 0] += tail(sum(c30), a, r3, src, s0, c, len);
        out[o + 1] += tail(sum(c31), a, r3, src, s1, c, len);
        out[o + 2] += tail(sum(c32), a, r3, src, s2, c, len);
        out[o + 3] += tail(sum(c33), a, r3, src, s3, c, len);
        out[o + 4] += tail(sum(c34), a, r3, src, s4, c, len);
        o += os;
        out[o + 0] += tail(sum(c40), a, r4, src, s0, c, len);
        out[o + 1] += tail(sum(c41), a, r4, src, s1, c, len);
        out[o + 2] += tail(sum(c42), a, r4, src, s2, c, len);
        out[o + 3] += tail(sum(c43), a, r4, src, s3, c, len);
        out[o + 4] += tail(sum(c44), a, r4, src, s4, c, len);
    }

    /**
     * t plus the products of columns from .. len − 1 of a row of a and one source window, in column
     * order: every correlation block and dotF end their sums here, so a correlation's bits do not
     * depend on the block that computed it.
     */
    private static float tail(float t, float[] a, int aRow, float[] src, int sRow, int from, int len) {
        for (int c = from; c < len; c++) t += a[aRow + c] * src[sRow + c];
        return t;
    }

    private static void correlate4x4(int len, float[] a, int aOff, int as, float[] src, int[] srcOff, int offOff,
                                     float[] out, int oOff, int os) {
        int s0 = srcOff[offOff], s1 = srcOff[offOff + 1], s2 = srcOff[offOff + 2], s3 = srcOff[offOff + 3];
        int r0 = aOff, r1 = aOff + as, r2 = aOff + 2 * as, r3 = aOff + 3 * as;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int c = 0;
        for (; c + L <= len; c += L) {
            FloatVector x0 = FloatVector.fromArray(S, src, s0 + c);
            FloatVector x1 = FloatVector.fromArray(S, src, s1 + c);
            FloatVector x2 = FloatVector.fromArray(S, src, s2 + c);
            FloatVector x3 = FloatVector.fromArray(S, src, s3 + c);
            FloatVector y = FloatVector.fromArray(S, a, r0 + c);
            c00 = y.fma(x0, c00); c01 = y.fma(x1, c01); c02 = y.fma(x2, c02); c03 = y.fma(x3, c03);
            y = FloatVector.fromArray(S, a, r1 + c);
            c10 = y.fma(x0, c10); c11 = y.fma(x1, c11); c12 = y.fma(x2, c12); c13 = y.fma(x3, c13);
            y = FloatVector.fromArray(S, a, r2 + c);
            c20 = y.fma(x0, c20); c21 = y.fma(x1, c21); c22 = y.fma(x2, c22); c23 = y.fma(x3, c23);
            y = FloatVector.fromArray(S, a, r3 + c);
            c30 = y.fma(x0, c30); c31 = y.fma(x1, c31); c32 = y.fma(x2, c32); c33 = y.fma(x3, c33);
        }
        // the columns past the last full vector continue each sum (tail: the same order everywhere)
        int o = oOff;
        out[o] += tail(sum(c00), a, r0, src, s0, c, len);
        out[o + 1] += tail(sum(c01), a, r0, src, s1, c, len);
        out[o + 2] += tail(sum(c02), a, r0, src, s2, c, len);
        out[o + 3] += tail(sum(c03), a, r0, src, s3, c, len);
        o += os;
        out[o] += tail(sum(c10), a, r1, src, s0, c, len);
        out[o + 1] += tail(sum(c11), a, r1, src, s1, c, len);
        out[o + 2] += tail(sum(c12), a, r1, src, s2, c, len);
        out[o + 3] += tail(sum(c13), a, r1, src, s3, c, len);
        o += os;
        out[o] += tail(sum(c20), a, r2, src, s0, c, len);
        out[o + 1] += tail(sum(c21), a, r2, src, s1, c, len);
        out[o + 2] += tail(sum(c22), a, r2, src, s2, c, len);
        out[o + 3] += tail(sum(c23), a, r2, src, s3, c, len);
        o += os;
        out[o] += tail(sum(c30), a, r3, src, s0, c, len);
        out[o + 1] += tail(sum(c31), a, r3, src, s1, c, len);
        out[o + 2] += tail(sum(c32), a, r3, src, s2, c, len);
        out[o + 3] += tail(sum(c33), a, r3, src, s3, c, len);
    }

    private static void correlate1x4(int len, float[] a, int aOff, float[] src, int[] srcOff, int offOff, float[] out, int oOff) {
        int s0 = srcOff[offOff], s1 = srcOff[offOff + 1], s2 = srcOff[offOff + 2], s3 = srcOff[offOff + 3];
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        int c = 0;
        for (; c + L <= len; c += L) {
            FloatVector y = FloatVector.fromArray(S, a, aOff + c);
            c0 = y.fma(FloatVector.fromArray(S, src, s0 + c), c0);
            c1 = y.fma(FloatVector.fromArray(S, src, s1 + c), c1);
            c2 = y.fma(FloatVector.fromArray(S, src, s2 + c), c2);
            c3 = y.fma(FloatVector.fromArray(S, src, s3 + c), c3);
        }
        out[oOff] += tail(sum(c0), a, aOff, src, s0, c, len);
        out[oOff + 1] += tail(sum(c1), a, aOff, src, s1, c, len);
        out[oOff + 2] += tail(sum(c2), a, aOff, src, s2, c, len);
        out[oOff + 3] += tail(sum(c3), a, aOff, src, s3, c, len);
    }

    // ---------------------------------------------------------------- tap correlation

    /** Time steps per iteration of the tap correlation (and taps per accumulator block). */
    static final int CT = 8;

    @Override
    public void correlateTaps(int taps, int steps, int lanes, float[] a, int aOff, float[] src, int srcRow, float[] out, int outOff) {
        int td = taps - 1, len = steps * lanes;
        int n = 0;
        if (lanes % L == 0 && steps >= CT) {
            int blocks = steps / CT;              // full blocks of CT steps, every lane vector
            int done = blocks * CT * lanes;       // flat columns they cover
            int iters = blocks * (lanes / L);
            for (; n + CT <= taps; n += CT) {
                int base = srcRow + (td - n) * lanes;
                correlateTaps8(iters, lanes, a, aOff, src, base, out, outOff + n);
                for (int r = 0; r < CT; r++) {
                    out[outOff + n + r] += dotF(a, aOff + done, src, base - r * lanes + done, len - done);
                }
            }
        }
        for (; n < taps; n++) out[outOff + n] = dotF(a, aOff, src, srcRow + (td - n) * lanes, len);
    }

    /** Taps n0 .. n0+7 of one synapse: 8 lag accumulators, 8 time steps per iteration, each loaded source vector feeding up to 8 of them. */
    private static void correlateTaps8(int iters, int lanes, float[] a, int aOff, float[] src, int base, float[] out, int outOff) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        int t0 = 0, b = 0;
        for (int it = 0; it < iters; it++) {
            int ya = aOff + t0 + b, xs = base + t0 + b;
            FloatVector y0 = FloatVector.fromArray(S, a, ya + 0 * lanes);
            FloatVector y1 = FloatVector.fromArray(S, a, ya + 1 * lanes);
            FloatVector y2 = FloatVector.fromArray(S, a, ya + 2 * lanes);
            FloatVector y3 = FloatVector.fromArray(S, a, ya + 3 * lanes);
            FloatVector y4 = FloatVector.fromArray(S, a, ya + 4 * lanes);
            FloatVector y5 = FloatVector.fromArray(S, a, ya + 5 * lanes);
            FloatVector y6 = FloatVector.fromArray(S, a, ya + 6 * lanes);
            FloatVector y7 = FloatVector.fromArray(S, a, ya + 7 * lanes);
            FloatVector x;
            x = FloatVector.fromArray(S, src, xs + (-7) * lanes);
            c7 = y0.fma(x, c7);
            x = FloatVector.fromArray(S, src, xs + (-6) * lanes);
            c6 = y0.fma(x, c6);
            c7 = y1.fma(x, c7);
            x = FloatVector.fromArray(S, src, xs + (-5) * lanes);
            c5 = y0.fma(x, c5);
            c6 = y1.fma(x, c6);
            c7 = y2.fma(x, c7);
            x = FloatVector.fromArray(S, src, xs + (-4) * lanes);
            c4 = y0.fma(x, c4);
            c5 = y1.fma(x, c5);
            c6 = y2.fma(x, c6);
            c7 = y3.fma(x, c7);
            x = FloatVector.fromArray(S, src, xs + (-3) * lanes);
            c3 = y0.fma(x, c3);
            c4 = y1.fma(x, c4);
            c5 = y2.fma(x, c5);
            c6 = y3.fma(x, c6);
            c7 = y4.fma(x, c7);
            x = FloatVector.fromArray(S, src, xs + (-2) * lanes);
            c2 = y0.fma(x, c2);
            c3 = y1.fma(x, c3);
            c4 = y2.fma(x, c4);
            c5 = y3.fma(x, c5);
            c6 = y4.fma(x, c6);
            c7 = y5.fma(x, c7);
            x = FloatVector.fromArray(S, src, xs + (-1) * lanes);
            c1 = y0.fma(x, c1);
            c2 = y1.fma(x, c2);
            c3 = y2.fma(x, c3);
            c4 = y3.fma(x, c4);
            c5 = y4.fma(x, c5);
            c6 = y5.fma(x, c6);
            c7 = y6.fma(x, c7);
            x = FloatVector.fromArray(S, src, xs + (0) * lanes);
            c0 = y0.fma(x, c0);
            c1 = y1.fma(x, c1);
            c2 = y2.fma(x, c2);
            c3 = y3.fma(x, c3);
            c4 = y4.fma(x, c4);
            c5 = y5.fma(x, c5);
            c6 = y6.fma(x, c6);
            c7 = y7.fma(x, c7);
            x = FloatVector.fromArray(S, src, xs + (1) * lanes);
            c0 = y1.fma(x, c0);
            c1 = y2.fma(x, c1);
            c2 = y3.fma(x, c2);
            c3 = y4.fma(x, c3);
            c4 = y5.fma(x, c4);
            c5 = y6.fma(x, c5);
            c6 = y7.fma(x, c6);
            x = FloatVector.fromArray(S, src, xs + (2) * lanes);
            c0 = y2.fma(x, c0);
            c1 = y3.fma(x, c1);
            c2 = y4.fma(x, c2);
            c3 = y5.fma(x, c3);
            c4 = y6.fma(x, c4);
            c5 = y7.fma(x, c5);
            x = FloatVector.fromArray(S, src, xs + (3) * lanes);
            c0 = y3.fma(x, c0);
            c1 = y4.fma(x, c1);
            c2 = y5.fma(x, c2);
            c3 = y6.fma(x, c3);
            c4 = y7.fma(x, c4);
            x = FloatVector.fromArray(S, src, xs + (4) * lanes);
            c0 = y4.fma(x, c0);
            c1 = y5.fma(x, c1);
            c2 = y6.fma(x, c2);
            c3 = y7.fma(x, c3);
            x = FloatVector.fromArray(S, src, xs + (5) * lanes);
            c0 = y5.fma(x, c0);
            c1 = y6.fma(x, c1);
            c2 = y7.fma(x, c2);
            x = FloatVector.fromArray(S, src, xs + (6) * lanes);
            c0 = y6.fma(x, c0);
            c1 = y7.fma(x, c1);
            x = FloatVector.fromArray(S, src, xs + (7) * lanes);
            c0 = y7.fma(x, c0);
            b += L;
            if (b == lanes) {
                b = 0;
                t0 += 8 * lanes;
            }
        }
        out[outOff + 0] = sum(c0);
        out[outOff + 1] = sum(c1);
        out[outOff + 2] = sum(c2);
        out[outOff + 3] = sum(c3);
        out[outOff + 4] = sum(c4);
        out[outOff + 5] = sum(c5);
        out[outOff + 6] = sum(c6);
        out[outOff + 7] = sum(c7);
    }

    private static float dotF(float[] a, int aOff, float[] b, int bOff, int len) {
        FloatVector acc = FloatVector.zero(S);
        int c = 0;
        for (; c + L <= len; c += L) {
            acc = FloatVector.fromArray(S, a, aOff + c).fma(FloatVector.fromArray(S, b, bOff + c), acc);
        }
        return tail(sum(acc), a, aOff, b, bOff, c, len);
    }

    // ---------------------------------------------------------------- neurons

    @Override
    public void lifForward(int steps, int lanes, float beta, float thr, float[] in, int inOff, float scale, float shift,
                           float[] u, int uOff, float[] mask, int maskOff, float[] out, int outOff) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        int vec = lanes - lanes % L;
        // Time outermost, every lane vector of a step inside: the rows are swept once in address
        // order, not once per lane block with a stride of B floats between steps (which the
        // prefetchers do not follow when the rows come from memory: 1.8x slower for 256 rows of a
        // batch of 256). Step t's carry is u[t − 1] read back from u (an exact store and load) and
        // its spike recomputed from it: the operations, and so the bits, of a register recurrence.
        for (int t = 0; t < steps; t++) {
            int i = t * lanes;
            for (int b = 0; b < vec; b += L) {
                FloatVector uPrev = t == 0 ? zero : FloatVector.fromArray(S, u, uOff + i - lanes + b);
                FloatVector sPrev = t == 0 ? zero : zero.blend(one, uPrev.compare(VectorOperators.GT, thr));
                FloatVector v = uPrev.mul(beta).mul(one.sub(sPrev)).add(FloatVector.fromArray(S, in, inOff + i + b).mul(scale).add(shift));
                v.intoArray(u, uOff + i + b);
                if (out != null) {
                    FloatVector spike = zero.blend(one, v.compare(VectorOperators.GT, thr));
                    (mask == null ? spike : spike.mul(FloatVector.fromArray(S, mask, maskOff + b))).intoArray(out, outOff + i + b);
                }
            }
        }
        DefaultKernelOps.lifForwardLanes(vec, lanes, steps, lanes, beta, thr, in, inOff, scale, shift, u, uOff, mask, maskOff, out, outOff);
    }

    @Override
    public void lifBackward(int steps, int lanes, float beta, float thr, float alpha, float[] dS, int dSOff,
                            float[] mask, int maskOff, float[] u, int uOff, float[] dIn, int dInOff) {
        float k = (float) (Math.PI / 2) * alpha;
        float half = alpha * 0.5f;
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        FloatVector halfV = FloatVector.broadcast(S, half);
        int vec = lanes - lanes % L;
        // Time outermost (descending), every lane vector inside, as in lifForward; step t's carry
        // g[t + 1] is read back from dIn's step t + 1, written just before (exact), so dIn may
        // still be dS itself: dS[t + 1] has been consumed by then.
        for (int t = steps - 1; t >= 0; t--) {
            int i = t * lanes;
            for (int b = 0; b < vec; b += L) {
                FloatVector m = mask == null ? one : FloatVector.fromArray(S, mask, maskOff + b);
                FloatVector g = t == steps - 1 ? zero : FloatVector.fromArray(S, dIn, dInOff + i + lanes + b);
                lifBackStep(g, m, i + b, beta, thr, k, halfV, one, zero, dS, dSOff, u, uOff).intoArray(dIn, dInOff + i + b);
            }
        }
        DefaultKernelOps.lifBackwardLanes(vec, lanes, steps, lanes, beta, thr, alpha, dS, dSOff, mask, maskOff, u, uOff, dIn, dInOff);
    }

    /** One step of the LIF backward recurrence for one lane block (same operations as the scalar code). */
    private static FloatVector lifBackStep(FloatVector g, FloatVector m, int i, float beta, float thr, float k, FloatVector half,
                                           FloatVector one, FloatVector zero, float[] dS, int dSOff, float[] u, int uOff) {
        FloatVector uu = FloatVector.fromArray(S, u, uOff + i);
        FloatVector x = uu.sub(thr).mul(k);
        FloatVector sg = half.div(one.add(x.mul(x)));
        FloatVector spike = zero.blend(one, uu.compare(VectorOperators.GT, thr));
        FloatVector carry = g.mul(beta).mul(one.sub(spike));
        return FloatVector.fromArray(S, dS, dSOff + i).mul(m).mul(sg).add(carry);
    }

    @Override
    public void leakyForward(int steps, int lanes, float beta, float[] in, int inOff, float[] v, int vOff) {
        int b = 0;
        for (; b + L <= lanes; b += L) {
            FloatVector prev = FloatVector.zero(S);
            for (int t = 0; t < steps; t++) {
                int i = t * lanes + b;
                prev = prev.mul(beta).add(FloatVector.fromArray(S, in, inOff + i));
                prev.intoArray(v, vOff + i);
            }
        }
        DefaultKernelOps.leakyForwardLanes(b, lanes, steps, lanes, beta, in, inOff, v, vOff);
    }

    @Override
    public void leakyBackward(int steps, int lanes, float beta, float[] dv, int dvOff, float[] dIn, int dInOff) {
        int b = 0;
        for (; b + L <= lanes; b += L) {
            FloatVector g = FloatVector.zero(S);
            for (int t = steps - 1; t >= 0; t--) {
                int i = t * lanes + b;
                g = g.mul(beta).add(FloatVector.fromArray(S, dv, dvOff + i));
                g.intoArray(dIn, dInOff + i);
            }
        }
        DefaultKernelOps.leakyBackwardLanes(b, lanes, steps, lanes, beta, dv, dvOff, dIn, dInOff);
    }

    // ---------------------------------------------------------------- reductions and maps

    @Override
    public double sum(float[] a, int off, int len) {
        FloatVector acc0 = FloatVector.zero(S), acc1 = acc0;
        int i = 0;
        for (; i + 2 * L <= len; i += 2 * L) {
            acc0 = acc0.add(FloatVector.fromArray(S, a, off + i));
            acc1 = acc1.add(FloatVector.fromArray(S, a, off + i + L));
        }
        double s = sum(acc0.add(acc1));
        for (; i < len; i++) s += a[off + i];
        return s;
    }

    @Override
    public double sumSquaredDeviation(float[] a, int off, int len, float mean) {
        FloatVector acc0 = FloatVector.zero(S), acc1 = acc0;
        int i = 0;
        for (; i + 2 * L <= len; i += 2 * L) {
            FloatVector d0 = FloatVector.fromArray(S, a, off + i).sub(mean);
            FloatVector d1 = FloatVector.fromArray(S, a, off + i + L).sub(mean);
            acc0 = d0.fma(d0, acc0);
            acc1 = d1.fma(d1, acc1);
        }
        double s = sum(acc0.add(acc1));
        for (; i < len; i++) {
            double d = a[off + i] - mean;
            s += d * d;
        }
        return s;
    }

    @Override
    public void sumAndDot(float[] a, int aOff, float[] b, int bOff, int len, double[] out, int outOff) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, d0 = s0, d1 = s0;
        int i = 0;
        for (; i + 2 * L <= len; i += 2 * L) {
            FloatVector x0 = FloatVector.fromArray(S, a, aOff + i);
            FloatVector x1 = FloatVector.fromArray(S, a, aOff + i + L);
            s0 = s0.add(x0);
            s1 = s1.add(x1);
            d0 = x0.fma(FloatVector.fromArray(S, b, bOff + i), d0);
            d1 = x1.fma(FloatVector.fromArray(S, b, bOff + i + L), d1);
        }
        double s = sum(s0.add(s1));
        double d = sum(d0.add(d1));
        for (; i < len; i++) {
            s += a[aOff + i];
            d += (double) a[aOff + i] * b[bOff + i];
        }
        out[outOff] = s;
        out[outOff + 1] = d;
    }

    @Override
    public void scaleShift(float[] a, int aOff, int len, float scale, float shift, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= len; i += L) {
            FloatVector.fromArray(S, a, aOff + i).mul(scale).add(shift).intoArray(out, outOff + i);
        }
        for (; i < len; i++) out[outOff + i] = a[aOff + i] * scale + shift;
    }

    @Override
    public void linear2(float[] x, int xOff, float[] y, int yOff, int len, float p, float q, float r, float[] out, int outOff) {
        int i = 0;
        for (; i + L <= len; i += L) {
            FloatVector px = FloatVector.fromArray(S, x, xOff + i).mul(p);
            FloatVector qy = FloatVector.fromArray(S, y, yOff + i).mul(q);
            px.add(qy).add(r).intoArray(out, outOff + i);
        }
        for (; i < len; i++) out[outOff + i] = p * x[xOff + i] + q * y[yOff + i] + r;
    }

    @Override
    public int lifStep(int n, float beta, float thr, float[] in, float[] bias, float[] u, float[] s, int[] fired) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        int i = 0, nf = 0;
        for (; i + L <= n; i += L) {
            FloatVector cur = FloatVector.fromArray(S, in, i);
            if (bias != null) cur = cur.add(FloatVector.fromArray(S, bias, i));
            FloatVector v = FloatVector.fromArray(S, u, i).mul(beta).mul(one.sub(FloatVector.fromArray(S, s, i))).add(cur);
            v.intoArray(u, i);
            zero.blend(one, v.compare(VectorOperators.GT, thr)).intoArray(s, i);
        }
        // the fired list in a second pass over the 0/1 spikes. A branch per neuron: spikes are
        // rare (≈ 7 % of neurons per step), so it is predicted well and beats a branch-free
        // compaction that stores every index (0.06 vs 0.17 µs for 256 neurons, measured);
        // VectorMask.toLong, the direct way, is not intrinsified on JDK 17.
        for (int k = 0; k < i; k++) {
            if (s[k] != 0f) fired[nf++] = k;
        }
        return DefaultKernelOps.lifStepRange(i, n, beta, thr, in, bias, u, s, fired, nf);
    }

    /**
     * The vector window (permutations of each channel's delay line) where the provider's width is
     * 512 bits, Td + 1 ≤ 32 and at least one block of 16 hidden neurons is dense enough to gain
     * from it; {@link Lanes} for everything else (the other blocks, or the whole layer).
     */
    @Override
    public WindowSynapses windowSynapses(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w) {
        if (KernelProvider.vectorBits() < 512 || maxDelay + 1 > WindowSynapses.WINDOW) return new LaneWindowSynapses(inputs, hidden, maxDelay, ptr, pre, delay, w);
        WindowSynapses v = windowSynapses(inputs, hidden, maxDelay, ptr, pre, delay, w, KernelProvider.windowSplit());
        // a layer too sparse for any vector block runs in lanes alone (the same bits, no detours)
        return v.vectorBlocks() > 0 ? v : new LaneWindowSynapses(inputs, hidden, maxDelay, ptr, pre, delay, w);
    }

    /** The measured cost of one input-layer cell of this implementation (ns; the cost split's table, BENCHMARKS.md). */
    double cellCost() {
        return PanamaWindowSynapses.CELL_COST;
    }

    /** The measured cost of one synapse in scalar lanes on this implementation's JDK (ns). */
    double synapseCost() {
        return PanamaWindowSynapses.SYNAPSE_COST;
    }

    /** This implementation's vector window with the given split, whatever the width (Td + 1 ≤ 32; for tests and the method above). */
    WindowSynapses windowSynapses(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w, WindowSynapses.Split split) {
        return new PanamaWindowSynapses(inputs, hidden, maxDelay, ptr, pre, delay, w, split);
    }
}
