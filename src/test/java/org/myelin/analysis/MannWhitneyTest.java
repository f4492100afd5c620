package org.myelin.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MannWhitneyTest {

    @Test
    @SuppressWarnings("unchecked")
    void matchesScipyGolden() throws Exception {
        Map<String, Object> g = Golden.load("mannwhitney.json");
        List<Object> cases = (List<Object>) g.get("cases");
        assertTrue(cases.size() >= 15, "too few golden cases");
        for (Object o : cases) {
            Map<String, Object> c = (Map<String, Object>) o;
            String name = (String) c.get("name");
            MannWhitney.Result r = MannWhitney.test(Golden.doubles(c.get("x")), Golden.doubles(c.get("y")));
            assertEquals(Golden.num(c.get("U")), r.u, 0.0, name + " U");
            assertEquals(c.get("method"), r.method(), name + " method");
            Golden.assertRel(Golden.num(c.get("p")), r.p, 1e-9, name + " p");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void normalTailMatchesScipy() throws Exception {
        Map<String, Object> g = Golden.load("normsf.json");
        double[] z = Golden.doubles(g.get("z"));
        double[] sf = Golden.doubles(g.get("sf"));
        for (int k = 0; k < z.length; k++) Golden.assertRel(sf[k], MannWhitney.normalSf(z[k]), 1e-12, "sf(" + z[k] + ")");
    }

    @Test
    void effectSizes() {
        MannWhitney.Result r = MannWhitney.test(new double[] {5, 6, 7}, new double[] {1, 2, 3, 4});
        assertEquals(12.0, r.u);
        assertEquals(1.0, r.commonLanguage());
        assertEquals(1.0, r.rankBiserial());
        MannWhitney.Result s = MannWhitney.test(new double[] {1, 2, 3, 4}, new double[] {5, 6, 7});
        assertEquals(0.0, s.commonLanguage());
        assertEquals(-1.0, s.rankBiserial());
        assertEquals(r.p, s.p);
    }

    @Test
    void exactAgainstBruteForceEnumeration() {
        // all C(9,4) = 126 ways of splitting ranks 1..9 into samples of 4 and 5
        int m = 4, n = 5;
        int[] countAtU = new int[m * n + 1];
        for (int mask = 0; mask < (1 << (m + n)); mask++) {
            if (Integer.bitCount(mask) != m) continue;
            int r1 = 0;
            for (int b = 0; b < m + n; b++) if ((mask >> b & 1) != 0) r1 += b + 1;
            countAtU[r1 - m * (m + 1) / 2]++;
        }
        for (int u = 0; u <= m * n; u++) {
            int ge = 0;
            for (int v = u; v <= m * n; v++) ge += countAtU[v];
            assertEquals(ge / 126.0, MannWhitney.exactSf(u, m, n), 1e-15, "P(U >= " + u + ")");
        }
    }

    @Test
    void bigIntegerPathAgreesWithLongPath() {
        // 8 and 900: C(908, 8) is above 2^62, so the BigInteger path runs; compare with the
        // recurrence f(m,n,k) = f(m−1,n,k−n) + f(m,n−1,k) in doubles (only additions).
        int m = 8, n = 900;
        long u = 4500;
        double viaExact = MannWhitney.exactSf(u, m, n);
        double[][] f = new double[m + 1][];
        int len = m * n + 1;
        for (int i = 0; i <= m; i++) {
            f[i] = new double[len];
            f[i][0] = 1; // j = 0: only U = 0
        }
        for (int j = 1; j <= n; j++) {
            for (int i = 1; i <= m; i++) {
                for (int k = len - 1; k >= j; k--) f[i][k] += f[i - 1][k - j];
            }
        }
        double total = 0, below = 0;
        for (int k = 0; k < len; k++) {
            total += f[m][k];
            if (k <= m * n - u) below += f[m][k];
        }
        Golden.assertRel(below / total, viaExact, 1e-12, "sf");
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> MannWhitney.test(new double[0], new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> MannWhitney.test(new double[] {Double.NaN}, new double[] {1}));
    }
}
