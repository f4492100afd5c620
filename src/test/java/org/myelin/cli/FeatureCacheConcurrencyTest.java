package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.AudioDatasets;

/**
 * The feature cache under concurrency: two real JVM processes asking for one cache at once get
 * one build (the other waits on the folder's lock and reuses it), for the {@code features}
 * command and for {@code train} (which also reads the cache under the lock); two threads of one
 * JVM likewise. The recordings are generated (a 36-file FSDD-shaped folder), so nothing is skipped.
 */
class FeatureCacheConcurrencyTest {
    @TempDir
    Path dir;

    static String log(Path f) throws Exception {
        return Files.readString(f, StandardCharsets.UTF_8);
    }

    static Process start(Path log, String... argv) throws Exception {
        return new ProcessBuilder(HardKillResumeTest.java(argv)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Exactly one of the logs says the features were written, the other that they were up to date. */
    static void oneBuild(String a, String b) {
        int wrote = (a.contains("wrote 36 samples") ? 1 : 0) + (b.contains("wrote 36 samples") ? 1 : 0);
        int reused = (a.contains("up to date: 36 samples") ? 1 : 0) + (b.contains("up to date: 36 samples") ? 1 : 0);
        assertEquals(1, wrote, "one build:\n--- first\n" + a + "\n--- second\n" + b);
        assertEquals(1, reused, "one reuse:\n--- first\n" + a + "\n--- second\n" + b);
    }

    @Test
    void twoProcessesWaitingOnTheLockGetOneBuild() throws Exception {
        Path data = KwsCommandsTest.fsddLike(dir.resolve("audio"), 8000);
        Path root = dir.resolve("cache");
        Path folder = AudioDatasets.cacheFolder(data, root);
        Path la = dir.resolve("a.log"), lb = dir.resolve("b.log");
        Process a, b;
        // this test holds the folder's lock while both start, so both are sure to ask at once
        try (FileChannel ch = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            String[] argv = {"features", "--data", data.toString(), "--cache", root.toString(), "--threads", "1"};
            a = start(la, argv);
            b = start(lb, argv);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(log(la).contains("waiting for") && log(lb).contains("waiting for")) && a.isAlive() && b.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(log(la).contains("another process is building or reading it"), "first waits: " + log(la));
            assertTrue(log(lb).contains("another process is building or reading it"), "second waits: " + log(lb));
            assertTrue(a.isAlive() && b.isAlive(), "both wait while the lock is held");
        }
        assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, a.exitValue(), log(la));
        assertEquals(0, b.exitValue(), log(lb));
        oneBuild(log(la), log(lb));
        assertTrue(Files.isRegularFile(folder.resolve("meta.json")));
    }

    @Test
    void twoTrainingProcessesStartedTogetherGetOneBuild() throws Exception {
        Path data = KwsCommandsTest.fsddLike(dir.resolve("audio"), 8000);
        Path root = dir.resolve("cache");
        List<Process> ps = new ArrayList<>();
        Path[] logs = {dir.resolve("a.log"), dir.resolve("b.log")};
        for (int k = 0; k < 2; k++) {
            ps.add(start(logs[k], "train", "--data", data.toString(), "--cache", root.toString(), "--epochs", "1", "--hidden", "8",
                    "--max-delay", "4", "--batch", "8", "--threads", "1", "--out", dir.resolve("m" + k + ".myelin").toString()));
        }
        for (int k = 0; k < 2; k++) {
            assertTrue(ps.get(k).waitFor(300, TimeUnit.SECONDS));
            assertEquals(0, ps.get(k).exitValue(), log(logs[k]));
        }
        // whether they overlapped or not, the features were computed once
        oneBuild(log(logs[0]), log(logs[1]));
    }

    @Test
    void twoThreadsOfOneProcessGetOneBuild() throws Exception {
        Path data = KwsCommandsTest.fsddLike(dir.resolve("audio"), 8000);
        Path out = dir.resolve("features");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<AudioDatasets.Summary> build = () -> AudioDatasets.build(data, out,
                    new AudioDatasets.Options().threads(1).progress(false));
            Future<AudioDatasets.Summary> x = pool.submit(build), y = pool.submit(build);
            AudioDatasets.Summary sx = x.get(120, TimeUnit.SECONDS), sy = y.get(120, TimeUnit.SECONDS);
            assertEquals(1, (sx.reused ? 1 : 0) + (sy.reused ? 1 : 0), "one built, one reused");
        } finally {
            pool.shutdownNow();
        }
    }
}
