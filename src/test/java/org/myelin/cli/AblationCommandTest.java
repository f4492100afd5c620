package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.analysis.Plots;
import org.myelin.io.Json;

/** The ablation command: planned train command lines, a tiny end-to-end ablation, resuming, errors. */
class AblationCommandTest {
    /** Exit code, stdout and stderr of one in-process invocation. */
    record Result(int code, String out, String err) {}

    static Result main(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            code = Main.run(argv);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String[] with(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** The value after {@code option} in a command line, or null; fails if the option is repeated. */
    static String value(List<String> words, String option) {
        int k = words.indexOf(option);
        if (k < 0) return null;
        assertEquals(k, words.lastIndexOf(option), option + " given twice in " + words);
        return words.get(k + 1);
    }

    /**
     * A list of hidden layers is read as train reads it and runs: the structure arms learn every
     * synapse layer with RigL, each run's report holds both hidden layers, and the table states the
     * depth; a malformed list is refused in one line.
     */
    @Test
    void aDeeperBaseNetworkRunsEveryArm(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("abl");
        Result r = main("ablation", "--out", out.toString(), "--sparsities", "0.5", "--repeats", "1", "--hidden", "8,6",
                "--epochs", "1", "--train-size", "60", "--test-size", "40", "--batch", "20", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("network: hidden 8,6 (2 hidden layers)"), r.out());
        List<String> csv = Files.readAllLines(out.resolve("ablation.csv"));
        assertEquals(1 + 4, csv.size(), String.join("\n", csv));
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",", -1);
            @SuppressWarnings("unchecked")
            Map<String, Object> rep = (Map<String, Object>) Json.parse(Files.readString(out.resolve(f[8])));
            Object hidden = ((Map<?, ?>) ((Map<?, ?>) rep.get("config")).get("net")).get("hidden");
            assertEquals(List.of(8, 6), ((List<?>) hidden).stream().map(x -> ((Number) x).intValue()).toList(), row + ": the run's network");
            List<?> active = (List<?>) rep.get("active_synapses");
            assertEquals(3, active.size(), row + ": synapses of every layer");
            if (f[0].equals("both") || f[0].equals("structure")) {
                int[] widths = {40, 8, 6, 20};
                for (int s = 0; s < 3; s++) {
                    assertEquals(widths[s] * widths[s + 1] / 2, ((Number) active.get(s)).intValue(), row + ": layer " + (s + 1) + " keeps its budget");
                }
            }
        }
        Result bad = main("ablation", "--out", dir.resolve("abl2").toString(), "--hidden", "8,", "--print-commands");
        assertTrue(bad.code() == 2 && bad.err().contains("--hidden: a width is missing"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }

    @Test
    void printCommandsPlansFourModelsPerSparsityAndRepeatWithPerRepeatSeeds(@TempDir Path dir) {
        Path out = dir.resolve("abl");
        Result r = main("ablation", "--out", out.toString(), "--sparsities", "0.875,0.5,0.75", "--repeats", "2", "--seed", "7",
                "--hidden", "16", "--epochs", "3", "--batch", "16", "--no-dale", "--train-size", "100", "--print-commands");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(4 * 3 * 2, lines.length, r.out());
        Set<String> combos = new HashSet<>();
        Set<String> runDirs = new HashSet<>();
        Map<String, Set<String>> seedsPerRepeat = new HashMap<>();
        for (String line : lines) {
            assertTrue(line.startsWith(Main.LAUNCHER + " train "), line);
            List<String> w = List.of(line.split(" "));
            String structure = value(w, "--structure") == null ? "fixed" : value(w, "--structure"); // printed when not the default
            assertTrue(structure.equals("rigl") || structure.equals("fixed"), line);
            assertFalse(w.contains("--learn-delays"), "the default is not printed: " + line);
            boolean fixed = w.contains("--no-learn-delays"), learn = !fixed;
            String sparsity = value(w, "--sparsity");
            assertTrue(Set.of("0.5", "0.75", "0.875").contains(sparsity), line);
            String seed = value(w, "--seed");
            assertTrue(seed.equals("7") || seed.equals("8"), line);
            assertEquals("3", value(w, "--epochs"));
            assertEquals("16", value(w, "--hidden"));
            assertEquals("16", value(w, "--batch"));
            assertEquals("100", value(w, "--train-size"));
            assertTrue(w.contains("--no-dale"), line);
            assertFalse(w.contains("--threads"), "--threads only when given: " + line);
            String report = value(w, "--report"), model = value(w, "--out");
            assertTrue(report.startsWith(out.toString()) && report.endsWith("/report.json"), line);
            assertEquals(Path.of(report).getParent(), Path.of(model).getParent(), line);
            assertTrue(runDirs.add(Path.of(report).getParent().toString()), "run folders must differ: " + line);
            combos.add(structure + (learn ? "+d" : "") + "@" + sparsity + "#" + seed);
            // the printed line is the train command line of a specification: parsed back, it prints the same
            List<String> args = w.subList(w.indexOf("train") + 1, w.size());
            assertEquals(args, TrainFlags.argv(TrainFlags.parse(new Args("train", args.toArray(new String[0])), Set.of())), line);
            // the repeat is in the folder name (…-rR); one seed per repeat, shared by its four models
            Matcher m = Pattern.compile("-r(\\d+)/report\\.json$").matcher(report);
            assertTrue(m.find(), report);
            seedsPerRepeat.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(seed);
        }
        assertEquals(24, combos.size(), "every model × sparsity × repeat once: " + combos);
        assertEquals(2, seedsPerRepeat.size());
        for (Set<String> s : seedsPerRepeat.values()) assertEquals(1, s.size(), "one seed per repeat: " + seedsPerRepeat);
        assertEquals(Set.of(Set.of("7"), Set.of("8")), new HashSet<>(seedsPerRepeat.values()), "distinct seeds per repeat");
        assertFalse(Files.exists(out.resolve("ablation.csv")), "--print-commands trains and writes nothing");

        // --structure-kind deepr, the default ladder, 1 repeat, --threads given
        Result d = main("ablation", "--out", out.toString(), "--repeats", "1", "--structure-kind", "deepr", "--threads", "2",
                "--print-commands");
        assertEquals(0, d.code(), d.err());
        String[] dl = d.out().strip().split("\n");
        assertEquals(4 * 5, dl.length);
        int deepr = 0;
        for (String line : dl) {
            List<String> w = List.of(line.split(" "));
            assertFalse(w.contains("rigl"), line);
            if ("deepr".equals(value(w, "--structure"))) deepr++;
            assertEquals("2", value(w, "--threads"));
            assertEquals("1", value(w, "--seed"));
            assertEquals(String.valueOf(org.myelin.run.RunSpec.BUILT_IN_EPOCHS), value(w, "--epochs"));
        }
        assertEquals(10, deepr);
        Set<String> ladder = new HashSet<>();
        for (String line : dl) ladder.add(value(List.of(line.split(" ")), "--sparsity"));
        assertEquals(Set.of("0.5", "0.75", "0.875", "0.9375", "0.96875"), ladder);
    }

    @Test
    void tinyAblationWritesCsvsAndPlotAndResumesWithoutRetraining(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("abl");
        String[] cmd = {"ablation", "--out", out.toString(), "--sparsities", "0.5,0.75", "--repeats", "1",
            "--hidden", "8", "--epochs", "1", "--train-size", "60", "--test-size", "40", "--batch", "20", "--threads", "1"};
        Result r = main(cmd);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("run 8 of 8"), r.err());
        assertTrue(r.err().contains("ETA"), r.err());
        assertFalse(r.out().contains("test accuracy 0."), "train's own summary goes to stderr, not stdout: " + r.out());
        assertTrue(r.out().contains("50 %") && r.out().contains("75 %") && r.out().contains("neither"), r.out());

        List<String> csv = Files.readAllLines(out.resolve("ablation.csv"));
        assertEquals("model,structure,delays,sparsity,repeat,seed,test_accuracy,best_test_accuracy,report,wall_time_seconds", csv.get(0));
        assertEquals(1 + 8, csv.size(), String.join("\n", csv));
        Map<String, Double> acc = new HashMap<>();
        List<Path> reports = new ArrayList<>();
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",", -1);
            assertEquals(10, f.length, row);
            assertEquals(f[1].equals("rigl"), f[0].equals("both") || f[0].equals("structure"), row);
            assertEquals(f[2].equals("learnt"), f[0].equals("both") || f[0].equals("delays"), row);
            assertEquals("1", f[4]);
            assertEquals("1", f[5]);
            double test = Double.parseDouble(f[6]), best = Double.parseDouble(f[7]);
            assertTrue(test >= 0 && test <= 1 && best >= test, row);
            Path report = out.resolve(f[8]);
            reports.add(report);
            @SuppressWarnings("unchecked")
            Map<String, Object> rep = (Map<String, Object>) Json.parse(Files.readString(report));
            assertEquals(((Number) rep.get("test_accuracy")).doubleValue(), test, 1e-6, row);
            acc.put(f[0] + "@" + f[3], test);
        }
        assertEquals(8, acc.size());
        List<String> summary = Files.readAllLines(out.resolve("ablation_summary.csv"));
        assertEquals(1 + 8, summary.size(), String.join("\n", summary));
        assertTrue(summary.get(0).startsWith("model,structure,delays,sparsity,n,mean_test_accuracy,std_test_accuracy"));
        for (String row : summary.subList(1, summary.size())) {
            String[] f = row.split(",");
            assertEquals("1", f[4], row);
            assertEquals(acc.get(f[0] + "@" + f[3]), Double.parseDouble(f[5]), 1e-6, row);
            assertEquals(0, Double.parseDouble(f[6]), 0, "std of one repeat: " + row);
        }
        BufferedImage png = ImageIO.read(out.resolve("ablation.png").toFile());
        assertNotNull(png, "ablation.png must decode");
        assertEquals(Plots.LINE_WIDTH, png.getWidth());
        assertEquals(Plots.LINE_HEIGHT, png.getHeight());
        assertTrue(Files.readString(reports.get(0).resolveSibling("train.log")).contains("train "), "each run keeps its log");

