package org.myelin.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.GeneratedAudio;

/**
 * myelin-engine.jar (built by Maven before the tests, at process-test-classes): what it holds, its
 * module, and an application that depends on it alone — compiled against the jar and run in a JVM
 * of its own on the class path and the module path, with and without the Vector API module (and on
 * JDK 25 when it is installed) — printing the words of a model trained here on generated audio.
 * The shipped {@link org.myelin.edge.example.EmbeddingExample} is run from the jar the same ways.
 */
class EngineJarTest {
    static final Path JAR = Path.of("target", "myelin-engine.jar");
    static final Path JDK25 = Path.of(System.getProperty("myelin.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java");

    @TempDir
    static Path dir;
    static Path model, wav, appClasses, appModules;
    static List<String> expected;

    /** Trains a 3-class model on generated words (FSDD layout: its classes are named "zero" .. "nine"), writes a recording of two words. */
    @BeforeAll
    static void trainAndBuildTheApp() throws Exception {
        // mvn test always has it (built at process-test-classes); test-compile + surefire:test alone does not make it
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(JAR),
                JAR + " not built: it is made at process-test-classes (mvn -B test, or mvn -B process-test-classes first)");
        Path audio = GeneratedAudio.toneFsdd(dir.resolve("audio"), 8000);
        model = dir.resolve("words.myelin");
        train("--data", audio.toString(), "--no-cache", "--epochs", "3", "--hidden", "16", "--max-delay", "5",
                "--batch", "8", "--threads", "1", "--seed", "3", "--out", model.toString());

        // a 16 kHz recording: word 2, a pause, word 1 (resampled to the model's 8 kHz by the engine)
        float[] x = new float[16000 * 2];
        Random q = new Random(7);
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.003 * q.nextGaussian());
        float[] a = GeneratedAudio.word(2, 16000, q), b = GeneratedAudio.word(1, 16000, q);
        for (int i = 0; i < a.length; i++) x[4000 + i] += a[i];
        for (int i = 0; i < b.length; i++) x[20000 + i] += b[i];
        wav = dir.resolve("two-words.wav");
        GeneratedAudio.wav(wav, 16000, x);

        // what the API says in this JVM: the lines the programs must print
        KeywordSpotter sp = KeywordSpotter.load(model);
        assertEquals(List.of("zero", "one", "two"), sp.classNames().subList(0, 3), "the FSDD layout names the digits");
        Recording rec = Recording.read(wav);
        List<Word> words = new ArrayList<>();
        try (WordStream s = sp.openStream(Options.builder().sampleRate(rec.sampleRate()).build(), words::add)) {
            rec.pushTo(s, 20);
        }
        expected = words.stream().map(Word::toString).collect(Collectors.toList());
        assertEquals(2, words.size(), "two words heard: " + words);

        // the application: org.myelin.edge only, compiled against the engine jar alone
        String app = "package app;\n"
                + "import java.nio.file.Path;\n"
                + "import org.myelin.edge.*;\n"
                + "public final class App {\n"
                + "    public static void main(String[] args) throws Exception {\n"
                + "        KeywordSpotter spotter = KeywordSpotter.load(Path.of(args[0]));\n"
                + "        Recording rec = Recording.read(Path.of(args[1]));\n"
                + "        float[] pcm = rec.samples();\n"
                + "        Options o = Options.builder().sampleRate(rec.sampleRate()).build();\n"
                + "        try (WordStream s = spotter.openStream(o, w -> System.out.println(w))) {\n"
                + "            for (int q = 0; q < pcm.length; q += 320) s.push(pcm, q, Math.min(320, pcm.length - q));\n"
                + "        }\n"
                + "        System.out.println(\"kernels \" + spotter.kernels());\n"
                + "    }\n"
                + "}\n";
        Path src = dir.resolve("src/app/App.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, app);
        appClasses = dir.resolve("classes");
        javac("-d", appClasses.toString(), "-cp", JAR.toString(), src.toString());
        Path modSrc = dir.resolve("modsrc");
        Files.createDirectories(modSrc.resolve("app"));
        Files.copy(src, modSrc.resolve("app/App.java"));
        Files.writeString(modSrc.resolve("module-info.java"), "module app { requires org.myelin.edge; }\n");
        appModules = dir.resolve("mods/app");
        javac("-d", appModules.toString(), "--module-path", JAR.toString(), modSrc.resolve("module-info.java").toString(),
                modSrc.resolve("app/App.java").toString());
    }

