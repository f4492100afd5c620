package org.myelin.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.cli.Args;
import org.myelin.cli.UsageException;
import org.myelin.io.Npy;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.NetworkKernel;
import org.myelin.kernel.Parallel;
import org.myelin.kernel.Readout;
import org.myelin.model.Model;

/** The infer command on a saved model and a features file, and its error paths. */
class InferCommandTest {
    static final int IN = 40, H = 64, OUT = 20, T = 80, TD = 10, N = 4;

    static String run(String... argv) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            assertEquals(0, new InferCommand(ps).run(new Args("infer", argv)));
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheTrainersClassForEverySample(@TempDir Path dir) throws Exception {
        Model m = TestModels.random(21, IN, H, OUT, T, TD, Readout.VSUM, true, 0.5f);
        Path model = dir.resolve("m.myelin");
        m.save(model);
        float[] x = TestModels.inputs(22, N, T, IN);
        Path feats = dir.resolve("x.npy");
        Npy.write(feats, x, N, T, IN);
        int[] expected = new int[N];
        try (Parallel par = new Parallel(1)) {
            NetworkKernel k = new NetworkKernel(m.config, m.layer1, m.layer2, m.bnGamma, m.bnBeta, m.bnMean, m.bnVar, KernelProvider.scalar(), par);
            k.forward(x, N, false, null);
            for (int b = 0; b < N; b++) expected[b] = k.predict(b);
        }
        String out = run("--model", model.toString(), "--features", feats.toString(), "--warmup", "100");
        for (int b = 0; b < N; b++) {
            Matcher mt = Pattern.compile("(?m)^sample " + b + ": class (\\d+)  scores( -?\\d+\\.\\d{4}){" + OUT + "}$").matcher(out);
            assertTrue(mt.find(), "no line for sample " + b + " in:\n" + out);
            assertEquals(expected[b], Integer.parseInt(mt.group(1)), "class of sample " + b);
        }
        assertTrue(Pattern.compile("latency per step: mean \\d+\\.\\d\\d µs, p99 \\d+\\.\\d\\d µs over " + N * T + " steps").matcher(out).find(), out);
        // --limit, and a single T × C utterance
        assertTrue(run("--model", model.toString(), "--features", feats.toString(), "--limit", "1", "--warmup", "0").contains("over " + T + " steps of 1 utterance "));
        Path one = dir.resolve("one.npy");
        float[] u = java.util.Arrays.copyOfRange(x, 2 * T * IN, 3 * T * IN);
        Npy.write(one, u, T, IN);
        assertTrue(run("--model", model.toString(), "--features", one.toString()).contains("sample 0: class " + expected[2] + " "));
    }

    @Test
    void audioInputGivesTheSameScoresAsFlacAndWav(@TempDir Path dir) throws Exception {
        Model m = TestModels.random(29, IN, H, OUT, T, TD, Readout.VSUM, false, 0.5f);
        Path model = dir.resolve("m.myelin");
        m.save(model);
        Path wav = Path.of("golden", "audio", "g3_48000_m16.wav");
        Path flac = Path.of("golden", "audio", "g3_48000_m16.flac");
        assertTrue(java.nio.file.Files.exists(wav) && java.nio.file.Files.exists(flac), "committed audio fixtures missing");
        String a = run("--model", model.toString(), "--input", wav.toString());
        String b = run("--model", model.toString(), "--input", flac.toString());
        assertTrue(a.contains("sample 0: class ") && b.contains("sample 0: class "), a + b);
        String scoresA = a.substring(a.indexOf("sample 0: class "), a.indexOf("latency"));
        String scoresB = b.substring(b.indexOf("sample 0: class "), b.indexOf("latency"));
        org.junit.jupiter.api.Assertions.assertEquals(scoresA, scoresB, "the same audio as WAV and as FLAC must give the same scores");
    }

    @Test
    void errorsAreOneLineUsageOrArgumentExceptions(@TempDir Path dir) throws Exception {
        Model m = TestModels.random(23, IN, H, OUT, T, TD, Readout.VSUM, false, 0.5f);
        Path model = dir.resolve("m.myelin");
        m.save(model);
        Path feats = dir.resolve("x.npy");
        Npy.write(feats, new float[2 * T * 30], 2, T, 30);
        InferCommand c = new InferCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> c.run(new Args("infer", new String[] {"--model", model.toString(), "--input", dir.resolve("absent.wav").toString()})));
        UsageException e = assertThrows(UsageException.class, () -> c.run(new Args("infer", new String[] {"--features", feats.toString()})));
        assertTrue(e.getMessage().contains("--model"), e.getMessage());
        e = assertThrows(UsageException.class, () -> c.run(new Args("infer", new String[] {"--model", model.toString(), "--features", feats.toString()})));
        assertTrue(e.getMessage().contains("30 channels but the model takes 40"), e.getMessage());
        assertThrows(UsageException.class, () -> c.run(new Args("infer", new String[] {"--model", model.toString()})));
        assertThrows(UsageException.class, () -> c.run(new Args("infer", new String[] {"--model", model.toString(), "--features", feats.toString(), "--bogus", "1"})));
        float[] bad = new float[T * IN];
        bad[17] = Float.NaN;
        Path nan = dir.resolve("nan.npy");
        Npy.write(nan, bad, T, IN);
        e = assertThrows(UsageException.class, () -> c.run(new Args("infer", new String[] {"--model", model.toString(), "--features", nan.toString()})));
        assertTrue(e.getMessage().contains("not finite"), e.getMessage());
        byte[] b = Files.readAllBytes(model);
        b[8] = 9;
        Path other = dir.resolve("other.myelin");
        Files.write(other, b);
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
                () -> c.run(new Args("infer", new String[] {"--model", other.toString(), "--features", feats.toString()})));
        assertTrue(v.getMessage().contains("version 9"), v.getMessage());
        assertTrue(c.help().contains("--features") && c.help().contains("--input"));
        for (String msg : new String[] {e.getMessage(), v.getMessage()}) assertTrue(!msg.contains("\n"), "multi-line message: " + msg);
    }
}