        // a second invocation trains nothing: every report stays untouched
        Map<Path, FileTime> times = new HashMap<>();
        for (Path p : reports) times.put(p, Files.getLastModifiedTime(p));
        Result again = main(cmd);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("8 complete (skipped), 0 to train"), again.err());
        assertFalse(again.err().contains("run 1 of"), again.err());
        for (Path p : reports) assertEquals(times.get(p), Files.getLastModifiedTime(p), "retrained " + p);
        assertEquals(csv, Files.readAllLines(out.resolve("ablation.csv")));
        Result none = main(with(cmd, "--print-commands"));
        assertEquals(0, none.code(), none.err());
        assertEquals("", none.out().strip(), "complete runs are not printed");

        // one report lost: --collect leaves a gap, the next run continues that run from its checkpoint
        Path lost = reports.get(5);
        Files.delete(lost);
        Result collect = main(with(cmd, "--collect"));
        assertEquals(0, collect.code(), collect.err());
        assertFalse(Files.exists(lost), "--collect trains nothing");
        assertTrue(collect.out().contains("1 runs missing"), collect.out());
        String gap = Files.readAllLines(out.resolve("ablation.csv")).get(6);
        assertTrue(gap.contains(",,"), "missing accuracy left empty: " + gap);
        Result resumed = main(cmd);
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("7 complete (skipped), 1 to train"), resumed.err());
        assertTrue(resumed.err().contains("from its checkpoint"), resumed.err());
        assertEquals(csv.subList(0, 6), Files.readAllLines(out.resolve("ablation.csv")).subList(0, 6));
        assertEquals(csv.get(6).substring(0, csv.get(6).lastIndexOf(',')),
                Files.readAllLines(out.resolve("ablation.csv")).get(6).substring(0, csv.get(6).lastIndexOf(',')),
                "the continued run reports the same accuracy");
        for (Path p : reports) if (!p.equals(lost)) assertEquals(times.get(p), Files.getLastModifiedTime(p), "retrained " + p);

        // other settings into the same folder: an error, not a silent mix
        Result other = main(with(cmd, "--seed", "5"));
        assertEquals(2, other.code());
        assertTrue(other.err().contains("another configuration") && other.err().strip().split("\n").length == 1, other.err());
    }

    @Test
    void badOptionsAreOneLineErrors(@TempDir Path dir) {
        String out = dir.resolve("x").toString();
        String[][] bad = {
            {"--sparsities", "0.5,1"}, {"--sparsities", "0"}, {"--sparsities", "-0.25"}, {"--sparsities", "0.5,half"},
            {"--sparsities", "0.5,0.5"}, {"--repeats", "0"}, {"--structure-kind", "fixed"}, {"--structure", "rigl"},
            {"--data", dir.resolve("nope").toString()}, {"--epochs", "0"}, {"--collect"}
        };
        for (String[] b : bad) {
            Result r = main(with(new String[] {"ablation", "--out", out}, b));
            assertEquals(2, r.code(), String.join(" ", b) + ": " + r.err());
            String err = r.err().replaceAll("(?m)^WARNING: .*\\n", "").strip();
            assertEquals(1, err.split("\n").length, String.join(" ", b) + ": " + err);
            assertTrue(err.startsWith("myelin ablation: "), err);
        }
        Result missing = main("ablation", "--repeats", "1");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--out is required"), missing.err());
    }

    @Test
    void helpAndCommandList() {
        Result h = main("ablation", "--help");
        assertEquals(0, h.code());
        for (String s : new String[] {"--sparsities", "--repeats", "--structure-kind", "--print-commands", "--collect",
                                      "--data", "--train-size", "--epochs", "complete", "ablation.csv", "ablation.png"}) {
            assertTrue(h.out().contains(s), "help lacks " + s);
        }
        assertTrue(main("--help").out().contains("ablation"));
    }

    @Test
    void labelsAndStatistics() {
        assertEquals("50 %", Text.percent(0.5));
        assertEquals("87.5 %", Text.percent(0.875));
        assertEquals("96.875 %", Text.percent(0.96875));
        assertEquals("30 %", Text.percent(0.3));
        assertEquals("0.9375", Text.plain(0.9375));
        assertEquals("5", Text.plain(5.0));
        assertEquals("0.0000001", Text.plain(1e-7), "no exponent");
        assertEquals(0.7f, Float.parseFloat(Text.plain(0.7f)), 0f);
        double[] ms = AblationCommand.meanStd(List.of(0.5, 0.7, 0.9));
        assertEquals(0.7, ms[0], 1e-12);
        assertEquals(0.2, ms[1], 1e-12);
        assertEquals("a 'b c' 'it'\\''s'", Text.shellJoin(List.of("a", "b c", "it's")));

        // ETA: remaining runs at their model's mean time, the overall mean for models not run yet
        List<AblationCommand.Run> runs = AblationCommand.plan(Path.of("o"), new double[] {0.5, 0.75}, 1, org.myelin.train.StructureKind.RIGL,
                org.myelin.run.RunSpec.defaults(org.myelin.run.DataSpec.builtInDefault()));
        double[] seconds = new double[4];
        int[] count = new int[4];
        seconds[AblationCommand.Model.BOTH.ordinal()] = 10;
        count[AblationCommand.Model.BOTH.ordinal()] = 1;
        runs.get(0).done = true; // already complete: not counted
        // from run 2 (structure @ 0.5): structure, delays, neither at 3 s each, then both at 10 s, and 3 × 3 s
        assertEquals(3 * 3 + 10 + 3 * 3, AblationCommand.eta(runs, runs.get(1), seconds, count, 3), 1e-9);
    }
}
