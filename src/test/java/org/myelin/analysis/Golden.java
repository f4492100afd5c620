package org.myelin.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.myelin.io.Json;

/** Reads the committed reference files of golden/analysis (made by golden/analysis_ref.py). */
final class Golden {
    private Golden() {}

    static final Path DIR = Path.of("golden", "analysis");

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String name) throws IOException {
        Path f = DIR.resolve(name);
        assertTrue(Files.isRegularFile(f), "missing golden file " + f.toAbsolutePath() + " (run /usr/bin/python3 golden/analysis_ref.py)");
        return (Map<String, Object>) Json.parse(Files.readString(f));
    }

    static double num(Object o) {
        if (o instanceof String) {
            switch ((String) o) {
                case "inf": return Double.POSITIVE_INFINITY;
                case "-inf": return Double.NEGATIVE_INFINITY;
                default: throw new IllegalArgumentException("not a number: " + o);
            }
        }
        return ((Number) o).doubleValue();
    }

    static double[] doubles(Object list) {
        List<?> l = (List<?>) list;
        double[] d = new double[l.size()];
        for (int k = 0; k < d.length; k++) d[k] = num(l.get(k));
        return d;
    }

    static float[] floats(Object list) {
        double[] d = doubles(list);
        float[] f = new float[d.length];
        for (int k = 0; k < d.length; k++) f[k] = (float) d[k];
        return f;
    }

    static int[] ints(Object list) {
        List<?> l = (List<?>) list;
        int[] v = new int[l.size()];
        for (int k = 0; k < v.length; k++) v[k] = ((Number) l.get(k)).intValue();
        return v;
    }

    static void assertRel(double expected, double actual, double rel, String what) {
        double tol = rel * Math.abs(expected);
        assertTrue(Math.abs(expected - actual) <= tol || expected == actual,
                what + ": expected " + expected + " got " + actual + " (rel err " + Math.abs(expected - actual) / Math.abs(expected) + ")");
    }
}
