package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.io.Json;

class ExperimentCommandTest {
    @TempDir
    Path dir;

    private static final String JAVA = Main.LAUNCHER + " ";
    /** Tiny training settings on the built-in task: a run takes about a second. */
    private static final String[] TINY = {"--hidden", "8", "--train-size", "60", "--test-size", "40", "--max-delay", "5"};

    private static String[] with(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static AnalyzeCommandTest.Result run(String... argv) {
        return AnalyzeCommandTest.run(argv);
    }

    /**
     * A list of hidden layers runs the whole protocol: RigL trains every layer of the sparse runs,
     * the analysis composes each field along paths ((L+1)·Td + 1 delays), and the summary states
     * the depth.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aDeeperBaseNetworkRunsTheProtocol() throws Exception {
        Path out = dir.resolve("exp2");
        AnalyzeCommandTest.Result r = run("experiment", "--out", out.toString(), "--repeats", "1", "--epochs", "1", "--threads", "1",
                "--permutations", "10", "--no-heatmaps", "--hidden", "8,6", "--train-size", "60", "--test-size", "40", "--max-delay", "5");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.startsWith("network: hidden 8,6 (2 hidden layers)\n"), r.out);
        Map<String, Object> e = (Map<String, Object>) Json.parse(Files.readString(out.resolve("experiment.json")));
        Map<String, Object> settings = (Map<String, Object>) e.get("settings");
        assertEquals(2, ((Number) settings.get("depth")).intValue());
        assertEquals(List.of(8.0, 6.0), ((List<Object>) settings.get("hidden")).stream().map(x -> ((Number) x).doubleValue()).toList());
        assertEquals("rigl", settings.get("structure"));
        assertTrue(Files.readString(out.resolve("experiment.md")).contains("hidden 8,6 (2 hidden layers)"));
        for (String v : List.of("dense", "sparse")) {
            assertTrue(((Map<String, Object>) e.get(v)).get("U") instanceof Number, v);
            float[] f = org.myelin.io.Npy.read(out.resolve(v).resolve("fields").resolve(v + "_r1_trained_class0.npy")).f;
            assertEquals(40 * (3 * 5 + 1), f.length, v + ": a field of 2 hidden layers is 40 channels × (3·Td + 1) delays");
        }
        // the sparse model holds the budget K = floor(0.125 · pre · post) in every synapse layer
        org.myelin.model.Model m = org.myelin.model.Model.load(out.resolve("models").resolve("sparse_r1_trained.myelin"));
        int[] widths = {40, 8, 6, 20};
        for (int s = 0; s < 3; s++) assertEquals((int) Math.floor(0.125 * widths[s] * widths[s + 1]), m.layers.get(s).size(), "layer " + (s + 1));
    }

    @Test
    void printCommandsListsEveryStepWithDistinctSeeds() {
        Path out = dir.resolve("exp");
        AnalyzeCommandTest.Result r = run("experiment", "--out", out.toString(), "--print-commands", "--epochs", "7", "--threads", "2");
        assertEquals(0, r.code, r.err);
        List<String> lines = r.out.lines().toList();
        assertEquals(3 * 2 + 2 + 1, lines.size(), r.out);
        for (String l : lines) assertTrue(l.startsWith(JAVA), l);
        List<String> trains = lines.stream().filter(l -> l.startsWith(JAVA + "train ")).toList();
        List<String> analyses = lines.stream().filter(l -> l.startsWith(JAVA + "analyze ")).toList();
        assertEquals(6, trains.size());
        assertEquals(2, analyses.size());
        assertTrue(lines.get(lines.size() - 1).startsWith(JAVA + "experiment "));
        assertTrue(lines.get(lines.size() - 1).contains("--reuse"));

        Set<String> seeds = new HashSet<>();
        Pattern seed = Pattern.compile("--seed (\\d+)");
        int sparse = 0;
        for (String t : trains) {
            Matcher m = seed.matcher(t);
            assertTrue(m.find(), t);
            seeds.add(m.group(1));
            assertTrue(t.contains("--epochs 7") && t.contains("--threads 2") && t.contains("--save-initial ") && t.contains("--report "), t);
            if (t.contains("sparse_r")) {
                sparse++;
                assertTrue(t.contains("--sparsity 0.875 --structure rigl"), t);
            } else {
                assertFalse(t.contains("--sparsity") || t.contains("--structure"), t);
            }
        }
        assertEquals(6, seeds.size(), "distinct seeds: " + seeds);
        assertEquals(3, sparse);
        assertTrue(analyses.get(0).contains("--out " + out.resolve("dense")), analyses.get(0));
        assertTrue(analyses.get(1).contains("--out " + out.resolve("sparse")), analyses.get(1));
        assertEquals(3, analyses.get(0).split("--trained ").length - 1);
        assertEquals(3, analyses.get(0).split("--untrained ").length - 1);
        assertFalse(Files.exists(out), "printing commands runs nothing");
    }

    @Test
    void printedCommandsAreQuotedForTheShell() {
        AnalyzeCommandTest.Result r = run(with(new String[] {"experiment", "--out", dir.resolve("my exp").toString(), "--print-commands",
                "--repeats", "1", "--variants", "dense"}, TINY));
        assertEquals(0, r.code, r.err);
        List<String> lines = r.out.lines().toList();
        assertEquals(1 + 1 + 1, lines.size(), r.out);
        assertTrue(lines.get(0).contains("'" + dir.resolve("my exp").resolve("models").resolve("dense_r1_trained.myelin") + "'"), lines.get(0));
        for (String l : List.of(lines.get(0), lines.get(2))) {
            for (String flag : List.of("--hidden 8", "--train-size 60", "--test-size 40", "--max-delay 5")) assertTrue(l.contains(" " + flag + " "), flag + ": " + l);
        }
        assertFalse(lines.get(2).contains("--train-args"), lines.get(2));
        assertEquals("'it'\\''s'", Text.quote("it's"));
        assertEquals("plain/path-1.myelin", Text.quote("plain/path-1.myelin"));
    }

    @Test
    void badOptionsAreOneLineErrors() {
        String out = dir.resolve("exp").toString();
        assertEquals(2, run("experiment", "--print-commands").code);
        assertEquals(2, run("experiment", "--out", out, "--repeats", "0").code);
        assertEquals(2, run("experiment", "--out", out, "--variants", "dense,huge").code);
        assertEquals(2, run("experiment", "--out", out, "--sparsity", "1").code);
        AnalyzeCommandTest.Result r = run("experiment", "--out", out, "--report", "r.json");
        assertEquals(2, r.code);
        assertTrue(r.err.contains("unknown option --report"), r.err);
        r = run("experiment", "--out", out, "--train-args=--hidden 8");
        assertEquals(2, r.code);
        assertTrue(r.err.contains("--train-args") && r.err.contains("directly"), r.err);
        r = run("experiment", "--out", out, "--hidden", "0");
        assertEquals(2, r.code);
        assertTrue(r.err.startsWith("myelin experiment: --hidden"), r.err);
        assertFalse(Files.exists(Path.of(out)));
    }

    /**
     * End to end on the built-in task with tiny settings. The sparse half uses {@code --structure
     * fixed} (a random mask) because DEEP R / RigL training may not be available in this build.
     */
    @Test
    @SuppressWarnings("unchecked")
    void runsTheProtocolEndToEnd() throws Exception {
        Path out = dir.resolve("exp");
        String[] argv = with(new String[] {"experiment", "--out", out.toString(), "--repeats", "1", "--epochs", "1", "--structure", "fixed",
                "--threads", "1", "--permutations", "10", "--no-heatmaps"}, TINY);
        AnalyzeCommandTest.Result r = run(argv);
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("dense") && r.out.contains("sparse") && r.out.contains("Mann-Whitney U = "), r.out);
        assertFalse(r.out.contains("model: ") || r.out.contains("report: "), "train and analyze output goes to stderr: " + r.out);
        assertTrue(r.err.contains("model: ") && r.err.contains("report: "), r.err);

        Map<String, Object> e = (Map<String, Object>) Json.parse(Files.readString(out.resolve("experiment.json")));
        List<Object> runs = (List<Object>) e.get("runs");
        assertEquals(2, runs.size());
        for (Object o : runs) {
            Map<String, Object> m = (Map<String, Object>) o;
            assertTrue(m.get("test_accuracy") instanceof Number, m.toString());
            assertTrue(Files.isRegularFile(out.resolve((String) m.get("trained"))));
            assertTrue(Files.isRegularFile(out.resolve((String) m.get("untrained"))));
            assertTrue(Files.isRegularFile(out.resolve((String) m.get("report"))));
        }
        assertEquals(0.875, ((Number) ((Map<String, Object>) runs.get(1)).get("sparsity")).doubleValue(), 1e-12);
        for (String v : List.of("dense", "sparse")) {
            Map<String, Object> a = (Map<String, Object>) e.get(v);
            assertTrue(a.get("U") instanceof Number && a.get("p") instanceof Number, a.toString());
            Map<String, Object> rep = (Map<String, Object>) Json.parse(Files.readString(out.resolve(v).resolve("report.json")));
            assertEquals(20, ((List<Object>) ((Map<String, Object>) rep.get("trained")).get("moran_max")).size());
            assertTrue(Files.isRegularFile(out.resolve(v).resolve("fields").resolve(v + "_r1_untrained_class19.npy")));
        }
        assertTrue(Files.readString(out.resolve("experiment.md")).contains("| dense |"));

        // --reuse: nothing is trained or analysed again, the summary is rewritten
        long stamp = Files.getLastModifiedTime(out.resolve("models").resolve("dense_r1_trained.myelin")).toMillis();
        String[] again = java.util.Arrays.copyOf(argv, argv.length + 1);
        again[argv.length] = "--reuse";
        r = run(again);
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("reusing"), r.err);
        assertEquals(stamp, Files.getLastModifiedTime(out.resolve("models").resolve("dense_r1_trained.myelin")).toMillis());
        assertFalse(r.err.contains("training ") || r.err.contains("analysing "), r.err);

        // a missing training report: that run is repeated and its (now stale) analysis redone, the rest reused
        Files.delete(out.resolve("models").resolve("sparse_r1_train.json"));
        r = run(again);
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("training sparse r1") && r.err.contains("analysing sparse"), r.err);
        assertTrue(r.err.contains("dense r1: reusing") && r.err.contains("dense analysis: reusing"), r.err);
    }
}
