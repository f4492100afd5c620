package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.FeaturesFolder;
import org.myelin.data.GeneratedAudio;
import org.myelin.data.audio.AudioFiles;
import org.myelin.engine.Spotter;
import org.myelin.io.Json;
import org.myelin.kernel.KernelProvider;
import org.myelin.model.FeatureRecipe;
import org.myelin.model.Model;

/** features → train --normalize → eval → infer, through the command line, on small generated WAV datasets. */
class KwsCommandsTest {
    @TempDir
    static Path dir;
    static Path audio, features, model;

    @BeforeAll
    static void buildDatasetAndModel() throws Exception {
        KernelProvider.get();
        audio = fsddLike(dir.resolve("audio"), 8000);
        features = dir.resolve("features");
        TrainEvalCommandTest.Run f = TrainEvalCommandTest.main("features", "--data", audio.toString(), "--out", features.toString(), "--threads", "1");
        assertEquals(0, f.code, f.err);
        model = dir.resolve("g.myelin");
        TrainEvalCommandTest.Run t = TrainEvalCommandTest.main("train", "--data", features.toString(), "--normalize", "global", "--epochs", "3",
                "--hidden", "16", "--max-delay", "5", "--batch", "8", "--threads", "1", "--seed", "3", "--out", model.toString());
        assertEquals(0, t.code, t.err);
    }

    /** A 16-bit mono WAV. */
    static void wav(Path f, int rate, float[] x) throws IOException {
        GeneratedAudio.wav(f, rate, x);
    }

    /** A tone pair per class with a rising or falling glide, silence around it, faint noise. */
    static float[] word(int cls, int rate, Random r) {
        return GeneratedAudio.word(cls, rate, r);
    }

    /** An FSDD-layout folder: recordings/{digit}_{speaker}_{n}.wav, 3 classes, speaker "tst" held out. */
    static Path fsddLike(Path d, int rate) throws IOException {
        return GeneratedAudio.toneFsdd(d, rate);
    }

    @Test
    void trainStoresTheRecipeWithTheTrainingSetsStatistics() throws Exception {
        Model m = Model.load(model);
        assertNotNull(m.recipe, "the model carries its recipe");
        assertEquals(FeatureRecipe.Normalization.GLOBAL, m.recipe.normalization);
        assertEquals(8000, m.recipe.sampleRate);
        assertEquals(200, m.recipe.frameLength);
        assertEquals(80, m.recipe.hop);
        FeatureRecipe expected = FeaturesFolder.read(features, "f").normalised(FeatureRecipe.Normalization.GLOBAL).recipe;
        assertArrayEquals(expected.mean(), m.recipe.mean());
        assertArrayEquals(expected.std(), m.recipe.std());
        assertEquals("global", ((Map<?, ?>) m.meta.get("train")).get("normalize"));
        // eval takes the model's normalisation; --normalize there is refused
        TrainEvalCommandTest.Run e = TrainEvalCommandTest.main("eval", "--model", model.toString(), "--data", features.toString(), "--threads", "1");
        assertEquals(0, e.code, e.err);
        assertTrue(e.out.contains("test accuracy"), e.out);
        e = TrainEvalCommandTest.main("eval", "--model", model.toString(), "--data", features.toString(), "--normalize", "utterance");
        assertEquals(2, e.code);
        assertTrue(e.err.contains("--normalize"), e.err);
        // a bad --normalize is a usage error naming the flag
        TrainEvalCommandTest.Run t = TrainEvalCommandTest.main("train", "--data", features.toString(), "--normalize", "frame", "--epochs", "1");
        assertEquals(2, t.code);
        assertTrue(t.err.contains("--normalize"), t.err);
    }

