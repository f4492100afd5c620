package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --submit slurm} without a Slurm: the flags' one-line errors, the refusal when there is
 * no sbatch, the job script's content and the collect step's naming of failed tasks. The real
 * submission is {@link SlurmSubmitTest}'s.
 */
class SlurmFlagsTest {
    @TempDir
    Path dir;

    static final String[] SMALL = {"--sparsities", "0.5", "--repeats", "1", "--epochs", "1", "--train-size", "40", "--test-size", "20",
        "--hidden", "8", "--threads", "1"};

    static void oneLine(TrainEvalCommandTest.Run r, String... words) {
        assertEquals(2, r.code, r.err);
        assertEquals(1, r.err.strip().split("\n").length, "one line: " + r.err);
        for (String w : words) assertTrue(r.err.contains(w), "'" + w + "' in: " + r.err);
    }

    @Test
    void flagsAreCheckedByName() {
        String out = dir.resolve("a").toString();
        oneLine(TrainEvalCommandTest.main(TrainEvalCommandTest.args(new String[] {"ablation", "--out", out, "--submit", "pbs"}, SMALL)),
                "--submit", "slurm", "'pbs'");
        oneLine(TrainEvalCommandTest.main(TrainEvalCommandTest.args(new String[] {"ablation", "--out", out, "--wait"}, SMALL)),
                "--wait goes with --submit slurm");
        oneLine(TrainEvalCommandTest.main(TrainEvalCommandTest.args(new String[] {"ablation", "--out", out, "--sbatch-args", "-p x"}, SMALL)),
                "--sbatch-args goes with --submit slurm");
        oneLine(TrainEvalCommandTest.main(TrainEvalCommandTest.args(new String[] {"ablation", "--out", out, "--submit", "slurm", "--collect"},
                SMALL)), "--submit excludes");
        oneLine(TrainEvalCommandTest.main("experiment", "--out", out, "--submit", "slurm", "--print-commands", "--epochs", "1"),
                "--submit excludes --print-commands");
        assertFalse(Files.exists(dir.resolve("a")), "nothing written");
    }

    @Test
    void noSbatchOnThePathIsOneLineAndWritesNothing() throws Exception {
        Path out = dir.resolve("a");
        ProcessBuilder pb = new ProcessBuilder(HardKillResumeTest.java(TrainEvalCommandTest.args(
                new String[] {"ablation", "--out", out.toString(), "--submit", "slurm"}, SMALL)));
        pb.environment().put("PATH", dir.resolve("empty").toString());
        Path log = dir.resolve("log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String text = Files.readString(log, StandardCharsets.UTF_8).replaceAll("(?m)^WARNING:.*\n", "");
        assertEquals(2, p.exitValue(), text);
        assertEquals("myelin ablation: --submit slurm: no sbatch on the PATH (run on a Slurm login node, or use --print-commands)",
                text.strip());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void theScriptAsksForTheRunsResourcesAndResumesCheckpoints() {
        List<SlurmArray.Task> tasks = List.of(
                new SlurmArray.Task("both s0.5 r1", Path.of("o/runs/both/s0.5-r1/model.myelin.ckpt"),
                        List.of("train", "--seed", "1", "--out", "o/runs/both/s0.5-r1/model.myelin", "--threads", "3")),
                new SlurmArray.Task("it's", Path.of("o/x y.ckpt"), List.of("train", "--out", "o/x y", "--threads", "3")));
        String s = SlurmArray.script("ablation", Path.of("o"), tasks, 3, new SlurmArray.Memory(768, 1024));
        assertTrue(s.startsWith("#!/bin/bash\n"), s);
        for (String line : new String[] {"#SBATCH --array=1-2", "#SBATCH --cpus-per-task=3", "#SBATCH --mem=1024M", "#SBATCH --requeue",
            "#SBATCH --open-mode=append", "#SBATCH --signal=B:USR1@120", "#SBATCH --chdir=" + Path.of("").toAbsolutePath(),
            "#SBATCH --output=" + Path.of("o").toAbsolutePath().resolve("slurm").resolve("logs") + "/task-%a.log",
            "  1) run='both s0.5 r1'; ckpt=o/runs/both/s0.5-r1/model.myelin.ckpt; args=(train --seed 1 --out o/runs/both/s0.5-r1/model.myelin --threads 3) ;;",
            "  2) run='it'\\''s'; ckpt='o/x y.ckpt'; args=(train --out 'o/x y' --threads 3) ;;",
            "if [ -s \"$ckpt\" ]; then args=(train --resume \"$ckpt\" --threads 3); fi",
            "trap requeue USR1"}) {
            assertTrue(s.contains(line + "\n"), "missing: " + line + "\n" + s);
        }
        assertTrue(s.contains(" -Xmx768m"), s);
    }

    @Test
    void memoryIsTwiceThePreparedHeapPlusTheJvmsOwn() {
        assertEquals(new SlurmArray.Memory(128, 512), SlurmArray.Memory.of(10L << 20), "2 × 10 + 64 = 84 -> 128; task at least 512");
        assertEquals(new SlurmArray.Memory(2112, 2688), SlurmArray.Memory.of(1000L << 20), "2 × 1000 + 64 = 2064 -> 2112; + 528 = 2640 -> 2688");
        assertEquals(new SlurmArray.Memory(2112, 2688), SlurmArray.Memory.of((1000L << 20) - 5), "MiB rounded up");
        assertEquals(new SlurmArray.Memory(576, 832), SlurmArray.Memory.of(250L << 20), "heap 564 -> 576; + 256 = 832");
    }

    @Test
    void collectNamesTheTasksThatFailed() throws Exception {
        Path out = dir.resolve("o"), s = out.resolve("slurm");
        Files.createDirectories(s.resolve("status"));
        Files.writeString(s.resolve("tasks.tsv"), "task\trun\tcheckpoint\n1\tboth s0.5 r1\tc1\n2\tdelays s0.5 r1\tc2\n3\tneither s0.5 r1\tc3\n"
                + "4\tstructure s0.5 r1\tc4\n");
        Files.writeString(s.resolve("status").resolve("task-1"), "3\n");
        Files.writeString(s.resolve("status").resolve("task-2"), "2\n");
        Files.writeString(s.resolve("status").resolve("task-4"), "0\n");
        List<String> f = SlurmArray.failures(out, List.of("both s0.5 r1", "delays s0.5 r1", "neither s0.5 r1"));
        assertEquals(3, f.size(), f.toString());
        assertEquals("run both s0.5 r1 (Slurm task 1) exit 3 (training diverged: not retried); log " + s.resolve("logs").resolve("task-1.log"),
                f.get(0));
        assertTrue(f.get(1).contains("delays s0.5 r1 (Slurm task 2) exit 2 (bad input or settings: not retried)"), f.get(1));
        assertTrue(f.get(2).contains("neither s0.5 r1 (Slurm task 3) did not finish"), f.get(2));
        assertTrue(SlurmArray.failures(dir.resolve("never"), List.of("both s0.5 r1")).isEmpty(), "never submitted: nothing to say");
    }
}
