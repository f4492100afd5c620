package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.myelin.network.DelayMode;
import org.myelin.network.Readout;
import org.myelin.run.DataSpec;
import org.myelin.run.NetworkSpec;
import org.myelin.run.Outputs;
import org.myelin.run.RunSpec;
import org.myelin.train.KernelChoice;
import org.myelin.train.StructureKind;
import org.myelin.train.TrainConfig;

/** A specification printed as a train command line parses back to itself; every option a command reads is in its help. */
class TrainFlagsTest {
    static RunSpec parse(List<String> argv) {
        return TrainFlags.parse(new Args("train", argv.toArray(new String[0])), Set.of());
    }

    static void roundTrip(RunSpec s) {
        List<String> argv = TrainFlags.argv(s);
        assertEquals(s, parse(argv), "parse(argv(spec)) for: " + String.join(" ", argv));
        // and through the shell's quoting: split the printed line back into words as a shell would
        assertEquals(argv, shellSplit(Text.shellJoin(argv)));
    }

    /** Splits a line the way a POSIX shell does for the quoting Text.quote produces. */
    static List<String> shellSplit(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("'((?:[^']|'\\\\'')*)'|(\\S+)").matcher(line);
        StringBuilder cur = null;
        int end = -1;
        while (m.find()) {
            String w = m.group(1) != null ? m.group(1).replace("'\\''", "'") : m.group(2);
            if (cur != null && m.start() == end) cur.append(w);
            else {
                if (cur != null) out.add(cur.toString());
                cur = new StringBuilder(w);
            }
            end = m.end();
        }
        if (cur != null) out.add(cur.toString());
        return out;
    }

    @Test
    void defaultsPrintAsTheShortestCommand() {
        RunSpec d = RunSpec.defaults(DataSpec.builtInDefault());
        assertEquals(List.of("--epochs", "20", "--seed", "1"), TrainFlags.argv(d));
        roundTrip(d);
        roundTrip(RunSpec.defaults(DataSpec.folder(Path.of("../shared/data/fsdd"))));
    }

    @Test
    void everySettingRoundTrips() {
        TrainConfig tc = new TrainConfig();
        tc.epochs = 3;
        tc.batch = 7;
        tc.seed = 1234567890123L;
        tc.maxLr = 1.0 / 300;
        tc.pctStart = 0.41;
        tc.delayLr = 0.07;
        tc.dropout = 0.25;
        tc.inputScale = 1.7;
        tc.learnDelays = false;
        tc.sigmaSchedule = false;
        tc.sparsity = 0.96875;
        tc.structure = StructureKind.RIGL;
        tc.dale = false;
        tc.l1 = 2e-7;
        tc.l1Always = true;
        tc.regrowEvery = 3;
        tc.kernel = KernelChoice.CSR;
        tc.augShift = 5;
        tc.augBlend = 0.25;
        tc.augNoise = 0.3;
        tc.augFreqMask = 4;
        tc.augTimeMask = 7;
        NetworkSpec n = new NetworkSpec(17, 9, DelayMode.LINEAR, 0.7f, 7.3f, 0.9f, 3.1f, Readout.SOFTMAXSUM, false);
        RunSpec s = new RunSpec(new DataSpec(null, null, false, 3, 60, 40), n, tc,
                new Outputs(Path.of("my runs/it's.myelin"), Path.of("r.json"), Path.of("elsewhere.ckpt"), Path.of("init.myelin")));
        roundTrip(s);
        roundTrip(s.withData(new DataSpec(Path.of("data dir"), "fsdd", true, 1, 2000, 1000)));
        roundTrip(s.withData(new DataSpec(Path.of("fsdd"), "fsdd", false, 1, 2000, 1000, "speaker:george,theo", Path.of("c dir"), false)));
        roundTrip(s.withData(new DataSpec(Path.of("fsdd"), null, false, 1, 2000, 1000, "speaker", null, true)));
        roundTrip(s.withData(new DataSpec(Path.of("shd"), "shd", false, 1, 2000, 1000, null, null, false, 4.5, 7, 120)));
        roundTrip(s.withData(new DataSpec(Path.of("gsc"), "gsc12", false, 1, 2000, 1000, null, null, false, 10, 5, 0)));
        assertEquals("gsc12", parse(List.of("--data", "g", "--gsc-task", "12", "--epochs", "1")).data().format());
        assertEquals("gsc", parse(List.of("--data", "g", "--format", "gsc12", "--gsc-task", "35", "--epochs", "1")).data().format());
        // σ left at its Td's default follows Td
        roundTrip(s.withNetwork(new NetworkSpec(17, 9, DelayMode.GAUSS, NetworkSpec.defaultSigma(9), 10.05f, 1f, 5f, Readout.VSUM, true)));
        assertTrue(!TrainFlags.argv(s.withNetwork(new NetworkSpec(17, 9, DelayMode.GAUSS, NetworkSpec.defaultSigma(9), 10.05f, 1f, 5f,
                Readout.VSUM, true))).contains("--sigma"));
    }

