package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per message fixed in the command line (issues 11 and 15): each is one line, prefixed once, in its category. */
class MessagesTest {
    @TempDir
    Path dir;

    static final String[] TINY = {"--train-size", "60", "--test-size", "40", "--hidden", "8", "--max-delay", "3", "--epochs", "1",
        "--batch", "20", "--threads", "1"};

    static TrainEvalCommandTest.Run main(String... argv) {
        return TrainEvalCommandTest.main(argv);
    }

    static String[] with(String[] a, String... b) {
        return TrainEvalCommandTest.args(a, b);
    }

    static String oneLine(TrainEvalCommandTest.Run r) {
        String err = r.err.replaceAll("(?m)^WARNING: .*\\R", "").strip();
        assertEquals(1, err.split("\\R").length, "one line: " + err);
        return err;
    }

    @Test
    void everyHelpFitsAnEightyColumnTerminal() {
        java.util.List<String> names = new java.util.ArrayList<>();
        names.add("--help");
        for (Command c : Main.commands()) names.add(c.name());
        for (String name : names) {
            TrainEvalCommandTest.Run r = name.equals("--help") ? main("--help") : main(name, "--help");
            assertEquals(0, r.code, name + ": " + r.err);
            assertTrue(r.out.lines().count() > 1, name + ": " + r.out);
            for (String line : r.out.split("\\R")) {
                assertTrue(line.length() <= org.myelin.io.Lines.COLUMNS, name + " --help: " + line.length() + " columns: " + line);
            }
        }
    }

    @Test
    void evalOfAFolderNamesIt() {
        TrainEvalCommandTest.Run r = main("eval", "--model", dir.toString());
        assertEquals(2, r.code);
        String err = oneLine(r);
        assertTrue(err.startsWith("myelin eval: " + dir + ": ") && err.contains("folder"), err);
    }

    @Test
    void everyModelAndCheckpointReaderNamesAFolder() {
        // infer and analyze read models through their own paths (the spotter, the analysis loader); a
        // folder was "Is a directory" with exit 1 in infer, "no such model file" in analyze
        String[][] runs = {
            {"infer", "--model", dir.toString(), "--input", dir.toString()},
            {"analyze", "--trained", dir.toString(), "--untrained", dir.toString(), "--out", dir.resolve("a").toString()},
            {"export", "--model", dir.toString(), "--out", dir.resolve("e").toString()},
            {"train", "--resume", dir.toString()},
        };
        for (String[] argv : runs) {
            TrainEvalCommandTest.Run r = main(argv);
            String err = oneLine(r);
            assertEquals(2, r.code, err);
            assertTrue(err.startsWith("myelin " + argv[0] + ": " + dir + ": is a folder, not a "), err);
        }
    }

    @Test
    void negativeVoiceActivityTimesAreRefusedNamingTheFlag() {
        for (String flag : new String[] {"--vad-onset", "--vad-hangover", "--vad-preroll"}) {
            TrainEvalCommandTest.Run r = main("infer", "--model", dir.resolve("m.myelin").toString(), "--input", dir.toString(), "--stream", flag, "-5");
            assertEquals(2, r.code, r.err);
            assertTrue(oneLine(r).startsWith("myelin infer: " + flag + " takes milliseconds"), r.err);
        }
    }

    @Test
    void evalWithoutDataUsesTheDataTheModelRecords() {
        Path m = dir.resolve("m.myelin");
        // 3 classes' worth of data would not do: the built-in task with its own seed and sizes
        TrainEvalCommandTest.Run t = main(with(new String[] {"train", "--data-seed", "7", "--out", m.toString()}, TINY));
        assertEquals(0, t.code, t.err);
        TrainEvalCommandTest.Run e = main("eval", "--model", m.toString(), "--threads", "1");
        assertEquals(0, e.code, e.err);
        String joined = DataFlagsCommandTest.joined(e.err);
        assertTrue(joined.contains("data: the built-in task (seed 7, 60 train, 40 test), as recorded in " + m), e.err);
        // the line names a long temporary path and goes on under its label in 80 columns
        for (String line : e.err.split("\n")) if (!line.startsWith("WARNING")) assertTrue(line.length() <= org.myelin.io.Lines.COLUMNS, line);
        assertEquals(TrainEvalCommandTest.accuracyIn(t.out, "test"), TrainEvalCommandTest.accuracyIn(e.out, "test"), 0.0);
        assertTrue(e.out.contains("(40 samples"), e.out);
        // given data options win
        TrainEvalCommandTest.Run g = main("eval", "--model", m.toString(), "--threads", "1", "--data-seed", "7", "--train-size", "60", "--test-size", "30");
        assertEquals(0, g.code, g.err);
        assertTrue(g.out.contains("(30 samples") && g.err.contains("with the data options given"), g.out + g.err);
        // and apply to the model's own data: one option alone keeps the rest it records (seed 7), where it
        // used to fall back to the built-in defaults (seed 1, 1000 test samples)
        TrainEvalCommandTest.Run one = main("eval", "--model", m.toString(), "--threads", "1", "--test-size", "30");
        assertEquals(0, one.code, one.err);
        assertTrue(one.err.contains("seed 7, 60 train, 30 test"), one.err);
        assertEquals(TrainEvalCommandTest.accuracyIn(g.out, "test"), TrainEvalCommandTest.accuracyIn(one.out, "test"), 0.0);
    }