    @Test
    void inferPrintsOneLinePerFileAndTheAccuracyAndAgreesWithTheApi() throws Exception {
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("infer", "--model", model.toString(), "--input", audio.resolve("recordings").toString(), "--threads", "2");
        assertEquals(0, r.code, r.err);
        String[] lines = r.out.split("\n");
        Spotter sp = Spotter.load(model);
        int rows = 0, correct = 0;
        for (String line : lines) {
            if (!line.contains("  class ")) continue;
            rows++;
            String file = line.substring(0, line.indexOf("  class "));
            var a = AudioFiles.read(Path.of(file));
            Spotter.Result res = sp.classify(a.mono(), a.sampleRate, true, file);
            List<String> words = sp.classNames();
            assertEquals(List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"), words,
                    "an fsdd-layout model carries the digits' words");
            assertTrue(line.contains("class " + words.get(res.label) + "  p " + String.format(java.util.Locale.ROOT, "%.4f", res.p())), line);
            assertTrue(line.contains("top3 " + words.get(res.label) + ":"), line);
            int label = Path.of(file).getFileName().toString().charAt(0) - '0';
            assertTrue(line.contains("label " + words.get(label)), line);
            if (label == res.label) correct++;
        }
        assertEquals(36, rows, r.out);
        assertTrue(r.out.contains(String.format(java.util.Locale.ROOT, "accuracy %.4f (%d of 36 files with labels)", correct / 36.0, correct)), r.out);
        assertTrue(r.out.contains("confusion (rows: label, columns: class)"), r.out);
    }

