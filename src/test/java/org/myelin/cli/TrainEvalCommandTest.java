package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.Dataset;
import org.myelin.data.FeaturesFolder;
import org.myelin.io.Json;
import org.myelin.io.Npy;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;
import org.myelin.model.Model;
import org.myelin.train.Evaluation;

/**
 * Command-level tests of {@code train} and {@code eval} through {@link Main#run}: a smoke run on a
 * tiny features folder (report, model files, eval agreeing with the report), resume from a
 * checkpoint, and the one-line errors with exit code 2 for a corrupt model and an unknown option.
 */
class TrainEvalCommandTest {
    @TempDir
    Path dir;

    static final int N = 36, T = 10, C = 6, K = 4;

    /** Result of one Main.run: exit code, stdout, stderr. */
    static final class Run {
        int code;
        String out, err;
    }

    @BeforeAll
    static void chooseKernelsFirst() {
        KernelProvider.get(); // its one-time notice on stderr must not land in a captured run
    }

    static Run main(String... argv) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Run r = new Run();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            r.code = Main.run(argv);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        r.out = out.toString(StandardCharsets.UTF_8);
        r.err = err.toString(StandardCharsets.UTF_8);
        return r;
    }

    /** A features folder: x.npy (N × T × C float32), y.npy, split.npy (every third sample is test). */
    static Path featuresFolder(Path d, long seed) throws Exception {
        Files.createDirectories(d);
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[N * T * C];
        int[] y = new int[N], split = new int[N];
        for (int s = 0; s < N; s++) {
            int k = s % K;
            y[s] = k;
            split[s] = s % 3 == 2 ? 1 : 0;
            for (int q = 0; q < T * C; q++) x[s * T * C + q] = (float) (0.2 * r.nextGaussian());
            x[s * T * C + 1 * C + k] += 2f;
            x[s * T * C + (3 + k) * C + (k + 1) % C] += 2f;
        }
        Npy.write(d.resolve("x.npy"), x, N, T, C);
        Npy.write(d.resolve("y.npy"), y, N);
        Npy.write(d.resolve("split.npy"), split, N);
        return d;
    }

    static final String[] COMMON = {"--epochs", "2", "--hidden", "8", "--max-delay", "3", "--batch", "8", "--threads", "1", "--seed", "5"};

    static String[] args(String[] first, String... more) {
        List<String> l = new ArrayList<>(List.of(first));
        l.addAll(List.of(more));
        return l.toArray(new String[0]);
    }

    static double accuracyIn(String text, String which) {
        Matcher m = Pattern.compile(which + " accuracy ([0-9.]+)").matcher(text);
        assertTrue(m.find(), "no '" + which + " accuracy' in: " + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainWritesReportAndModelsAndEvalAgrees() throws Exception {
        Path data = featuresFolder(dir.resolve("data"), 1);
        Path report = dir.resolve("r.json"), model = dir.resolve("m.myelin"), initial = dir.resolve("i.myelin");
        Run r = main(args(new String[] {"train", "--data", data.toString()}, args(COMMON, "--input-scale", "2", "--report", report.toString(),
                "--out", model.toString(), "--save-initial", initial.toString())));
        assertEquals(0, r.code, "train failed: " + r.err);
        assertTrue(r.out.contains("test accuracy"), r.out);

        Map<String, Object> rep = (Map<String, Object>) Json.parse(Files.readString(report));
        for (String key : new String[] {"test_accuracy", "best_test_accuracy", "epochs", "train_samples_per_second", "active_synapses", "config"}) {
            assertTrue(rep.containsKey(key), "report lacks '" + key + "': " + rep.keySet());
        }
        double acc = ((Number) rep.get("test_accuracy")).doubleValue();
        double best = ((Number) rep.get("best_test_accuracy")).doubleValue();
        assertTrue(acc >= 0 && acc <= 1, "test_accuracy " + acc);
        assertTrue(best >= acc && best <= 1, "best_test_accuracy " + best);
        List<Object> epochs = (List<Object>) rep.get("epochs");
        assertEquals(2, epochs.size());
        double maxSeen = 0;
        for (int e = 0; e < 2; e++) {
            Map<String, Object> ep = (Map<String, Object>) epochs.get(e);
            assertEquals(e + 1, ((Number) ep.get("epoch")).intValue());
            for (String key : new String[] {"train_loss", "train_accuracy", "test_loss", "test_accuracy", "lr"}) {
                assertTrue(ep.get(key) instanceof Number, "epoch " + (e + 1) + " lacks '" + key + "': " + ep);
            }
            maxSeen = Math.max(maxSeen, ((Number) ep.get("test_accuracy")).doubleValue());
        }
        assertEquals(acc, ((Number) ((Map<String, Object>) epochs.get(1)).get("test_accuracy")).doubleValue(), 0.0, "final = last epoch's");
        assertEquals(maxSeen, best, 0.0, "best = max over epochs");
        assertTrue(((Number) rep.get("train_samples_per_second")).doubleValue() > 0);
        List<Object> active = (List<Object>) rep.get("active_synapses");
        assertEquals(2, active.size());
        assertEquals(C * 8, ((Number) active.get(0)).intValue(), "dense layer 1 of 6 × 8");
        assertEquals(8 * K, ((Number) active.get(1)).intValue(), "dense layer 2 of 8 × 4");
        Map<String, Object> cfg = (Map<String, Object>) rep.get("config");
        assertEquals(2, ((Number) cfg.get("epochs")).intValue());
        assertEquals(8, ((Number) ((Map<String, Object>) cfg.get("net")).get("hidden")).intValue());

        Model trained = Model.load(model);
        Model untrained = Model.load(initial);
        assertEquals(8, trained.config.hidden(0));
        assertEquals(C, untrained.config.inputs);

        // eval prints the same accuracy (default batch 256, input scale taken from the model)
        Run ev = main("eval", "--model", model.toString(), "--data", data.toString(), "--threads", "1");
        assertEquals(0, ev.code, "eval failed: " + ev.err);
        assertEquals(String.format(Locale.ROOT, "%.4f", acc), String.format(Locale.ROOT, "%.4f", accuracyIn(ev.out, "test")), ev.out);
        // --part all evaluates both parts; the data option --split (fsdd speakers) is not the part
        Run all = main("eval", "--model", model.toString(), "--data", data.toString(), "--threads", "1", "--part", "all");
        assertEquals(0, all.code, "eval --part all failed: " + all.err);
        assertEquals(acc, accuracyIn(all.out, "test"), 5e-5, all.out);
        assertTrue(all.out.contains("train accuracy"), all.out);
        Run mixed = main("eval", "--model", model.toString(), "--data", data.toString(), "--split", "train");
        assertEquals(2, mixed.code, mixed.out + mixed.err);
        assertTrue(mixed.err.contains("--part train"), mixed.err);
        // and exactly, through the API
        Dataset.Split split = FeaturesFolder.read(data, data.toString()).stored;
        try (Parallel par = new Parallel(1)) {
            assertEquals(acc, Evaluation.run(trained, split.test, 256, 2.0, KernelProvider.get(), par)[1], 0.0);
        }
    }

    /** Thrown by a listener to stop a run after its first checkpoint, as a kill would. */
    static final class Stop extends RuntimeException {
        Stop() {
            super("stopped");
        }
    }

    /**
     * Stopped after epoch 1 (through the run API, the same specification the command line
     * builds), then `train --resume CKPT` alone: the model and report land where the original run
     * asked, with the bits of an uninterrupted run; a changed option is refused, naming it.
     */
    /**
     * What a run writes for people fits an 80-column terminal: every line of stderr (data, network,
     * kernel choice, progress with its bar, per-epoch summaries) and of stdout is shorter than 80
     * characters on the built-in task at the paper's sizes, and counts of one are singular.
     */
    @Test
    void aRunsLinesFitEightyColumnsAndCountsOfOneAreSingular() throws Exception {
        Path model = dir.resolve("m.myelin");
        Run r = main("train", "--epochs", "1", "--train-size", "64", "--test-size", "32", "--batch", "32", "--threads", "1",
                "--out", model.toString());
        assertEquals(0, r.code, r.err);
        for (String line : (r.err + r.out).split("\n")) {
            assertTrue(line.length() < 80, line.length() + " columns: " + line);
        }
        assertTrue(r.err.contains("network: 40→256→20 T=80 Td=25 gauss"), r.err);
        assertTrue(r.err.contains("\n         vsum bn\n"), "the network line goes on, indented, on a second line: " + r.err);
        assertTrue(r.err.contains(" kernel, 1 thread, learnt delays"), r.err);
        assertTrue(r.err.contains("data: built-in synthetic (seed 1) — 64 train, 32 test, 20 classes, 80 steps ×\n      40 channels"), r.err);
        assertTrue(r.err.contains("epoch 1/1 [") && r.err.contains("] 2/2 | "), "the bar shows: " + r.err);
        assertTrue(r.out.matches("(?s)test accuracy [0-9.]+ \\(best [0-9.]+\\) after 1 epoch; [0-9.]+ s\n"
                + "[0-9]+ training samples/s; active synapses 10240 \\+ 5120\n.*"), r.out);
    }

    @Test
    void resumeThroughTheCommandEqualsAnUninterruptedRun() throws Exception {
        Path data = featuresFolder(dir.resolve("data"), 2);
        Path full = dir.resolve("full.myelin"), fullReport = dir.resolve("full.json");
        String[] common = args(COMMON, "--epochs", "3"); // the later --epochs wins
        Run a = main(args(new String[] {"train", "--data", data.toString()}, args(common, "--out", full.toString(), "--report", fullReport.toString())));
        assertEquals(0, a.code, a.err);
        assertTrue(Files.isRegularFile(dir.resolve("full.myelin.ckpt")), "checkpoint written beside the model");

        Path part = dir.resolve("part.myelin"), partReport = dir.resolve("part.json"), ck = dir.resolve("part.myelin.ckpt");
        org.myelin.run.RunSpec spec = TrainFlags.parse(new Args("train", args(new String[] {"--data", data.toString()},
                args(common, "--out", part.toString(), "--report", partReport.toString()))), java.util.Set.of());
        assertThrows(Stop.class, () -> org.myelin.run.Runs.train(spec, 1, new org.myelin.run.Runs.Listener() {
            @Override
            public void epochDone(org.myelin.train.EpochRecord e, int epochs) {
                throw new Stop();
            }
        }));
        assertTrue(Files.isRegularFile(ck) && !Files.exists(part) && !Files.exists(partReport), "stopped after the first checkpoint");

        Run changed = main("train", "--resume", ck.toString(), "--max-lr", "0.01");
        assertEquals(2, changed.code, changed.err);
        assertTrue(changed.err.contains("--max-lr 0.01") && changed.err.contains("0.005"), changed.err);
        assertEquals(1, changed.err.strip().split("\\R").length, changed.err);
        Run same = main("train", "--resume", ck.toString(), "--epochs", "3", "--data", data.toString(), "--threads", "2", "--out", part.toString());
        assertEquals(0, same.code, "options equal to the checkpoint's are accepted: " + same.err);
        assertTrue(same.err.contains("resumed from") && same.err.contains("after epoch 1"), same.err);
        Files.delete(part);
        Files.delete(partReport);
        // and again from the first checkpoint, with nothing but --resume
        assertThrows(Stop.class, () -> org.myelin.run.Runs.train(spec, 1, new org.myelin.run.Runs.Listener() {
            @Override
            public void epochDone(org.myelin.train.EpochRecord e, int epochs) {
                throw new Stop();
            }
        }));
        assertFalse(Files.exists(part));
        Run b = main("train", "--resume", ck.toString());
        assertEquals(0, b.code, b.err);
        assertTrue(Files.isRegularFile(part) && Files.isRegularFile(partReport), "model and report where the original run asked: " + b.out);
        Model m1 = Model.load(full), m2 = Model.load(part);
        assertArrayEquals(m1.layers.get(0).denseWeights(), m2.layers.get(0).denseWeights());
        assertArrayEquals(m1.layers.get(0).denseDelays(), m2.layers.get(0).denseDelays());
        assertArrayEquals(m1.readout().denseWeights(), m2.readout().denseWeights());
        assertArrayEquals(m1.readout().denseDelays(), m2.readout().denseDelays());
        assertArrayEquals(m1.norms.get(0).gamma(), m2.norms.get(0).gamma());
        assertArrayEquals(m1.norms.get(0).mean(), m2.norms.get(0).mean());
        assertArrayEquals(m1.norms.get(0).var(), m2.norms.get(0).var());
        assertEquals(accuracyIn(a.out, "test"), accuracyIn(b.out, "test"), 0.0);
        double acc1 = ((Number) ((Map<?, ?>) Json.parse(Files.readString(fullReport))).get("test_accuracy")).doubleValue();
        Map<?, ?> rep2 = (Map<?, ?>) Json.parse(Files.readString(partReport));
        assertEquals(acc1, ((Number) rep2.get("test_accuracy")).doubleValue(), 0.0);
        assertEquals(3, ((List<?>) rep2.get("epochs")).size(), "the resumed report holds the whole history");

        // resuming the finished run's checkpoint completes at once, with the same numbers
        Run c = main("train", "--resume", dir.resolve("full.myelin.ckpt").toString(), "--threads", "1");
        assertEquals(0, c.code, c.err);
        assertEquals(accuracyIn(a.out, "test"), accuracyIn(c.out, "test"), 0.0);

        // when the data changed, the checkpoint is refused
        featuresFolder(data, 3);
        Run d = main("train", "--resume", ck.toString());
        assertEquals(2, d.code);
        assertTrue(d.err.contains("other data") && d.err.contains(ck.toString()), d.err);

        // a missing checkpoint fails at once, naming it
        Run e = main("train", "--resume", dir.resolve("missing.ckpt").toString(), "--data", dir.resolve("nowhere").toString());
        assertEquals(2, e.code);
        assertTrue(e.err.contains("missing.ckpt") && !e.err.contains("nowhere") && !e.err.contains("data:"), e.err);
    }

    @Test
    void evalOfACorruptModelIsAOneLineErrorWithExitCode2() throws Exception {
        Path data = featuresFolder(dir.resolve("data"), 4);
        Path model = dir.resolve("m.myelin");
        Run t = main(args(new String[] {"train", "--data", data.toString()}, args(COMMON, "--epochs", "1", "--out", model.toString())));
        assertEquals(0, t.code, t.err);
        byte[] b = Files.readAllBytes(model);
        b[b.length / 2] ^= 0x01;
        Path bad = dir.resolve("corrupt.myelin");
        Files.write(bad, b);
        Run ev = main("eval", "--model", bad.toString(), "--data", data.toString());
        assertEquals(2, ev.code, ev.err);
        assertEquals("", ev.out);
        String[] lines = ev.err.strip().split("\\R");
        assertEquals(1, lines.length, "one line on stderr: " + ev.err);
        assertTrue(lines[0].contains(bad.toString()) && lines[0].contains("checksum"), lines[0]);

        Path cut = dir.resolve("cut.myelin");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(model), 200));
        Run ev2 = main("eval", "--model", cut.toString(), "--data", data.toString());
        assertEquals(2, ev2.code);
        assertEquals(1, ev2.err.strip().split("\\R").length, ev2.err);
        assertTrue(ev2.err.contains(cut.toString()) && ev2.err.contains("truncated"), ev2.err);

        Run ev3 = main("eval", "--model", dir.resolve("absent.myelin").toString(), "--data", data.toString());
        assertEquals(2, ev3.code);
        assertTrue(ev3.err.contains("absent.myelin"), ev3.err);
    }

    @Test
    void unknownOptionsAndBadValuesAreRejected() throws Exception {
        Path data = featuresFolder(dir.resolve("data"), 5);
        Path out = dir.resolve("never.myelin");
        Run r = main(args(new String[] {"train", "--data", data.toString()}, args(COMMON, "--foo", "3", "--out", out.toString())));
        assertEquals(2, r.code);
        assertTrue(r.err.contains("unknown option --foo"), r.err);
        assertTrue(!Files.exists(out), "nothing trained");
        Run s = main(args(new String[] {"train", "--data", data.toString()}, args(COMMON, "--sparsity", "1.5", "--out", out.toString())));
        assertEquals(2, s.code);
        assertTrue(s.err.contains("--sparsity") && s.err.contains("1.5"), s.err);
        Run d = main(args(new String[] {"train", "--data", data.toString()}, args(COMMON, "--structure", "deepr", "--out", out.toString())));
        assertEquals(2, d.code);
        assertTrue(d.err.contains("--structure deepr") && d.err.contains("--sparsity"), d.err);
        Run e = main(args(new String[] {"train", "--data", data.toString()}, args(COMMON, "--epochs", "two", "--out", out.toString())));
        assertEquals(2, e.code);
        assertTrue(e.err.contains("--epochs"), e.err);
        Run v = main("eval", "--data", data.toString());
        assertEquals(2, v.code);
        assertTrue(v.err.contains("--model"), v.err);
        assertTrue(!Files.exists(out), "nothing trained");
    }
}
