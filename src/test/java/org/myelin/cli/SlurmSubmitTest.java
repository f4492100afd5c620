package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.io.Json;

/**
 * {@code --submit slurm} against a real Slurm: run when {@code sbatch} is on the PATH and
 * {@code sinfo} reaches a controller ({@code .ci/slurm-up} starts a one-node cluster on this
 * machine), skipped with a message otherwise. An ablation of the built-in task (2 sparsities × 2
 * repeats, 4 epochs) is submitted with {@code --wait}; one task is killed mid-run
 * ({@code scancel --signal=KILL}) and requeued ({@code scontrol requeue}), continues from its
 * checkpoint, and the collected CSV equals the same ablation run in one process, every accuracy
 * to the bit. A run failing by itself (a learning rate that overflows the weights) is named at
 * collect and not retried; sbatch refusing the script is one line with its message.
 */
class SlurmSubmitTest {
    @TempDir
    Path dir;

    static final String[] ABLATION = {"ablation", "--sparsities", "0.5,0.75", "--repeats", "2", "--epochs", "4", "--train-size", "300",
        "--test-size", "100", "--hidden", "16", "--max-delay", "8", "--batch", "20", "--threads", "1", "--seed", "3"};

    @BeforeAll
    static void needsSlurm() throws Exception {
        assumeTrue(SlurmArray.onPath("sbatch") != null, "no sbatch on the PATH: the Slurm integration test is skipped (start a "
                + "one-node Slurm with .ci/slurm-up as root to run it)");
        Process p = new ProcessBuilder("sinfo", "-h", "-o", "%T").redirectErrorStream(true).start();
        boolean ended = p.waitFor(30, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly().waitFor(); // a controller that never answers must not hang the suite
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(ended && p.exitValue() == 0 && !text.isBlank(), "sbatch is there but no Slurm controller answers (sinfo: "
                + text.strip() + "): skipped (start one with .ci/slurm-up as root)");
    }

    static String slurm(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + text);
        return text;
    }

