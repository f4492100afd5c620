package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.io.Json;
import org.myelin.io.Npy;
import org.myelin.network.CsrSynapses;
import org.myelin.network.NetConfig;
import org.myelin.model.Model;

class AnalyzeCommandTest {
    @TempDir
    Path dir;

    static final int N_IN = 6, N_H = 5, N_OUT = 3, TD = 3;

    /** The exit code and both output streams of one program run. */
    static final class Result {
        final int code;
        final String out, err;

        Result(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }
    }

    static Result run(String... argv) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run(argv);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * A tiny model with integer delays: structured ones have signs in channel blocks and delays
     * rising with the channel; the others are random.
     */
    static Model model(long seed, boolean structured, int inputs) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w1 = new float[N_H * inputs], d1 = new float[N_H * inputs];
        float[] w2 = new float[N_OUT * N_H], d2 = new float[N_OUT * N_H];
        for (int h = 0; h < N_H; h++) {
            for (int j = 0; j < inputs; j++) {
                int q = h * inputs + j;
                if (structured) {
                    w1[q] = (j < inputs / 2 ? 1f : -1f) * (0.5f + (float) r.nextDouble());
                    d1[q] = j * TD / (inputs - 1);
                } else {
                    w1[q] = (float) r.nextGaussian();
                    d1[q] = r.nextInt(TD + 1);
                }
            }
        }
        for (int q = 0; q < w2.length; q++) {
            w2[q] = structured ? 0.5f + (float) r.nextDouble() : (float) r.nextGaussian();
            d2[q] = r.nextInt(TD + 1);
        }
        NetConfig cfg = NetConfig.builder().inputs(inputs).hidden(N_H).outputs(N_OUT).steps(10).maxDelay(TD)
                .batchNorm(false).build();
        return new Model(cfg, CsrSynapses.fromDense(inputs, N_H, TD, w1, d1), CsrSynapses.fromDense(N_H, N_OUT, TD, w2, d2),
                null, null, null, null, null);
    }

    private Path save(String name, long seed, boolean structured) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        model(seed, structured, N_IN).save(p);
        return p;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Path p) throws Exception {
        return (Map<String, Object>) Json.parse(Files.readString(p));
    }

    /** A model of hidden widths {@code widths} with random weights (30 % absent) and integer delays. */
    static Model deepModel(long seed, int[] widths) {
        NetConfig cfg = NetConfig.builder().inputs(N_IN).hidden(widths).outputs(N_OUT).steps(10).maxDelay(TD).batchNorm(false).build();
        SplittableRandom r = new SplittableRandom(seed);
        List<CsrSynapses> layers = new ArrayList<>();
        for (int s = 0; s <= widths.length; s++) {
            int pre = cfg.width(s), post = cfg.width(s + 1);
            float[] w = new float[post * pre], d = new float[w.length];
            for (int q = 0; q < w.length; q++) {
                w[q] = r.nextDouble() < 0.3 ? 0f : (float) r.nextGaussian();
                d[q] = r.nextInt(TD + 1);
            }
            layers.add(CsrSynapses.fromDense(pre, post, TD, w, d));
        }
        return new Model(cfg, layers, List.of(), null, null, null);
    }

    /**
     * A model of two hidden layers: each field is the composed field of docs/DEEPER-NETWORKS.md
     * (exactly {@code ReceptiveField.composed} of the model's layers: the same code path, compared
     * bit for bit), N_in × (3·Td + 1), with its heat map; the summary states the depth; a model of
     * another depth beside it is refused in one line naming both files.
     */
    @Test
    void analysesAModelOfTwoHiddenLayersByItsComposedField() throws Exception {
        int[] widths = {5, 4};
        Path t = dir.resolve("deep_t.myelin"), u = dir.resolve("deep_u.myelin");
        deepModel(1, widths).save(t);
        deepModel(2, widths).save(u);
        Path out = dir.resolve("deep");
        Result r = run("analyze", "--trained", t.toString(), "--untrained", u.toString(), "--out", out.toString(),
                "--permutations", "20", "--threads", "1");
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("6→5→4→3, 2 hidden layers, Td = 3"), r.err);
        assertTrue(r.err.contains("(6 × 10)"), r.err);
        Model m = Model.load(t);
        float[][] w = new float[3][], d = new float[3][];
        for (int s = 0; s < 3; s++) {
            w[s] = m.layers.get(s).denseWeights();
            d[s] = m.layers.get(s).denseDelays();
        }
        int[] all = {N_IN, 5, 4, N_OUT};
        for (int k = 0; k < N_OUT; k++) {
            Npy.Array a = Npy.read(out.resolve("fields").resolve("deep_t_class" + k + ".npy"));
            assertEquals(List.of(N_IN, 3 * TD + 1), List.of(a.shape[0], a.shape[1]), "class " + k);
            float[] want = org.myelin.analysis.ReceptiveField.composed(TD, all, w, d, k);
            assertTrue(java.util.Arrays.equals(want, a.f), "class " + k + ": the composed field");
            assertTrue(Files.size(out.resolve("fields").resolve("deep_t_class" + k + ".png")) > 0);
            // at the input of hidden layer 2 (the last): the paper's one-layer field of the last two synapse layers
            Npy.Array at2 = Npy.read(out.resolve("fields").resolve("deep_t_class" + k + "_layer2.npy"));
            assertEquals(List.of(5, 2 * TD + 1), List.of(at2.shape[0], at2.shape[1]), "class " + k + " at hidden layer 2");
            float[] paper = org.myelin.analysis.ReceptiveField.compute(5, 4, N_OUT, TD, w[1], d[1], w[2], d[2], k);
            float max = 0;
            for (float v : paper) max = Math.max(max, Math.abs(v));
            for (int q = 0; q < paper.length; q++) assertEquals(paper[q], at2.f[q], 1e-6f * max, "class " + k + " at hidden layer 2, cell " + q);
            assertTrue(Files.size(out.resolve("fields").resolve("deep_t_class" + k + "_layer2.png")) > 0);
        }
        assertTrue(Files.isRegularFile(out.resolve("summary.png")) && Files.isRegularFile(out.resolve("moran_distribution.png")));
        // a one-layer model beside the deep ones: refused in one line naming the files
        Path one = save("one.myelin", 3, false);
        Result bad = run("analyze", "--trained", t.toString(), "--untrained", one.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, bad.code, bad.err);
        assertTrue(bad.err.contains("models differ in shape: " + one + " is 6→5→3, " + t + " is 6→5→4→3"), bad.err);
        assertEquals(1, bad.err.strip().lines().count(), bad.err);
    }

    @Test
    @SuppressWarnings("unchecked")
    void writesTheReportAndTheFields() throws Exception {
        Path t1 = save("t1.myelin", 1, true), t2 = save("t2.myelin", 2, true);
        Path u1 = save("u1.myelin", 11, false), u2 = save("u2.myelin", 12, false);
        Path out = dir.resolve("an");
        // repeated options and a space-separated list, both accepted
        Result r = run("analyze", "--trained", t1.toString(), "--trained", t2.toString(),
                "--untrained", u1 + " " + u2, "--out", out.toString(),
                "--permutations", "20", "--threads", "1", "--seed", "3", "--no-heatmaps");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("Mann-Whitney U = "), r.out);
        assertTrue(r.out.contains("mean Moran's I"), r.out);

        Map<String, Object> rep = json(out.resolve("report.json"));
        for (String g : List.of("trained", "untrained")) {
            Map<String, Object> grp = (Map<String, Object>) rep.get(g);
            assertEquals(2 * N_OUT, ((List<Object>) grp.get("moran_identity")).size(), g);
            assertEquals(2 * N_OUT, ((List<Object>) grp.get("moran_max")).size(), g);
        }
        Map<String, Object> mw = (Map<String, Object>) rep.get("mann_whitney");
        assertNotNull(mw);
        assertTrue(mw.get("U") instanceof Number);
        double p = ((Number) mw.get("p")).doubleValue();
        assertTrue(p >= 0 && p <= 1, "p = " + p);

        for (String name : List.of("t1", "t2", "u1", "u2")) {
            for (int k = 0; k < N_OUT; k++) {
                Path f = out.resolve("fields").resolve(name + "_class" + k + ".npy");
                assertTrue(Files.isRegularFile(f), f.toString());
                Npy.Array a = Npy.read(f);
                assertEquals("<f4", a.dtype);
                assertEquals(List.of(N_IN, 2 * TD + 1), List.of(a.shape[0], a.shape[1]));
            }
        }
        assertFalse(Files.exists(out.resolve("fields").resolve("t1_class0.png")), "--no-heatmaps draws no heat maps");
        assertTrue(Files.isRegularFile(out.resolve("report.md")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void sameFileNamesAreMadeUniqueAndPatternsExpand() throws Exception {
        Path a = save("r1/model.myelin", 1, true), b = save("r2/model.myelin", 2, true);
        save("init/u1.myelin", 3, false);
        save("init/u2.myelin", 4, false);
        Path out = dir.resolve("an");
        Result r = run("analyze", "--trained", a.toString(), "--trained", b.toString(),
                "--untrained", dir.resolve("init").resolve("u*.myelin").toString(), "--out", out.toString(),
                "--permutations", "5", "--threads", "1", "--no-heatmaps");
        assertEquals(0, r.code, r.err);
        Map<String, Object> rep = json(out.resolve("report.json"));
        assertEquals(List.of("model", "model-2"), ((Map<String, Object>) rep.get("trained")).get("networks"));
        assertEquals(List.of("u1", "u2"), ((Map<String, Object>) rep.get("untrained")).get("networks"));
        assertTrue(Files.isRegularFile(out.resolve("fields").resolve("model-2_class2.npy")));
    }

    /** --labels names the two groups on stdout, in report.md and in report.json; bad lists are refused by flag. */
    @Test
    @SuppressWarnings("unchecked")
    void labelsNameTheGroups() throws Exception {
        Path a = save("a.myelin", 1, true), b = save("b.myelin", 2, true);
        Path out = dir.resolve("lab");
        Result r = run("analyze", "--trained", a.toString(), "--untrained", b.toString(), "--out", out.toString(),
                "--permutations", "5", "--threads", "1", "--no-heatmaps", "--labels", "learnt,fixed");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("learnt vs fixed"), r.out);
        assertTrue(r.out.startsWith("learnt "), r.out);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("learnt vs fixed Moran's I") && md.contains("| U (learnt) |") && md.contains("## Fixed fields"), md);
        assertTrue(!md.contains("untrained"), md);
        Map<String, Object> rep = json(out.resolve("report.json"));
        assertEquals(List.of("learnt", "fixed"), ((Map<String, Object>) rep.get("settings")).get("labels"));
        for (String bad : new String[] {"one", "a,a", "a,", "a,b,c"}) {
            assertOneLineError(run("analyze", "--trained", a.toString(), "--untrained", b.toString(), "--out", out.toString(),
                    "--labels", bad), "--labels");
        }
    }

    @Test
    void uniqueNamesAreSanitised() {
        Set<String> used = new HashSet<>();
        assertEquals("my_model", AnalyzeCommand.uniqueName(Path.of("a/my model.myelin"), used));
        assertEquals("my_model-2", AnalyzeCommand.uniqueName(Path.of("b/my model.myelin"), used));
        assertEquals("x.v2", AnalyzeCommand.uniqueName(Path.of("x.v2.myelin"), used));
        assertEquals("noext", AnalyzeCommand.uniqueName(Path.of("noext"), used));
    }

    private static void assertOneLineError(Result r, String... fragments) {
        assertEquals(2, r.code, r.err);
        String[] lines = r.err.lines().filter(l -> !l.startsWith("WARNING")).toArray(String[]::new);
        assertEquals(1, lines.length, "one line expected: " + r.err);
        assertTrue(lines[0].startsWith("myelin analyze: "), lines[0]);
        for (String f : fragments) assertTrue(lines[0].contains(f), lines[0] + " should mention " + f);
    }

    @Test
    void corruptAndMissingModelsAreOneLineErrors() throws Exception {
        Path t = save("t.myelin", 1, true), u = save("u.myelin", 2, false);
        Path garbage = dir.resolve("garbage.myelin");
        byte[] g = new byte[200];
        new SplittableRandom(5).nextBytes(g);
        Files.write(garbage, g);
        Path flipped = dir.resolve("flipped.myelin");
        byte[] bytes = Files.readAllBytes(u);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(flipped, bytes);
        Path truncated = dir.resolve("truncated.myelin");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 40));
        String out = dir.resolve("an").toString();

        assertOneLineError(run("analyze", "--trained", garbage.toString(), "--untrained", u.toString(), "--out", out), "garbage.myelin");
        assertOneLineError(run("analyze", "--trained", t.toString(), "--untrained", flipped.toString(), "--out", out), "flipped.myelin");
        assertOneLineError(run("analyze", "--trained", t.toString(), "--untrained", truncated.toString(), "--out", out), "truncated.myelin");
        assertOneLineError(run("analyze", "--trained", t.toString(), "--untrained", dir.resolve("nope.myelin").toString(), "--out", out),
                "nope.myelin", "no such");
        assertFalse(Files.exists(dir.resolve("an").resolve("report.json")));
    }

    @Test
    void badCommandLinesAreOneLineErrors() throws Exception {
        Path t = save("t.myelin", 1, true), u = save("u.myelin", 2, false);
        Path wide = dir.resolve("wide.myelin");
        model(3, false, N_IN + 2).save(wide);
        String out = dir.resolve("an").toString();
        assertOneLineError(run("analyze", "--untrained", u.toString(), "--out", out), "--trained");
        assertOneLineError(run("analyze", "--trained", t.toString(), "--out", out), "--untrained");
        assertOneLineError(run("analyze", "--trained", t.toString(), "--untrained", u.toString()), "--out");
        assertOneLineError(run("analyze", "--trained", t.toString(), "--untrained", wide.toString(), "--out", out),
                "differ in shape", "wide.myelin", "inputs");
        // the words after --trained are all trained models
        assertOneLineError(run("analyze", "--trained", t.toString(), wide.toString(), "--untrained", u.toString(), "--out", out),
                "differ in shape", "wide.myelin");
        assertOneLineError(run("analyze", "--out", out, "stray", "--trained", t.toString(), "--untrained", u.toString()),
                "unexpected word 'stray'");
        assertOneLineError(run("analyze", "--trained", t.toString(), "--untrained", t.toString(), "--out", out), "more than once");
        assertOneLineError(run("analyze", "--trained", t.toString(), "--untrained", u.toString(), "--out", out, "--permutations", "0"),
                "--permutations");
        assertOneLineError(run("analyze", "--trained", t.toString(), "--untrained", u.toString(), "--out", out, "--bogus"), "--bogus");
    }

    /** {@code --trained A B --untrained C D}, as the help shows it, is the same run as the repeated form. */
    @Test
    void severalFilesAfterOneOption() throws Exception {
        Path t1 = save("t1.myelin", 1, true), t2 = save("t2.myelin", 2, true);
        Path u1 = save("u1.myelin", 11, false), u2 = save("u2.myelin", 12, false);
        Path a = dir.resolve("listed"), b = dir.resolve("repeated");
        Result listed = run("analyze", "--trained", t1.toString(), t2.toString(), "--untrained", u1.toString(), u2.toString(),
                "--out", a.toString(), "--permutations", "10", "--threads", "2", "--no-heatmaps");
        assertEquals(0, listed.code, listed.err);
        Result repeated = run("analyze", "--trained", t1.toString(), "--trained", t2.toString(), "--untrained", u1.toString(),
                "--untrained", u2.toString(), "--out", b.toString(), "--permutations", "10", "--threads", "1", "--no-heatmaps");
        assertEquals(0, repeated.code, repeated.err);
        assertEquals(repeated.out.replace(b.toString(), "OUT"), listed.out.replace(a.toString(), "OUT"));
        assertEquals(List.of("t1", "t2"), ((Map<?, ?>) json(a.resolve("report.json")).get("trained")).get("networks"));
        assertEquals(List.of("u1", "u2"), ((Map<?, ?>) json(a.resolve("report.json")).get("untrained")).get("networks"));
    }

    @Test
    void helpNamesEveryOption() {
        Result r = run("analyze", "--help");
        assertEquals(0, r.code);
        for (String o : new String[] {"--trained", "--untrained", "--out", "--permutations", "--seed", "--threads", "--no-heatmaps",
                "--help", "--trained A.myelin [B.myelin ...]", "--trained a b c", "report.json", "_class<k>.npy"}) {
            assertTrue(r.out.contains(o), o);
        }
        List<String> names = new ArrayList<>();
        for (Command c : Main.commands()) names.add(c.name());
        assertTrue(names.contains("analyze") && names.contains("experiment"), names.toString());
    }
}
