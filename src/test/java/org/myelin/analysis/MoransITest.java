package org.myelin.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MoransITest {

    @Test
    @SuppressWarnings("unchecked")
    void matchesNumpyGolden() throws Exception {
        Map<String, Object> g = Golden.load("moran.json");
        List<Object> mats = (List<Object>) g.get("matrices");
        assertTrue(mats.size() >= 8);
        for (Object o : mats) {
            Map<String, Object> c = (Map<String, Object>) o;
            String name = (String) c.get("name");
            int rows = ((Number) c.get("rows")).intValue(), cols = ((Number) c.get("cols")).intValue();
            double[] data = Golden.doubles(c.get("data"));
            List<Object> orders = (List<Object>) c.get("orders");
            List<Object> vals = (List<Object>) c.get("moran");
            for (int k = 0; k < orders.size(); k++) {
                int[] order = Golden.ints(orders.get(k));
                double got = MoransI.of(data, rows, cols, order);
                Object want = vals.get(k);
                if (want == null) {
                    assertTrue(Double.isNaN(got), name + " order " + k + ": expected NaN (undefined), got " + got);
                } else {
                    assertEquals(Golden.num(want), got, 1e-12 * Math.max(1, Math.abs(Golden.num(want))), name + " order " + k);
                }
            }
            if (vals.get(0) != null) {
                assertEquals(Golden.num(vals.get(0)), MoransI.of(data, rows, cols), 1e-12, name + " stored order");
            }
        }
    }

    @Test
    void constantMatrixIsNaNEverywhere() {
        float[] c = new float[12];
        java.util.Arrays.fill(c, 3f);
        assertTrue(Double.isNaN(MoransI.of(c, 3, 4)));
        assertTrue(Double.isNaN(MoransI.maxOverRowPermutations(c, 3, 4, 10, 1L, 2)));
    }

    @Test
    void maxIsAttainedByOnePermutationAndIsDeterministic() {
        SplittableRandom r = new SplittableRandom(5);
        int rows = 12, cols = 9;
        double[] m = new double[rows * cols];
        for (int k = 0; k < m.length; k++) m[k] = r.nextGaussian();
        double a = MoransI.maxOverRowPermutations(m, rows, cols, 300, 42L, 1);
        double b = MoransI.maxOverRowPermutations(m, rows, cols, 300, 42L, 2);
        double c = MoransI.maxOverRowPermutations(m, rows, cols, 300, 42L, 7);
        assertEquals(a, b, 0.0);
        assertEquals(a, c, 0.0);
        assertTrue(MoransI.maxOverRowPermutations(m, rows, cols, 300, 43L, 2) != a, "seed must matter");
        // The max of random orders cannot beat by much the best of many more draws of a naive
        // implementation, and it should not fall far below the stored order.
        double naiveBest = Double.NEGATIVE_INFINITY;
        SplittableRandom pr = new SplittableRandom(9);
        for (int t = 0; t < 3000; t++) {
            int[] order = shuffle(rows, pr);
            naiveBest = Math.max(naiveBest, naive(m, rows, cols, order));
        }
        assertTrue(a <= naiveBest + 0.05, "max " + a + " vs naive best " + naiveBest);
        assertTrue(a > MoransI.of(m, rows, cols) - 0.2);
    }

    @Test
    void fastPathAgreesWithNaiveForRandomOrders() {
        SplittableRandom r = new SplittableRandom(11);
        int rows = 8, cols = 13;
        double[] m = new double[rows * cols];
        for (int k = 0; k < m.length; k++) m[k] = r.nextInt(5) - 2;
        for (int t = 0; t < 50; t++) {
            int[] order = shuffle(rows, r);
            assertEquals(naive(m, rows, cols, order), MoransI.of(m, rows, cols, order), 1e-12);
        }
    }

    /**
     * The paper's field size (40 × 51) and permutation count: the maximum is the same for 1 and 2
     * threads, bit for bit, at least Moran's I of a few of the orders it could draw, and above the
     * no-autocorrelation expectation for a field with structure along the delays. (Speed belongs
     * to JMH, not to a unit test.)
     */
    @Test
    void paperSizedMaximumIsThreadCountIndependentAndAMaximum() {
        SplittableRandom r = new SplittableRandom(3);
        float[] m = new float[40 * 51];
        for (int f = 0; f < 3; f++) {
            for (int row = 0; row < 40; row++) {
                for (int col = 0; col < 51; col++) m[row * 51 + col] = (float) Math.sin(col / 5.0 + row) + r.nextInt(3) - 1;
            }
            double one = MoransI.maxOverRowPermutations(m, 40, 51, 2000, f, 1);
            double two = MoransI.maxOverRowPermutations(m, 40, 51, 2000, f, 2);
            assertEquals(Double.doubleToLongBits(one), Double.doubleToLongBits(two), "field " + f);
            assertTrue(one > MoransI.expected(40, 51), "field " + f + ": " + one);
            double[] dm = new double[m.length];
            for (int k = 0; k < m.length; k++) dm[k] = m[k];
            // 2,000 random orders beat a typical random order (the mean of 20 others)
            double mean = 0;
            for (int t = 0; t < 20; t++) mean += MoransI.of(dm, 40, 51, shuffle(40, r)) / 20;
            assertTrue(one > mean, "max " + one + " vs typical " + mean);
        }
    }

    @Test
    void expectedValue() {
        assertEquals(-1.0 / 2039, MoransI.expected(40, 51), 1e-18);
    }

    private static int[] shuffle(int n, SplittableRandom r) {
        int[] o = new int[n];
        for (int k = 0; k < n; k++) o[k] = k;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    /** Straight eq. 5 on the reordered matrix, all 8 neighbours. */
    private static double naive(double[] m, int rows, int cols, int[] order) {
        int n = rows * cols;
        double mean = 0;
        for (double v : m) mean += v;
        mean /= n;
        double num = 0, w = 0, den = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double zi = m[order[i] * cols + j] - mean;
                den += zi * zi;
                for (int di = -1; di <= 1; di++) {
                    for (int dj = -1; dj <= 1; dj++) {
                        if (di == 0 && dj == 0) continue;
                        int ii = i + di, jj = j + dj;
                        if (ii < 0 || ii >= rows || jj < 0 || jj >= cols) continue;
                        w++;
                        num += zi * (m[order[ii] * cols + jj] - mean);
                    }
                }
            }
        }
        return n / w * num / den;
    }
}