    static void javac(String... args) {
        JavaCompiler c = javax.tools.ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = c.run(null, null, err, args);
        assertEquals(0, code, "javac " + String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8));
    }

    record Ran(int code, String out, String err) {}

    static Ran java(Path javaExe, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExe.toString());
        cmd.add("-Xshare:auto");
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static Path thisJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The words of the run equal those of the API in this JVM; the log line names the kernels chosen. */
    static void assertWords(Ran r, String kernels, String how) {
        assertEquals(0, r.code, how + ": " + r.err);
        List<String> lines = r.out.lines().filter(l -> !l.startsWith("kernels ")).collect(Collectors.toList());
        assertEquals(expected, lines, how + " prints the words");
        assertTrue(r.err.contains("myelin kernels: " + kernels), how + ": the log line says " + kernels + ": " + r.err);
    }

    @Test
    void theJarHoldsOnlyTheEngineUnder250KbAsTheModuleOrgMyelinEdge() throws IOException {
        long size = Files.size(JAR);
        assertTrue(size <= 250 * 1024, "myelin-engine.jar is " + size + " bytes");
        List<String> forbidden = new ArrayList<>();
        try (JarFile jf = new JarFile(JAR.toFile())) {
            jf.stream().map(e -> e.getName()).filter(n -> n.matches("(META-INF/versions/\\d+/)?org/myelin/(train|cli|analysis|structure|run)/.*"))
                    .forEach(forbidden::add);
            assertEquals("true", jf.getManifest().getMainAttributes().getValue("Multi-Release"));
            assertTrue(jf.getEntry("org/myelin/edge/KeywordSpotter.class") != null);
        }
        assertEquals(List.of(), forbidden, "no trainer, CLI, analysis, structure learning or run API in the engine jar");
        Set<ModuleReference> mods = ModuleFinder.of(JAR).findAll();
        assertEquals(1, mods.size());
        ModuleDescriptor d = mods.iterator().next().descriptor();
        assertEquals("org.myelin.edge", d.name());
        assertFalse(d.isAutomatic(), "a module-info, not an automatic module (which would export every package)");
        assertEquals(Set.of("org.myelin.edge"), d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.packages().contains("org.myelin.engine") && d.packages().contains("org.myelin.kernel"));
    }

    /** jdeps: every class the jar's classes use is in the jar or the JDK (a class left out of engine.includes fails here). */
    @Test
    void everyClassTheEngineUsesIsInTheJar() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = jdeps.run(p, p, "-verbose:class", "-filter:none", "--multi-release", "17", "--add-modules", "jdk.incubator.vector", JAR.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        List<String> missing = text.lines().filter(l -> l.contains("not found")).collect(Collectors.toList());
        assertEquals(List.of(), missing, "classes the engine jar needs but lacks");
        assertTrue(text.contains("org.myelin.edge.KeywordSpotter") && text.contains("-> org.myelin.engine.Spotter"), "jdeps read the classes: " + text.lines().limit(5).collect(Collectors.toList()));
        // the modules it needs: java.base and (optionally) the Vector API, nothing else
        Set<String> modules = text.lines().filter(l -> l.matches("\\S.*-> \\S+")).map(l -> l.substring(l.indexOf("-> ") + 3).trim())
                .collect(Collectors.toSet());
        assertTrue(Set.of("java.base", "jdk.incubator.vector", "not found").containsAll(modules), "modules used: " + modules);
    }

    @Test
    void anApplicationOnTheEngineJarAloneRunsOnTheClassPathWithAndWithoutTheVectorApi() throws Exception {
        String cp = JAR + java.io.File.pathSeparator + appClasses;
        assertWords(java(thisJava(), "--add-modules", "jdk.incubator.vector", "-cp", cp, "app.App", model.toString(), wav.toString()),
                "vector", "class path, Vector API");
        assertWords(java(thisJava(), "-cp", cp, "app.App", model.toString(), wav.toString()), "scalar", "class path, no Vector API");
    }

    @Test
    void anApplicationOnTheEngineJarAloneRunsOnTheModulePathWithAndWithoutTheVectorApi() throws Exception {
        String mp = JAR + java.io.File.pathSeparator + appModules;
        assertWords(java(thisJava(), "--add-modules", "jdk.incubator.vector", "-p", mp, "-m", "app/app.App", model.toString(), wav.toString()),
                "vector", "module path, Vector API");
        assertWords(java(thisJava(), "-p", mp, "-m", "app/app.App", model.toString(), wav.toString()), "scalar", "module path, no Vector API");
    }

    @Test
    void theEmbeddingExampleRunsFromTheEngineJarOnBothPaths() throws Exception {
        String main = "org.myelin.edge.example.EmbeddingExample";
        assertWords(java(thisJava(), "--add-modules", "jdk.incubator.vector", "-cp", JAR.toString(), main, model.toString(), wav.toString()),
                "vector", "EmbeddingExample, class path");
        assertWords(java(thisJava(), "-p", JAR.toString(), "-m", "org.myelin.edge/" + main, model.toString(), wav.toString()), "scalar",
                "EmbeddingExample, module path");
        Ran usage = java(thisJava(), "-cp", JAR.toString(), main);
        assertEquals(2, usage.code);
        assertTrue(usage.err.contains("usage: EmbeddingExample MODEL.myelin RECORDING.wav"), usage.err);
    }

    /** On JDK 25 the jar's JDK 25 kernels are chosen, on both paths (skipped, saying so, without a JDK 25). */
    @Test
    void onJdk25TheJarRunsItsJdk25KernelsOnBothPaths() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(JDK25), "no JDK 25 at " + JDK25 + " (-Dmyelin.jdk25=DIR): not run on JDK 25");
        String cp = JAR + java.io.File.pathSeparator + appClasses, mp = JAR + java.io.File.pathSeparator + appModules;
        assertWords(java(JDK25, "--add-modules", "jdk.incubator.vector", "-cp", cp, "app.App", model.toString(), wav.toString()), "vector-",
                "JDK 25, class path");
        Ran r = java(JDK25, "--add-modules", "jdk.incubator.vector", "-p", mp, "-m", "app/app.App", model.toString(), wav.toString());
        assertWords(r, "vector-", "JDK 25, module path");
        assertTrue(r.err.contains("JDK 25"), "the JDK 25 classes of the multi-release jar: " + r.err);
    }

    /**
     * An extra check on real speech (skipped, saying so, without ../shared/data/fsdd): a model
     * trained here on three FSDD digits of two speakers (files linked, not copied), then
     * EmbeddingExample from the engine jar on held-out recordings prints the words the API gives.
     */
    @Test
    void theEmbeddingExampleHearsRealFsddRecordings() throws Exception {
        Path fsdd = Path.of("..", "shared", "data", "fsdd", "recordings");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fsdd), "no FSDD at " + fsdd.toAbsolutePath() + ": real-speech check not run");
        Path d = dir.resolve("fsdd3");
        Files.createDirectories(d.resolve("recordings"));
        StringBuilder train = new StringBuilder(), test = new StringBuilder();
        for (int c = 0; c < 3; c++) {
            for (String spk : new String[] {"jackson", "theo"}) {
                for (int k = 0; k < 25; k++) {
                    String n = c + "_" + spk + "_" + k + ".wav";
                    Files.createSymbolicLink(d.resolve("recordings").resolve(n), fsdd.resolve(n).toAbsolutePath());
                    (k < 5 ? test : train).append(n).append('\n');
                }
            }
        }
        Files.writeString(d.resolve("train_filenames.txt"), train);
        Files.writeString(d.resolve("test_filenames.txt"), test);
        Path m = dir.resolve("fsdd3.myelin");
        train("--data", d.toString(), "--no-cache", "--epochs", "4", "--hidden", "32", "--max-delay", "10",
                "--batch", "16", "--threads", "1", "--seed", "2", "--out", m.toString());
        KeywordSpotter sp = KeywordSpotter.load(m);
        int heard = 0;
        for (String n : new String[] {"0_jackson_1.wav", "1_theo_2.wav", "2_jackson_3.wav"}) {
            Path f = fsdd.resolve(n);
            Recording rec = Recording.read(f);
            List<Word> words = new ArrayList<>();
            try (WordStream s = sp.openStream(Options.builder().sampleRate(rec.sampleRate()).build(), words::add)) {
                rec.pushTo(s, 20);
            }
            heard += words.size();
            Ran r = java(thisJava(), "-cp", JAR.toString(), "org.myelin.edge.example.EmbeddingExample", m.toString(), f.toString());
            assertEquals(0, r.code, r.err);
            assertEquals(words.stream().map(Word::toString).collect(Collectors.toList()), r.out.lines().collect(Collectors.toList()), n);
            for (Word w : words) assertTrue(List.of("zero", "one", "two").contains(w.className()), w.toString());
        }
        assertTrue(heard >= 3, "a word in each recording: " + heard);
    }

    /**
     * The README's embed tour, as written there, compiled against the engine jar alone and run on
     * the two-word recording (16 kHz, in 20 ms chunks as {@code microphone}) with the model as
     * {@code fsdd.myelin}: it prints the two words the API hears.
     */
    @Test
    void theReadmesEmbedTourCompilesAndRunsOnTheEngineJar() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int at = readme.indexOf("### Embed a keyword spotter");
        assertTrue(at >= 0, "README has its embed tour");
        int from = readme.indexOf("```java\n", at), to = readme.indexOf("```\n", from + 8);
        assertTrue(from > at && to > from, "the tour's Java block");
        String tour = readme.substring(from + 8, to);
        String src = "package tour;\n"
                + "import java.nio.file.Path;\n"
                + "import java.util.ArrayList;\n"
                + "import java.util.List;\n"
                + "import org.myelin.edge.*;\n"
                + "public final class Tour {\n"
                + "    public static void main(String[] args) throws Exception {\n"
                + "        Recording rec = Recording.read(Path.of(args[0]));\n"
                + "        int rate = rec.sampleRate();\n"
                + "        float[] all = rec.samples();\n"
                + "        List<float[]> microphone = new ArrayList<>();\n"
                + "        for (int q = 0; q < all.length; q += rate / 50) microphone.add(java.util.Arrays.copyOfRange(all, q, Math.min(all.length, q + rate / 50)));\n"
                + tour
                + "    }\n"
                + "}\n";
        Path d = dir.resolve("tour");
        Files.createDirectories(d.resolve("tour"));
        Files.writeString(d.resolve("tour/Tour.java"), src);
        javac("-d", d.toString(), "-cp", JAR.toString(), d.resolve("tour/Tour.java").toString());
        Files.copy(model, d.resolve("fsdd.myelin"));
        List<String> cmd = List.of(thisJava().toString(), "-cp", JAR.toAbsolutePath() + java.io.File.pathSeparator + d, "tour.Tour", wav.toString());
        Process p = new ProcessBuilder(cmd).directory(d.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        KeywordSpotter sp = KeywordSpotter.load(model);
        Recording rec = Recording.read(wav);
        List<String> expect = new ArrayList<>();
        try (WordStream s = sp.openStream(Options.builder().sampleRate(rec.sampleRate()).build(),
                w -> expect.add(String.format("%.2f s: %s (p %.2f)", w.start(), w.className(), w.p())))) {
            rec.pushTo(s, 20);
        }
        assertEquals(2, expect.size());
        assertEquals(expect, out.lines().collect(Collectors.toList()), "the tour prints the words");
    }

    /** Runs {@code myelin train ARGS} in this JVM, its output captured, and fails with that output unless it succeeds. */
    private static void train(String... args) {
        org.myelin.cli.CliRuns.trainOrFail(args);
    }
}