    @Test
    void aMissingCheckpointFailsBeforeAnyData() {
        TrainEvalCommandTest.Run r = main("train", "--resume", "/missing.ckpt");
        assertEquals(2, r.code);
        assertEquals("myelin train: /missing.ckpt: no such checkpoint", oneLine(r));
    }

    @Test
    void divergedTrainingIsOneLineWithTheEpoch() {
        TrainEvalCommandTest.Run r = main(with(with(new String[] {"train", "--out", dir.resolve("d.myelin").toString()}, TINY), "--max-lr", "1e300", "--epochs", "3"));
        assertEquals(3, r.code, r.err);
        String last = r.err.strip().substring(r.err.strip().lastIndexOf('\n') + 1);
        assertTrue(last.startsWith("myelin train: training diverged in epoch 1, batch ") && last.contains("NaN") && last.contains("--max-lr"), last);
        assertFalse(r.err.contains("internal error") || r.err.contains("Exception"), r.err);
    }

    @Test
    void badValuesNameTheFlagAndArePrefixedOnce() {
        TrainEvalCommandTest.Run r = main("train", "--structure", "magic");
        assertEquals(2, r.code);
        assertEquals("myelin train: --structure must be fixed, deepr or rigl, got 'magic'", oneLine(r));
        r = main("train", "--delay-mode", "cubic");
        assertEquals(2, r.code);
        assertTrue(oneLine(r).startsWith("myelin train: --delay-mode"), r.err);
        r = main("train", "extra");
        assertEquals(2, r.code);
        assertEquals("myelin train: unexpected word 'extra' (see 'train --help')", oneLine(r));
        assertEquals("x: y", Main.once("infer", "infer: x: y"));
        assertEquals("x", Main.once("infer", "myelin infer: infer: x"));
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int code = Main.report("infer", new IllegalArgumentException("infer: unexpected argument"), new PrintStream(b, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertEquals("myelin infer: unexpected argument", b.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void aBugIsAnInternalErrorAndAnIoFailureIsNot() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        assertEquals(1, Main.report("train", new NullPointerException("x"), new PrintStream(b, true, StandardCharsets.UTF_8)));
        assertTrue(b.toString(StandardCharsets.UTF_8).startsWith("myelin train: internal error"), b.toString(StandardCharsets.UTF_8));
        b.reset();
        assertEquals(1, Main.report("train", new java.io.IOException("disk full"), new PrintStream(b, true, StandardCharsets.UTF_8)));
        assertEquals("myelin train: disk full", b.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void trainingOptionsPassThroughAblationAndExperimentTheSameWay() {
        TrainEvalCommandTest.Run a = main("ablation", "--out", dir.resolve("a").toString(), "--repeats", "1", "--sparsities", "0.5",
                "--hidden", "8", "--tau", "7.5", "--print-commands");
        TrainEvalCommandTest.Run e = main("experiment", "--out", dir.resolve("e").toString(), "--repeats", "1", "--hidden", "8",
                "--tau", "7.5", "--print-commands");
        assertEquals(0, a.code, a.err);
        assertEquals(0, e.code, e.err);
        for (String line : (a.out + e.out).strip().split("\n")) {
            if (line.contains(" train ")) assertTrue(line.contains(" --hidden 8 ") && line.contains(" --tau 7.5 "), line);
        }
    }
}