    /** Three words with pauses at 16 kHz, faint noise throughout. */
    static Path threeWords(String name) throws IOException {
        Random rnd = new Random(4);
        List<float[]> parts = new ArrayList<>();
        for (int c : new int[] {0, 2, 1}) parts.add(word(c, 16000, rnd));
        float[] x = new float[3 * 8000 + parts.size() * parts.get(0).length];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.003 * rnd.nextGaussian());
        int at = 4000;
        for (float[] p : parts) {
            for (int i = 0; i < p.length; i++) x[at + i] += p[i];
            at += p.length + 6000;
        }
        Path f = dir.resolve(name);
        wav(f, 16000, x);
        return f;
    }

    @SuppressWarnings("unchecked")
    @Test
    void streamedWordsBelowTheThresholdAreRejectedAndShownOnlyOnRequest() throws Exception {
        // a temperature so high that every class gets p ≈ 0.1: with threshold 0.5 every word is rejected
        Model m = Model.load(model);
        new org.myelin.model.Calibration(1e6, 0.5, 10, Double.NaN, Double.NaN, Double.NaN).into(m.meta);
        Path cold = dir.resolve("cold.myelin");
        m.save(cold);
        Path longWav = threeWords("three.wav");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("infer", "--model", cold.toString(), "--input", longWav.toString(), "--stream", "--json");
        assertEquals(0, r.code, r.err);
        assertEquals("", r.out.trim(), "nothing accepted");
        assertTrue(r.err.contains("0 words from 1 file, 3 rejected (p below 0.5000 or a rejection class)"), r.err);
        r = TrainEvalCommandTest.main("infer", "--model", cold.toString(), "--input", longWav.toString(), "--stream", "--json", "--show-rejected");
        assertEquals(0, r.code, r.err);
        String[] lines = r.out.trim().split("\n");
        assertEquals(3, lines.length, r.out);
        for (String line : lines) {
            Map<String, Object> w = (Map<String, Object>) Json.parse(line);
            assertTrue(w.containsKey("class") && w.get("class") == null, line);
            assertEquals(0.1, ((Number) w.get("p")).doubleValue(), 1e-3, "p of a near-uniform softmax");
        }
        // the same words accepted under a lower threshold from the command line
        r = TrainEvalCommandTest.main("infer", "--model", cold.toString(), "--input", longWav.toString(), "--stream", "--threshold", "0.05");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("3 words from 1 file, 0 rejected (p below 0.05000 or a rejection class)"), r.out);
        // offline infer prints the calibrated p
        r = TrainEvalCommandTest.main("infer", "--model", cold.toString(), "--input", audio.resolve("recordings").resolve("1_tst_0.wav").toString());
        assertTrue(r.out.contains("p 0.1000"), r.out);
        // the class offline infer gives this file renamed _unknown_: offline it is printed as rejected ("class": null in
        // JSON), streamed its words are not accepted
        Path one = audio.resolve("recordings").resolve("1_tst_0.wav");
        var a = AudioFiles.read(one);
        Model named = Model.load(model);
        int cls = Spotter.of(named, "m").classify(a.mono(), a.sampleRate, true, "x").label;
        List<Object> names = new ArrayList<>(named.classNames());
        names.set(cls, "_unknown_");
        named.meta.put(Model.CLASS_NAMES, names);
        Path unk = dir.resolve("unknown.myelin");
        named.save(unk);
        r = TrainEvalCommandTest.main("infer", "--model", unk.toString(), "--input", one.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("  rejected  class _unknown_  p "), r.out);
        assertTrue(r.out.contains("1 result from 1 file, 1 rejection-class prediction"), r.out);
        r = TrainEvalCommandTest.main("infer", "--model", unk.toString(), "--input", one.toString(), "--json");
        Map<String, Object> w = (Map<String, Object>) Json.parse(r.out.trim().split("\n")[0]);
        assertTrue(w.containsKey("class") && w.get("class") == null && w.get("name") == null, r.out);
        r = TrainEvalCommandTest.main("infer", "--model", unk.toString(), "--input", one.toString(), "--stream", "--show-rejected");
        assertEquals(0, r.code, r.err);
        for (String line : r.out.split("\n")) {
            if (line.contains("class _unknown_")) assertTrue(line.contains("  rejected  "), line);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void evalStreamReportsOwnSnrBandsInTextAndJson() throws Exception {
        String cache = dir.resolve("cache").toString();
        TrainEvalCommandTest.Run t = TrainEvalCommandTest.main("eval", "--model", model.toString(), "--data", audio.toString(), "--cache", cache,
                "--stream", "--threads", "1");
        assertEquals(0, t.code, t.err);
        assertTrue(t.out.contains("stream continuous by each word's own SNR (dB):\n  band   words  found   streamed  offline\n  <20 "), t.out);
        TrainEvalCommandTest.Run j = TrainEvalCommandTest.main("eval", "--model", model.toString(), "--data", audio.toString(), "--cache", cache,
                "--stream", "--json", "--threads", "1");
        assertEquals(0, j.code, j.err);
        Map<String, Object> o = (Map<String, Object>) Json.parse(j.out);
        Map<String, Object> part = (Map<String, Object>) ((List<Object>) o.get("parts")).get(0);
        assertEquals("test", part.get("part"));
        assertTrue(t.out.contains(String.format(java.util.Locale.ROOT, "test accuracy %.4f", ((Number) part.get("accuracy")).doubleValue())), t.out);
        Map<String, Object> st = (Map<String, Object>) o.get("stream");
        Map<String, Object> iso = (Map<String, Object>) st.get("isolated"), con = (Map<String, Object>) st.get("continuous");
        assertTrue(t.out.contains(String.format(java.util.Locale.ROOT, "stream isolated: %d files, one word %.4f", ((Number) iso.get("files")).intValue(),
                ((Number) iso.get("one_word")).doubleValue())), t.out);
        List<Object> bands = (List<Object>) con.get("by_own_snr");
        assertEquals(4, bands.size());
        int words = 0;
        for (Object b : bands) words += ((Number) ((Map<String, Object>) b).get("words")).intValue();
        assertEquals(((Number) con.get("words")).intValue(), words, "the bands hold every continuous word");
        TrainEvalCommandTest.Run bad = TrainEvalCommandTest.main("eval", "--model", model.toString(), "--data", audio.toString(), "--cache", cache,
                "--json", "--false-alarms", dir.toString());
        assertEquals(2, bad.code);
        assertTrue(bad.err.startsWith("myelin eval: --json covers") && bad.err.trim().split("\n").length == 1, bad.err);
    }

    @Test
    void badRejectionInputIsOneLineNamingTheFlag() throws Exception {
        Path longWav = threeWords("three-bad.wav");
        for (String t : new String[] {"1.5", "0", "1", "-0.2"}) {
            TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("infer", "--model", model.toString(), "--input", longWav.toString(), "--stream", "--threshold", t);
            assertEquals(2, r.code, t);
            assertTrue(r.err.startsWith("myelin infer: --threshold must be in (0, 1)") && r.err.trim().split("\n").length == 1, r.err);
        }
        Path empty = Files.createDirectories(dir.resolve("no-audio"));
        Files.writeString(empty.resolve("notes.txt"), "not audio");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("eval", "--model", model.toString(), "--data", audio.toString(), "--cache",
                dir.resolve("cache").toString(), "--false-alarms", empty.toString(), "--threads", "1");
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.contains("--false-alarms " + empty + ": no .wav or .flac files"), r.err);
        assertEquals(1, r.err.lines().filter(l -> l.startsWith("myelin eval")).count(), "one error line (progress lines aside): " + r.err);
        assertTrue(r.err.lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + r.err);
    }

    @Test
    void falseAlarmsGiveADetCurveAndAThresholdStoredInTheModel() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        Random rnd = new Random(9);
        // 20 s of noise bursts: loud enough for the voice detector, no keyword
        float[] x = new float[20 * 8000];
        for (int i = 0; i < x.length; i++) {
            boolean burst = (i / 4000) % 3 == 1;
            x[i] = (float) ((burst ? 0.2 : 0.003) * rnd.nextGaussian());
        }
        wav(other.resolve("bursts.wav"), 8000, x);
        Path m = dir.resolve("fa.myelin");
        Files.copy(model, m);
        Path prefix = dir.resolve("det");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("eval", "--model", m.toString(), "--data", audio.toString(), "--cache",
                dir.resolve("cache").toString(), "--false-alarms", other.toString(), "--det", prefix.toString(), "--fa-target", "1000", "--threads", "1");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("false alarms: 1 file, 0.006 h of non-keyword audio"), r.out);
        assertTrue(r.out.contains("threshold for ≤ 1000 false alarms per hour: "), r.out);
        List<String> csv = Files.readAllLines(Path.of(prefix + ".csv"));
        assertEquals("threshold,false_alarms,false_alarms_per_hour,miss_rate", csv.get(0));
        assertTrue(csv.size() >= 3, "at least 0, one report and above it");
        double lastTh = -1;
        int lastFa = Integer.MAX_VALUE;
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            double th = Double.parseDouble(f[0]);
            int fa = Integer.parseInt(f[1]);
            assertTrue(th > lastTh && fa <= lastFa, "thresholds rise, false alarms fall: " + line);
            assertEquals(fa / (20.0 / 3600), Double.parseDouble(f[2]), 1e-3 * Math.max(1, fa / (20.0 / 3600)));
            lastTh = th;
            lastFa = fa;
        }
        assertEquals(0, lastFa, "no false alarm above the largest report");
        assertTrue(Files.size(Path.of(prefix + ".png")) > 1000);
        assertTrue(!r.out.contains("the model's threshold"), "a model without a threshold has no such line: " + r.out);

        // a model with a threshold: its point on the curve, as the CSV has it
        Model withTh = Model.load(m);
        org.myelin.model.Calibration.of(withTh).withThreshold(0.3, 1).into(withTh.meta);
        withTh.save(m);
        TrainEvalCommandTest.Run r2 = TrainEvalCommandTest.main("eval", "--model", m.toString(), "--data", audio.toString(), "--cache",
                dir.resolve("cache").toString(), "--false-alarms", other.toString(), "--det", prefix.toString(), "--threads", "1");
        assertEquals(0, r2.code, r2.err);
        String line = r2.out.lines().filter(l -> l.startsWith("the model's threshold 0.3: ")).findFirst().orElseThrow(() -> new AssertionError(r2.out));
        String[] at = null;
        for (String row : Files.readAllLines(Path.of(prefix + ".csv")).subList(1, csv.size())) {
            String[] f = row.split(",");
            if (Double.parseDouble(f[0]) >= 0.3) {
                at = f;
                break;
            }
        }
        assertTrue(at != null, "a CSV row at or above 0.3");
        assertEquals(String.format(java.util.Locale.ROOT, "the model's threshold 0.3: %.3f false alarms per hour, miss rate %.4f",
                Double.parseDouble(at[2]), Double.parseDouble(at[3])), line);
    }

    @Test
    void listAlarmsWritesEveryWordReportedAsAKeyword() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other-list").resolve("sub"));
        Random rnd = new Random(11);
        float[] x = new float[20 * 8000]; // noise bursts the detector cuts into words
        for (int i = 0; i < x.length; i++) x[i] = (float) ((((i / 4000) % 3 == 1) ? 0.2 : 0.003) * rnd.nextGaussian());
        wav(other.resolve("bursts.wav"), 8000, x);
        Path list = dir.resolve("alarms.csv"), prefix = dir.resolve("det-list");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("eval", "--model", model.toString(), "--data", audio.toString(), "--cache",
                dir.resolve("cache").toString(), "--false-alarms", other.getParent().toString(), "--det", prefix.toString(), "--list-alarms",
                list.toString(), "--threads", "1");
        assertEquals(0, r.code, r.err);
        List<String> rows = Files.readAllLines(list);
        assertEquals("file,start_s,end_s,class,p", rows.get(0));
        // as many rows as the DET counts at threshold 0, and each at most as often above a p as the curve says
        String[] atZero = Files.readAllLines(Path.of(prefix + ".csv")).get(1).split(",");
        assertEquals(0.0, Double.parseDouble(atZero[0]));
        assertEquals(Integer.parseInt(atZero[1]), rows.size() - 1, String.join("\n", rows));
        assertTrue(rows.size() > 1, "the bursts give alarms to list");
        List<String> names = Model.load(model).classNames();
        double lastStart = -1;
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            assertEquals("sub/bursts.wav", f[0], "the file relative to the folder");
            double start = Double.parseDouble(f[1]), end = Double.parseDouble(f[2]), p = Double.parseDouble(f[4]);
            assertTrue(start >= lastStart && start < end && end <= 20.0 + 1e-9, "times within the file, in order: " + row);
            assertTrue(names.contains(f[3]), "a class of the model: " + row);
            assertTrue(p > 0 && p <= 1, row);
            lastStart = start;
        }
        TrainEvalCommandTest.Run bad = TrainEvalCommandTest.main("eval", "--model", model.toString(), "--data", audio.toString(), "--cache",
                dir.resolve("cache").toString(), "--list-alarms", list.toString());
        assertEquals(2, bad.code, bad.err);
        assertTrue(bad.err.contains("--list-alarms") && bad.err.contains("need --false-alarms DIR"), bad.err);
    }

    @SuppressWarnings("unchecked")
    @Test
    void jsonLinesCarryTheNamedKeysAndStreamModeAddsTimes() throws Exception {
        Path one = audio.resolve("recordings").resolve("2_tst_1.wav");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("infer", "--model", model.toString(), "--input", one.toString(), "--json");
        assertEquals(0, r.code, r.err);
        String[] lines = r.out.trim().split("\n");
        assertEquals(1, lines.length, r.out);
        Map<String, Object> o = (Map<String, Object>) Json.parse(lines[0]);
        assertEquals(one.toString(), o.get("file"));
        int cls = ((Number) o.get("class")).intValue();
        List<Object> probs = (List<Object>) o.get("probs");
        assertEquals(10, probs.size(), "the fsdd layout has 10 classes");
        assertEquals(((Number) probs.get(cls)).doubleValue(), ((Number) o.get("p")).doubleValue(), 0.0);
        assertEquals(2, ((Number) o.get("label")).intValue());
        assertEquals("two", o.get("label_name"));
        assertEquals(Model.load(model).classNames().get(cls), o.get("name"), "the class's word beside its number");
        assertNull(o.get("start"));

        // a long recording: three words with pauses, streamed in 7 ms chunks
        Random rnd = new Random(4);
        List<float[]> parts = new ArrayList<>();
        for (int c : new int[] {0, 2, 1}) parts.add(word(c, 16000, rnd));
        float[] x = new float[3 * 8000 + parts.size() * parts.get(0).length];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.003 * rnd.nextGaussian()); // the room's noise throughout
        int at = 4000;
        for (float[] p : parts) {
            for (int i = 0; i < p.length; i++) x[at + i] += p[i];
            at += p.length + 6000;
        }
        Path longWav = dir.resolve("long.wav");
        wav(longWav, 16000, x);
        r = TrainEvalCommandTest.main("infer", "--model", model.toString(), "--input", longWav.toString(), "--stream", "--chunk", "112", "--json");
        assertEquals(0, r.code, r.err);
        lines = r.out.trim().split("\n");
        assertEquals(3, lines.length, r.out + r.err);
        double last = -1;
        for (String line : lines) {
            Map<String, Object> w = (Map<String, Object>) Json.parse(line);
            for (String k : new String[] {"file", "class", "p", "probs", "start", "end"}) assertTrue(w.containsKey(k), k + " in " + line);
            double s = ((Number) w.get("start")).doubleValue(), e = ((Number) w.get("end")).doubleValue();
            assertTrue(s > last && e > s, line);
            last = e;
        }
        // human output of the same
        r = TrainEvalCommandTest.main("infer", "--model", model.toString(), "--input", longWav.toString(), "--stream");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.matches("(?s).*long\\.wav  \\d+\\.\\d\\d-\\d+\\.\\d\\d s  class [a-z]+  p .*"), r.out);
    }

    @Test
    void otherRatesAreResampledUnlessForbiddenAndBadFilesAreNamed() throws Exception {
        Path d16 = dir.resolve("sixteen");
        Files.createDirectories(d16);
        Random r = new Random(9);
        wav(d16.resolve("0_x_0.wav"), 16000, word(0, 16000, r));
        TrainEvalCommandTest.Run run = TrainEvalCommandTest.main("infer", "--model", model.toString(), "--input", d16.toString());
        assertEquals(0, run.code, run.err);
        run = TrainEvalCommandTest.main("infer", "--model", model.toString(), "--input", d16.toString(), "--no-resample");
        assertEquals(2, run.code);
        assertTrue(run.err.contains("0_x_0.wav") && run.err.contains("16000 Hz") && run.err.contains("8000 Hz"), run.err);
        Files.write(d16.resolve("1_x_0.wav"), new byte[] {'R', 'I', 'F', 'F', 1, 2});
        run = TrainEvalCommandTest.main("infer", "--model", model.toString(), "--input", d16.toString());
        assertEquals(2, run.code);
        assertTrue(run.err.contains("1_x_0.wav") && run.err.contains("--skip-bad"), run.err);
        run = TrainEvalCommandTest.main("infer", "--model", model.toString(), "--input", d16.toString(), "--skip-bad");
        assertEquals(0, run.code, run.err);
        assertTrue(run.err.contains("skipped") && run.err.contains("1_x_0.wav"), run.err);
        assertTrue(run.out.contains("1 bad file skipped"), run.out);
        run = TrainEvalCommandTest.main("infer", "--model", model.toString());
        assertEquals(2, run.code);
        assertTrue(run.err.contains("--input"), run.err);
    }

    @Test
    void modelsWithoutARecipe() throws Exception {
        // a model of before recipes, trained on audio: runs with the paper's recipe at the file's rate
        Model m = Model.load(model);
        Path legacy = dir.resolve("legacy.myelin");
        Model.load(model).withRecipe(null).save(legacy);
        assertTrue(Model.load(legacy).legacyAudio());
        Path one = audio.resolve("recordings").resolve("1_tst_0.wav");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("infer", "--model", legacy.toString(), "--input", one.toString());
        assertEquals(0, r.code, r.err);
        // a model trained on the built-in task has no front end: refused, naming the file
        Path builtIn = dir.resolve("builtin.myelin");
        TrainEvalCommandTest.Run t = TrainEvalCommandTest.main("train", "--epochs", "1", "--hidden", "8", "--max-delay", "3", "--train-size", "40",
                "--test-size", "20", "--threads", "1", "--out", builtIn.toString());
        assertEquals(0, t.code, t.err);
        r = TrainEvalCommandTest.main("infer", "--model", builtIn.toString(), "--input", one.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains(builtIn.toString()) && r.err.contains("no feature recipe"), r.err);
        assertNotNull(m.recipe);
    }

    /** One labelled file: its line and the accuracy, no 10 × 10 confusion matrix, counts in the singular. */
    @Test
    void inferOnOneFileShowsNoConfusionMatrix() throws Exception {
        Path one = audio.resolve("recordings").resolve("2_tst_1.wav");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("infer", "--model", model.toString(), "--input", one.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("label two"), r.out);
        assertTrue(r.out.matches("(?s).*accuracy [01]\\.0000 \\([01] of 1 file with labels\\)\n1 result from 1 file\n"), r.out);
        assertTrue(!r.out.contains("confusion"), r.out);
    }
}
