package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.io.Container;
import org.myelin.run.Codec;
import org.myelin.run.RunResult;

/**
 * A real {@code myelin train} process killed with SIGKILL (Process.destroyForcibly on Unix) after
 * its first checkpoint, then {@code train --resume CKPT} alone in a new process: the model and the
 * report land where the killed run asked, and equal (every array, every epoch's numbers) those of
 * an uninterrupted process. The processes run this JVM's classes with this JVM's choice of the
 * Vector API module, so all three use the same kernels.
 */
class HardKillResumeTest {
    @TempDir
    Path dir;

    static final String[] RUN = {"train", "--train-size", "400", "--test-size", "100", "--hidden", "24", "--max-delay", "8",
        "--epochs", "4", "--batch", "20", "--threads", "1", "--seed", "3"};
    static final int KILL_TRIES = 5;

    static List<String> java(String... argv) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) cmd.add("--add-modules=jdk.incubator.vector");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(argv));
        return cmd;
    }

    Process start(Path log, String... argv) throws Exception {
        return new ProcessBuilder(java(argv)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static String[] with(String[] a, String... b) {
        return TrainEvalCommandTest.args(a, b);
    }

    @Test
    void killedMidRunThenResumedEqualsUninterrupted() throws Exception {
        Path full = dir.resolve("full.myelin"), fullReport = dir.resolve("full.json");
        Process f = start(dir.resolve("full.log"), with(RUN, "--out", full.toString(), "--report", fullReport.toString()));

        Path model = dir.resolve("r.myelin"), report = dir.resolve("r.json"), ck = dir.resolve("r.myelin.ckpt");
        // The kill must land between the first checkpoint and the end of the run. Polling cannot
        // promise that on a loaded machine (the poller may be descheduled while a short run ends),
        // so a kill that came too late is not a result: the killed run starts over, up to
        // KILL_TRIES times, and the scenario under test is always the one checked below.
        Codec.Checkpoint c;
        for (int attempt = 1; ; attempt++) {
            for (Path p : new Path[] {model, report, ck}) Files.deleteIfExists(p);
            Process k = start(dir.resolve("killed.log"), with(RUN, "--out", model.toString(), "--report", report.toString()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(ck) && k.isAlive() && System.nanoTime() < deadline) Thread.sleep(1);
            k.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            assertTrue(k.waitFor(30, TimeUnit.SECONDS));
            String killedLog = Files.readString(dir.resolve("killed.log"));
            assertTrue(Files.exists(ck), "no checkpoint appeared: " + killedLog);
            c = Codec.readCheckpoint(ck);
            if (!Files.exists(model) && !Files.exists(report) && c.epochsDone() < 4) break;
            assertTrue(attempt < KILL_TRIES, "the run finished before the kill in " + KILL_TRIES + " tries (make the run longer): " + killedLog);
        }
        assertTrue(c.epochsDone() >= 1 && c.epochsDone() < 4, "killed mid-run, after epoch " + c.epochsDone());

        Process r = start(dir.resolve("resumed.log"), "train", "--resume", ck.toString());
        assertTrue(r.waitFor(300, TimeUnit.SECONDS));
        String log = Files.readString(dir.resolve("resumed.log"), StandardCharsets.UTF_8);
        assertEquals(0, r.exitValue(), log);
        assertTrue(log.contains("resumed from " + ck + " after epoch " + c.epochsDone()), log);
        assertTrue(f.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, f.exitValue(), Files.readString(dir.resolve("full.log")));

        assertTrue(Files.isRegularFile(model) && Files.isRegularFile(report), "written where the killed run asked");
        Container a = Container.read(full, 'M'), b = Container.read(model, 'M');
        assertEquals(a.arrays.keySet(), b.arrays.keySet());
        for (String key : a.arrays.keySet()) {
            Object x = a.arrays.get(key), y = b.arrays.get(key);
            if (x instanceof float[]) assertArrayEquals((float[]) x, (float[]) y, key);
            else assertArrayEquals((int[]) x, (int[]) y, key);
        }
        RunResult ra = Codec.readReport(fullReport), rb = Codec.readReport(report);
        assertEquals(4, rb.epochs().size(), "the report holds every epoch, those before the kill too");
        assertEquals(ra.testAccuracy(), rb.testAccuracy(), 0.0);
        for (int e = 0; e < 4; e++) {
            assertEquals(ra.epochs().get(e).trainLoss(), rb.epochs().get(e).trainLoss(), 0.0, "epoch " + (e + 1) + " train loss");
            assertEquals(ra.epochs().get(e).testLoss(), rb.epochs().get(e).testLoss(), 0.0, "epoch " + (e + 1) + " test loss");
        }
        assertTrue(new File(dir.toFile(), "r.myelin.ckpt").isFile());
    }
}
