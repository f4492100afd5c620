package org.myelin.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Moran's I (paper eq. 5) of a matrix with queen's-case (8-neighbour) binary spatial weights and a
 * zero diagonal:
 * <pre>  I = (N / W) · Σ_ij w_ij (x_i − x̄)(x_j − x̄) / Σ_i (x_i − x̄)²</pre>
 * with N the number of cells and W the number of ordered neighbour pairs.
 *
 * <p>Matrices are flat {@code double[]} or {@code float[]} arrays, row-major: cell (r, c) at
 * {@code r * cols + c}. For receptive fields the rows are input channels, the columns delays.
 *
 * <p><b>Constant matrix:</b> the denominator is zero and Moran's I is undefined; every method here
 * returns {@link Double#NaN} for it (no exception). A matrix with a single cell has no neighbour
 * pairs (W = 0) and is likewise NaN.
 *
 * <p><b>Row permutations:</b> the row order of a receptive field is arbitrary, so
 * {@link #maxOverRowPermutations} takes the maximum over P random row orders (the stored order is
 * not one of them unless drawn). Only the numerator depends on the order; it splits into a part
 * within rows (independent of the order) and cross terms between adjacent rows. The cross term of
 * every row pair is precomputed once (O(rows² · cols)), so one permutation costs O(rows).
 * Permutations are drawn in a fixed number of chunks, chunk c from its own
 * {@code SplittableRandom(mix(seed, c))}, so the result does not depend on the number of threads.
 */
public final class MoransI {
    private MoransI() {}

    /** Number of chunks the permutations are split into (fixed, so results are thread-count independent). */
    static final int CHUNKS = 16;

    /** Moran's I of a float matrix in its stored row order. */
    public static double of(float[] m, int rows, int cols) {
        return of(toDouble(m), rows, cols);
    }

    /** Moran's I of a matrix in its stored row order. */
    public static double of(double[] m, int rows, int cols) {
        return new Prepared(m, rows, cols).withOrder(identity(rows));
    }

    /**
     * Moran's I of the matrix whose row r is row {@code order[r]} of {@code m}.
     *
     * @param order a permutation of 0..rows−1
     */
    public static double of(double[] m, int rows, int cols, int[] order) {
        checkPermutation(order, rows);
        return new Prepared(m, rows, cols).withOrder(order);
    }

    /** Float version of {@link #maxOverRowPermutations(double[], int, int, int, long, int)}. */
    public static double maxOverRowPermutations(float[] m, int rows, int cols, int permutations, long seed, int threads) {
        return maxOverRowPermutations(toDouble(m), rows, cols, permutations, seed, threads);
    }

    /**
     * The maximum of Moran's I over {@code permutations} random row permutations, deterministic in
     * {@code seed} whatever {@code threads} is.
     *
     * @param permutations number of random row orders, at least 1
     * @param threads      worker threads (1 = run in the caller's thread)
     * @return the maximum, or NaN for a constant matrix
     */
    public static double maxOverRowPermutations(double[] m, int rows, int cols, int permutations, long seed, int threads) {
        if (permutations < 1) throw new IllegalArgumentException("permutations must be >= 1, got " + permutations);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        Prepared prep = new Prepared(m, rows, cols);
        if (!prep.defined()) return Double.NaN;
        double[] chunkMax = new double[CHUNKS];
        if (threads == 1) {
            for (int c = 0; c < CHUNKS; c++) chunkMax[c] = prep.chunk(c, permutations, seed);
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, CHUNKS), r -> {
                Thread t = new Thread(r, "moran");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Double>> fs = new ArrayList<>(CHUNKS);
                for (int c = 0; c < CHUNKS; c++) {
                    final int cc = c;
                    fs.add(pool.submit(() -> prep.chunk(cc, permutations, seed)));
                }
                for (int c = 0; c < CHUNKS; c++) chunkMax[c] = fs.get(c).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        double best = Double.NEGATIVE_INFINITY;
        for (double v : chunkMax) best = Math.max(best, v);
        return best;
    }

    /** Expected value of Moran's I without spatial autocorrelation: −1/(N − 1). */
    public static double expected(int rows, int cols) {
        return -1.0 / ((double) rows * cols - 1);
    }

    /** Number of ordered queen's-case neighbour pairs W of a rows × cols grid. */
    static double weightSum(int rows, int cols) {
        long r = rows, c = cols;
        long undirected = r * (c - 1) + (r - 1) * c + 2 * Math.max(0, r - 1) * Math.max(0, c - 1);
        return 2.0 * undirected;
    }

    private static int[] identity(int n) {
        int[] o = new int[n];
        for (int k = 0; k < n; k++) o[k] = k;
        return o;
    }

    private static void checkPermutation(int[] order, int rows) {
        if (order.length != rows) throw new IllegalArgumentException("order has " + order.length + " entries, matrix " + rows + " rows");
        boolean[] seen = new boolean[rows];
        for (int v : order) {
            if (v < 0 || v >= rows || seen[v]) throw new IllegalArgumentException("order is not a permutation of 0.." + (rows - 1));
            seen[v] = true;
        }
    }

    private static double[] toDouble(float[] m) {
        double[] d = new double[m.length];
        for (int k = 0; k < m.length; k++) d[k] = m[k];
        return d;
    }

    /** A matrix reduced to what the row order can change: within-row sum and row-pair cross terms. */
    private static final class Prepared {
        final int rows;
        final double scale;    // N / (W · Σ z²)
        final double within;   // Σ over horizontal neighbour pairs (ordered) inside rows: order-invariant
        final double[] cross;  // rows × rows: Σ_c z_p[c]·(z_q[c−1] + z_q[c] + z_q[c+1]), symmetric

        Prepared(double[] m, int rows, int cols) {
            if (rows < 1 || cols < 1) throw new IllegalArgumentException("matrix must be at least 1 × 1, got " + rows + " × " + cols);
            if (m.length != (long) rows * cols) {
                throw new IllegalArgumentException("matrix has " + m.length + " values, expected " + rows + " × " + cols);
            }
            this.rows = rows;
            int n = rows * cols;
            double mean = 0;
            for (double v : m) mean += v;
            mean /= n;
            double[] z = new double[n];
            double ss = 0;
            for (int k = 0; k < n; k++) {
                z[k] = m[k] - mean;
                ss += z[k] * z[k];
            }
            double w = weightSum(rows, cols);
            scale = (ss == 0.0 || w == 0.0) ? Double.NaN : n / (w * ss);
            double in = 0;
            for (int r = 0; r < rows; r++) {
                int o = r * cols;
                for (int c = 0; c + 1 < cols; c++) in += z[o + c] * z[o + c + 1];
            }
            within = 2.0 * in;
            cross = new double[rows * rows];
            for (int p = 0; p < rows; p++) {
                for (int q = p; q < rows; q++) {
                    int op = p * cols, oq = q * cols;
                    double s = 0;
                    for (int c = 0; c < cols; c++) {
                        double nb = z[oq + c];
                        if (c > 0) nb += z[oq + c - 1];
                        if (c + 1 < cols) nb += z[oq + c + 1];
                        s += z[op + c] * nb;
                    }
                    cross[p * rows + q] = s;
                    cross[q * rows + p] = s;
                }
            }
        }

        boolean defined() {
            return !Double.isNaN(scale);
        }

        double withOrder(int[] order) {
            if (!defined()) return Double.NaN;
            double between = 0;
            for (int r = 0; r + 1 < rows; r++) between += cross[order[r] * rows + order[r + 1]];
            return scale * (within + 2.0 * between);
        }

        /** Maximum over this chunk's share of the permutations. */
        double chunk(int c, int permutations, long seed) {
            int base = permutations / CHUNKS, extra = permutations % CHUNKS;
            int count = base + (c < extra ? 1 : 0);
            SplittableRandom rnd = new SplittableRandom(mix(seed, c));
            int[] order = identity(rows);
            double best = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < count; k++) {
                for (int i = rows - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                best = Math.max(best, withOrder(order));
            }
            return best;
        }
    }

    /** A well-spread 64-bit seed for chunk c (SplitMix64 finaliser of seed and chunk index). */
    static long mix(long seed, int c) {
        long z = seed + 0x9E3779B97F4A7C15L * (c + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