    /** The CSV's rows without the wall-time column (the one column that differs between runs). */
    static List<String> rows(Path csv) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) out.add(line.substring(0, line.lastIndexOf(',')));
        return out;
    }

    @Test
    void killedAndRequeuedTaskResumesAndTheSweepEqualsOneProcess() throws Exception {
        Path out = dir.resolve("slurm-sweep");
        Path log = dir.resolve("submit.log");
        Process submit = new ProcessBuilder(HardKillResumeTest.java(TrainEvalCommandTest.args(ABLATION, "--out", out.toString(),
                "--submit", "slurm", "--wait"))).redirectErrorStream(true).redirectOutput(log.toFile()).start();

        Path jobFile = out.resolve("slurm").resolve("job");
        Path ck = out.resolve("runs/both/s0.5-r1/model.myelin.ckpt"), report = out.resolve("runs/both/s0.5-r1/report.json");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!(Files.isRegularFile(jobFile) && Files.isRegularFile(ck)) && submit.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(Files.isRegularFile(ck), "task 1 wrote no checkpoint: " + Files.readString(log));
        String job = Files.readString(jobFile).trim();
        slurm("scancel", "--signal=KILL", job + "_1");
        assertFalse(Files.exists(report), "the kill must come before task 1 finished (make the runs longer)");
        Thread.sleep(1000);
        slurm("scontrol", "requeue", job + "_1");
        // Slurm holds a requeued task for about two minutes (its begin time) before it runs again

        assertTrue(submit.waitFor(20, TimeUnit.MINUTES), "the sweep did not end: " + Files.readString(log));
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, submit.exitValue(), text);
        assertTrue(text.contains("submitted Slurm job " + job + ": 16 array tasks (1 CPU,"), text);
        String task1 = Files.readString(out.resolve("slurm/logs/task-1.log"), StandardCharsets.UTF_8);
        assertTrue(task1.contains("start 1") && task1.contains("train --resume " + ck), "task 1 ran again from its checkpoint: " + task1);
        assertTrue(task1.contains("resumed from"), task1);

        Path one = dir.resolve("one-process");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main(TrainEvalCommandTest.args(ABLATION, "--out", one.toString()));
        assertEquals(0, r.code, r.err);
        List<String> a = rows(out.resolve("ablation.csv")), b = rows(one.resolve("ablation.csv"));
        assertEquals(17, a.size(), a.toString());
        assertEquals(b, a, "every accuracy of the Slurm sweep equals the one-process sweep's");

        // the sweep is complete: another submission has nothing to do and collects
        TrainEvalCommandTest.Run again = TrainEvalCommandTest.main(TrainEvalCommandTest.args(ABLATION, "--out", out.toString(), "--submit", "slurm"));
        assertEquals(0, again.code, again.err);
        assertTrue(again.err.contains("all 16 runs are complete: nothing to submit"), again.err);
        // an output folder of other settings is refused, naming them
        TrainEvalCommandTest.Run other = TrainEvalCommandTest.main(TrainEvalCommandTest.args(ABLATION, "--out", out.toString(), "--submit", "slurm",
                "--hidden", "12"));
        SlurmFlagsTest.oneLine(other, "another configuration", "hidden");
    }

    @Test
    void stoppingTheWaitLeavesTheJobRunningAndCollectFinishesLater() throws Exception {
        Path out = dir.resolve("stopped");
        String[] small = {"ablation", "--out", out.toString(), "--sparsities", "0.5", "--repeats", "1", "--epochs", "1", "--train-size", "60",
            "--test-size", "30", "--hidden", "8", "--threads", "1"};
        Path log = dir.resolve("stopped.log");
        // held, so that it is surely still queued while the waiting stops and a second submission is tried
        Process p = new ProcessBuilder(HardKillResumeTest.java(TrainEvalCommandTest.args(small, "--submit", "slurm", "--wait",
                "--sbatch-args", "--hold")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path jobFile = out.resolve("slurm").resolve("job");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.isRegularFile(jobFile) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(Files.isRegularFile(jobFile), Files.readString(log));
        String job = Files.readString(jobFile).trim();
        Thread.sleep(500);
        p.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM's shutdown hooks run
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(text.contains("ablation: stopped waiting; Slurm job " + job + " keeps running (squeue -j " + job
                + "); collect later: the same command with --collect in place of --submit slurm"), text);
        // a second submission into the folder is refused while its job is queued
        TrainEvalCommandTest.Run twice = TrainEvalCommandTest.main(TrainEvalCommandTest.args(small, "--submit", "slurm"));
        SlurmFlagsTest.oneLine(twice, "job " + job + " of " + out + " is still queued or running");
        // the job goes on without the waiting process
        slurm("scontrol", "release", job);
        while (!SlurmArray.queued(job).isEmpty() && System.nanoTime() < deadline + TimeUnit.MINUTES.toNanos(5)) Thread.sleep(1000);
        TrainEvalCommandTest.Run c = TrainEvalCommandTest.main(TrainEvalCommandTest.args(small, "--collect"));
        assertEquals(0, c.code, c.err);
        assertEquals(5, Files.readAllLines(out.resolve("ablation.csv")).size());
        assertFalse(c.err.contains("runs have no complete report"), c.err);
    }

    @Test
    @SuppressWarnings("unchecked")
    void experimentTrainsOnSlurmAndAnalysesHereAsInOneProcess() throws Exception {
        String[] exp = {"experiment", "--variants", "dense", "--repeats", "2", "--epochs", "2", "--train-size", "100", "--test-size", "50",
            "--hidden", "8", "--max-delay", "6", "--threads", "1", "--permutations", "20", "--no-heatmaps"};
        Path out = dir.resolve("exp-slurm"), one = dir.resolve("exp-one");
        Process p = new ProcessBuilder(HardKillResumeTest.java(TrainEvalCommandTest.args(exp, "--out", out.toString(), "--submit", "slurm",
                "--wait"))).redirectErrorStream(true).redirectOutput(dir.resolve("exp.log").toFile()).start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES));
        String text = Files.readString(dir.resolve("exp.log"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("submitted Slurm job") && text.contains("2 array tasks"), text);
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main(TrainEvalCommandTest.args(exp, "--out", one.toString()));
        assertEquals(0, r.code, r.err);
        Map<String, Object> a = (Map<String, Object>) Json.parse(Files.readString(out.resolve("experiment.json")));
        Map<String, Object> b = (Map<String, Object>) Json.parse(Files.readString(one.resolve("experiment.json")));
        assertEquals(((Map<String, Object>) b.get("dense")).get("test_accuracies"), ((Map<String, Object>) a.get("dense")).get("test_accuracies"));
        assertEquals(((Map<String, Object>) b.get("dense")).get("U"), ((Map<String, Object>) a.get("dense")).get("U"));
        assertEquals(((Map<String, Object>) b.get("dense")).get("p"), ((Map<String, Object>) a.get("dense")).get("p"));
    }

    @Test
    void aRunFailingByItselfIsNamedAndNotRetried() throws Exception {
        Path out = dir.resolve("bad");
        Process p = new ProcessBuilder(HardKillResumeTest.java("experiment", "--out", out.toString(), "--variants", "dense", "--repeats", "1",
                "--epochs", "2", "--train-size", "100", "--test-size", "50", "--hidden", "8", "--max-lr", "1e38", "--threads", "1",
                "--submit", "slurm", "--wait")).redirectErrorStream(true).redirectOutput(dir.resolve("bad.log").toFile()).start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES));
        String text = Files.readString(dir.resolve("bad.log"), StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), text);
        assertTrue(text.contains("experiment: run dense r1 (Slurm task 1) exit 2 (bad input or settings: not retried); log "), text);
        assertTrue(text.contains("1 of 1 training runs are not complete; no analysis"), text);
        String task = Files.readString(out.resolve("slurm/logs/task-1.log"), StandardCharsets.UTF_8);
        assertTrue(task.contains("is not finite") && !task.contains("start 1"), "ran once, failed by itself: " + task);
    }

    @Test
    void sbatchRefusingTheScriptIsOneLineWithItsMessage() {
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("ablation", "--out", dir.resolve("x").toString(), "--sparsities", "0.5",
                "--repeats", "1", "--epochs", "1", "--train-size", "40", "--test-size", "20", "--hidden", "8", "--threads", "1",
                "--submit", "slurm", "--sbatch-args", "--partition=no-such-partition");
        assertEquals(2, r.code, r.err);
        String[] lines = r.err.strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("myelin ablation: --submit slurm: sbatch refused ") && last.contains("array.sh: ")
                && last.toLowerCase(java.util.Locale.ROOT).contains("partition"), "one line with sbatch's message: " + r.err);
        for (int k = 0; k < lines.length - 1; k++) assertFalse(lines[k].startsWith("myelin"), "progress lines only before it: " + r.err);
        assertTrue(r.out.isBlank(), "no job id: " + r.out);
    }
}
