package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.io.Container;
import org.myelin.io.Json;
import org.myelin.kernel.KernelProvider;
import org.myelin.model.Model;

/**
 * docs/FORMAT.md against the bytes: golden/read_myelin.py (NumPy only) reads a model and a
 * checkpoint written by Myelin and must find every array Java finds, with the same length, first
 * values and sum, and the same dense weight matrices; a flipped byte is refused. Skips with a
 * message when python3 with NumPy is not installed.
 */
class MyelinFormatTest {
    @TempDir
    Path dir;

    static final Path READER = Path.of("golden", "read_myelin.py");

    @BeforeAll
    static void chooseKernelsFirst() {
        KernelProvider.get();
    }

    /** Runs a command; returns {exit code, stdout, stderr}, or null when it cannot be started. */
    private static String[] exec(String... cmd) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (java.io.IOException e) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        return new String[] {Integer.toString(p.exitValue()), out, err};
    }

    private static void assumePythonWithNumpy() throws Exception {
        String[] r = exec("python3", "-c", "import numpy");
        assumeTrue(r != null && r[0].equals("0"), "python3 with numpy not found: golden/read_myelin.py not run"
                + (r == null ? " (no python3)" : " (" + r[2].strip() + ")"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(Path file) throws Exception {
        String[] r = exec("python3", READER.toString(), file.toString());
        assertEquals("0", r[0], r[2]);
        return (Map<String, Object>) Json.parse(r[1]);
    }

    /** Every array of the container, as Java reads it, against the reader's summary. */
    @SuppressWarnings("unchecked")
    private static void compare(Container c, Map<String, Object> s, String kind) {
        assertEquals(kind, s.get("kind"));
        assertEquals(Container.VERSION, ((Number) s.get("version")).intValue());
        assertEquals(new java.util.TreeSet<>(c.header.keySet()), new java.util.TreeSet<>((List<String>) s.get("header_keys")));
        Map<String, Object> arrays = (Map<String, Object>) s.get("arrays");
        assertEquals(c.arrays.keySet(), arrays.keySet());
        for (Map.Entry<String, Object> e : c.arrays.entrySet()) {
            Map<String, Object> a = (Map<String, Object>) arrays.get(e.getKey());
            double[] v = values(e.getValue());
            String dtype = e.getValue() instanceof float[] ? "<f4" : e.getValue() instanceof int[] ? "<i4" : "<i8";
            assertEquals(dtype, a.get("dtype"), e.getKey());
            assertEquals(v.length, ((Number) a.get("n")).intValue(), e.getKey());
            List<Object> first = (List<Object>) a.get("first");
            for (int k = 0; k < first.size(); k++) assertEquals(v[k], ((Number) first.get(k)).doubleValue(), 0, e.getKey() + "[" + k + "]");
            double sum = 0, abs = 0;
            for (double x : v) { sum += x; abs += Math.abs(x); }
            // float64 sums of the same float32 values; NumPy adds pairwise, Java in order
            assertEquals(sum, ((Number) a.get("sum")).doubleValue(), 1e-12 * abs + 1e-300, e.getKey());
        }
    }

    private static double[] values(Object o) {
        if (o instanceof float[]) {
            float[] f = (float[]) o;
            double[] d = new double[f.length];
            for (int k = 0; k < f.length; k++) d[k] = f[k];
            return d;
        }
        if (o instanceof int[]) return java.util.Arrays.stream((int[]) o).asDoubleStream().toArray();
        return java.util.Arrays.stream((long[]) o).asDoubleStream().toArray();
    }

    @Test
    void theNumpyReaderReadsModelsAndCheckpointsAsJavaDoes() throws Exception {
        assumePythonWithNumpy();
        Path data = TrainEvalCommandTest.featuresFolder(dir.resolve("data"), 2);
        Path model = dir.resolve("m.myelin");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main(TrainEvalCommandTest.args(new String[] {"train", "--data", data.toString()},
                TrainEvalCommandTest.args(TrainEvalCommandTest.COMMON, "--sparsity", "0.5", "--structure", "rigl", "--out", model.toString())));
        assertEquals(0, r.code, r.err);
        Path ckpt = Path.of(model + ".ckpt");

        Map<String, Object> ms = summary(model);
        compare(Container.read(model, 'M'), ms, "M");
        Model m = Model.load(model);
        float[][] dense = {m.layers.get(0).denseWeights(), m.readout().denseWeights()};
        String[] names = {"l1", "l2"};
        for (int k = 0; k < 2; k++) {
            double check = 0;
            for (int i = 0; i < dense[k].length; i++) check += dense[k][i] * (double) (i + 1);
            assertEquals(check, ((Number) ms.get(names[k] + "_dense_checksum")).doubleValue(), 1e-9 * Math.abs(check) + 1e-12, names[k]);
        }
        compare(Container.read(ckpt, 'C'), summary(ckpt), "C");

        // one flipped byte in the body: the reader refuses the file, naming it
        byte[] b = Files.readAllBytes(model);
        b[b.length / 2] ^= 0x40;
        Path bad = Files.write(dir.resolve("flipped.myelin"), b);
        String[] e = exec("python3", READER.toString(), bad.toString());
        assertEquals("1", e[0]);
        assertTrue(e[2].contains("flipped.myelin") && e[2].contains("checksum mismatch"), e[2]);
    }
}