    /** --hidden takes a list; every malformed one is refused in one line naming the flag; a deep spec round-trips. */
    @Test
    void hiddenTakesAListAndRefusesBadOnes() {
        assertEquals(List.of(256, 256), parse(List.of("--hidden", "256,256")).network().hidden());
        assertEquals(List.of(64), parse(List.of("--hidden", "64")).network().hidden());
        String[][] bad = {{"0", "widths must be at least 1, got 0"}, {"256,", "a width is missing in '256,'"},
                {"256,-3", "widths must be at least 1, got -3"}, {"1,2,3,4,5,6,7,8,9", "at most 8 hidden layers, got 9"},
                {"256,x", "'x' in '256,x' is not a whole number"}, {",", "a width is missing"}};
        for (String[] b : bad) {
            UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class, () -> parse(List.of("--hidden", b[0])), b[0]);
            assertTrue(e.getMessage().startsWith("--hidden: ") && e.getMessage().contains(b[1]) && !e.getMessage().contains("\n"), e.getMessage());
        }
        RunSpec d = RunSpec.defaults(DataSpec.builtInDefault());
        RunSpec deep = d.withNetwork(new NetworkSpec(List.of(128, 64, 32), 9, DelayMode.INT, NetworkSpec.defaultSigma(9), 10.05f, 1f, 5f, Readout.VSUM, true));
        roundTrip(deep);
        assertTrue(String.join(" ", TrainFlags.argv(deep)).contains("--hidden 128,64,32"));
        // the run specification's JSON keeps a number for one layer and holds the list for more
        assertEquals(256, org.myelin.run.Codec.networkToMap(d.network()).get("hidden"));
        assertEquals(deep.network(), org.myelin.run.Codec.networkFromMap(org.myelin.run.Codec.networkToMap(deep.network()), "test"));
        // on resume, another --hidden than the checkpoint's is noted (and so refused by name)
        TrainFlags.Reader r = new TrainFlags.Reader(new Args("train", new String[] {"--hidden", "128,64"}), Set.of());
        TrainFlags.rest(r, deep);
        assertEquals(1, r.changed.size());
        assertTrue(r.changed.get(0).startsWith("--hidden 128,64 (the checkpoint's run has 128,64,32)"), r.changed.get(0));
    }

    /** An augmentation setting given on resume that differs from the checkpoint's is noted (and so refused); an equal one is not. */
    @Test
    void changedAugmentationOnResumeIsNoted() {
        RunSpec base = parse(List.of("--aug-shift", "5", "--aug-noise", "0.3"));
        assertEquals(5, base.training().augShift);
        for (String[] flag : new String[][] {{"--aug-shift", "6"}, {"--aug-blend", "0.5"}, {"--aug-noise", "0.2"}, {"--aug-freq-mask", "3"},
                {"--aug-time-mask", "2"}}) {
            TrainFlags.Reader r = new TrainFlags.Reader(new Args("train", flag), Set.of());
            TrainFlags.rest(r, base);
            assertEquals(1, r.changed.size(), String.join(" ", flag) + ": " + r.changed);
            assertTrue(r.changed.get(0).startsWith(flag[0] + " " + flag[1]), r.changed.get(0));
        }
        TrainFlags.Reader same = new TrainFlags.Reader(new Args("train", new String[] {"--aug-shift", "5", "--aug-noise", "0.3"}), Set.of());
        TrainFlags.rest(same, base);
        assertEquals(List.of(), same.changed);
        // a run without augmentation writes no aug_* keys (its files stay as they were); one with them writes all five
        assertTrue(org.myelin.run.Codec.trainingToMap(new TrainConfig(), false).keySet().stream().noneMatch(k -> k.startsWith("aug_")));
        assertEquals(5, org.myelin.run.Codec.trainingToMap(base.training(), false).keySet().stream().filter(k -> k.startsWith("aug_")).count());
    }

    /** Every option a command reads appears in its --help, and so do --help and --threads. */
    @Test
    void everyOptionReadIsInTheHelp() {
        check(new TrainCommand(), "--bogus", "1"); // fails at the end of parsing, every option read
        check(new EvalCommand(), "--model", "/nonexistent/m.myelin");
        check(new AblationCommand(), "--out", "/nonexistent/abl", "--print-commands");
        check(new ExperimentCommand(), "--out", "/nonexistent/exp", "--print-commands");
        check(new InferCommand(), "--model", "/nonexistent/m.myelin", "--input", "/nonexistent/in");
        check(new FeaturesCommand(), "--data", "/nonexistent/data");
        check(new AnalyzeCommand(), "--trained", "/nonexistent/a.myelin", "--untrained", "/nonexistent/b.myelin", "--out", "/nonexistent/an");
    }

    private static void check(Command c, String... argv) {
        Args a = new Args(c.name(), argv);
        java.io.PrintStream out = System.out;
        try {
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            c.run(a);
        } catch (Exception expected) {
            // the file is missing: every option has been read by then
        } finally {
            System.setOut(out);
        }
        String help = c.help();
        Set<String> missing = new HashSet<>();
        for (String name : a.read()) {
            if (name.startsWith("no-") && a.read().contains(name.substring(3))) continue; // --no-X of a switch --X
            if (!Pattern.compile("--(\\[no-]|no-)?" + Pattern.quote(name) + "\\b").matcher(help).find()) missing.add(name);
        }
        assertEquals(Set.of(), missing, c.name() + " --help lacks these options it reads");
        assertTrue(help.contains("--help") && help.contains("--threads"), c.name() + " --help lists --help and --threads");
        assertTrue(a.read().size() > 5, c.name() + ": the options were read: " + a.read());
    }
}
