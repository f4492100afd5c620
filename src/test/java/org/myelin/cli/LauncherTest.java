package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program's name and version, and the launcher script the build writes next to the jar
 * ({@code src/main/launcher/myelin} → {@code target/myelin}).
 */
class LauncherTest {
    @TempDir
    Path dir;

    static final Path SCRIPT = Path.of("src/main/launcher/myelin");

    @Test
    void versionIsThePomsVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<artifactId>myelin</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "pom.xml names no version of the myelin artifact");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("--version");
        assertEquals(0, r.code);
        assertEquals(Main.PROGRAM + " " + m.group(1), r.out.trim());
    }

    @Test
    void usageAndErrorsNameTheLauncher() {
        TrainEvalCommandTest.Run help = TrainEvalCommandTest.main("--help");
        assertTrue(help.out.startsWith("usage: " + Main.PROGRAM + " COMMAND"), help.out);
        assertTrue(help.out.contains(Main.LAUNCHER), help.out);
        TrainEvalCommandTest.Run bad = TrainEvalCommandTest.main("trian");
        assertEquals(2, bad.code);
        assertEquals(Main.PROGRAM + ": unknown command 'trian' (try '" + Main.PROGRAM + " --help')", bad.err.trim());
    }

    /** Runs the launcher with JAVA_HOME pointing at a fake java that prints its arguments. */
    private String[] launch(Path launcherDir, String... args) throws Exception {
        return launch(launcherDir, null, 0, Map.of(), args);
    }

    /**
     * Runs the launcher with JAVA_HOME pointing at a fake java that prints its arguments, writes a
     * file for an -XX:ArchiveClassesAtExit= or -XX:AOTCacheOutput= option (as the JVM would) and exits
     * with {@code exit}; {@code version} is the JDK's release-file version (null: no release file).
     */
    private String[] launch(Path launcherDir, String version, int exit, Map<String, String> env, String... args) throws Exception {
        Path javaHome = dir.resolve("jdk" + (version == null ? "" : version));
        Files.createDirectories(javaHome.resolve("bin"));
        if (version != null) Files.writeString(javaHome.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = javaHome.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; case $a in -XX:ArchiveClassesAtExit=*|-XX:AOTCacheOutput=*) "
                + "echo cache > \"${a#*=}\";; esac; done\nexit " + exit + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path launcher = launcherDir.resolve("myelin");
        Files.copy(SCRIPT, launcher, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = new java.util.ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().remove("MYELIN_JAVA_OPTS");
        pb.environment().remove("MYELIN_CDS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new String[] {Integer.toString(p.exitValue()), out, err};
    }

    @Test
    void launcherStartsTheJarBesideItWithTheVectorModule() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh: the launcher is a POSIX shell script");
        Path target = Files.createDirectories(dir.resolve("target dir"));
        Files.write(target.resolve("myelin.jar"), new byte[] {'P', 'K'});
        String[] r = launch(target, "train", "--data", "a b");
        assertEquals("0", r[0], r[2]);
        assertEquals(List.of("--add-modules", "jdk.incubator.vector", "-jar", target.resolve("myelin.jar").toString(),
                "train", "--data", "a b"), List.of(r[1].split("\n")));
    }

    @Test
    void launcherWithoutItsJarSaysHowToBuildIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh: the launcher is a POSIX shell script");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String[] r = launch(empty, "train");
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("myelin: " + empty.resolve("myelin.jar") + " not found"), r[2]);
        assertEquals("", r[1]);
    }

    /**
     * The start-up cache: made by the first successful run under a temporary name and renamed, then
     * used while it is not older than the jar; remade when the jar is newer; never left behind by a
     * failed run; one per JDK feature version; none with MYELIN_CDS=off or an unknown JDK.
     */
    @Test
    void launcherMakesTheStartUpCacheOnFirstUseAndUsesItWhileFresh() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh: the launcher is a POSIX shell script");
        Path target = Files.createDirectories(dir.resolve("target dir"));
        Path jar = target.resolve("myelin.jar");
        Files.write(jar, new byte[] {'P', 'K'});
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Path jsa = target.resolve("myelin.jdk17.jsa");

        String[] r = launch(target, "17.0.9", 3, Map.of(), "eval");
        assertEquals("3", r[0], "the program's exit code: " + r[2]);
        assertTrue(r[1].contains("-XX:ArchiveClassesAtExit=" + jsa + "."), r[1]);
        assertEquals(List.of("myelin.jar", "myelin"), sorted(target), "a failed run leaves no cache");

        r = launch(target, "17.0.9", 0, Map.of(), "train", "--data", "a b");
        assertEquals("0", r[0], r[2]);
        List<String> args = List.of(r[1].split("\n"));
        assertTrue(args.contains("-XX:+DisplayVMOutputToStderr"), "the JVM's messages about the archive go to stderr: " + args);
        assertEquals(List.of("-jar", jar.toString(), "train", "--data", "a b"), args.subList(args.size() - 5, args.size()));
        assertTrue(Files.isRegularFile(jsa), "made on first use: " + sorted(target));
        assertEquals(List.of("myelin.jar", "myelin", "myelin.jdk17.jsa"), sorted(target), "no temporary file left");

        r = launch(target, "17.0.9", 0, Map.of(), "eval");
        args = List.of(r[1].split("\n"));
        assertTrue(args.contains("-XX:SharedArchiveFile=" + jsa) && args.contains("-Xlog:cds*=off"), "used while fresh: " + args);
        assertTrue(args.stream().noneMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit")), args.toString());

        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        r = launch(target, "17.0.9", 0, Map.of(), "eval");
        assertTrue(r[1].contains("-XX:ArchiveClassesAtExit="), "a jar newer than the cache: made again: " + r[1]);
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));

        r = launch(target, "25.0.1", 0, Map.of(), "eval");
        assertTrue(r[1].contains("-XX:AOTCacheOutput=" + target.resolve("myelin.jdk25.aot") + "."), r[1]);
        r = launch(target, "25.0.1", 0, Map.of(), "eval");
        assertTrue(r[1].contains("-XX:AOTCache=" + target.resolve("myelin.jdk25.aot") + "\n") && r[1].contains("-Xlog:aot*=off"), r[1]);

        for (String[] plain : new String[][] {launch(target, "25.0.1", 0, Map.of("MYELIN_CDS", "off"), "eval"), launch(target, null, 0, Map.of(), "eval"),
                launch(target, "1.8.0_402", 0, Map.of(), "eval")}) {
            assertEquals(List.of("--add-modules", "jdk.incubator.vector", "-jar", jar.toString(), "eval"), List.of(plain[1].split("\n")));
        }
    }

    private static List<String> sorted(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted((a, b) -> a.equals("myelin.jar") ? -1 : b.equals("myelin.jar") ? 1 : a.compareTo(b))
                    .collect(java.util.stream.Collectors.toList());
        }
    }

    /**
     * The same with a real JVM (this test's JDK, and JDK 25 when installed) on a small program: the
     * first run makes the cache, the second starts from it (its classes load from the shared
     * archive), and a damaged cache is no error — stdout is the program's alone every time.
     */
    @Test
    void aRealJvmMakesUsesAndSurvivesADamagedCache() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh: the launcher is a POSIX shell script");
        Path src = Files.createDirectories(dir.resolve("src/hello"));
        Files.writeString(src.resolve("Hello.java"), "package hello;\npublic final class Hello {\n"
                + "    public static void main(String[] a) { System.out.println(\"hello \" + String.join(\" \", a)); }\n}\n");
        Path classes = dir.resolve("classes");
        assertEquals(0, javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", classes.toString(),
                src.resolve("Hello.java").toString()));
        List<Path> homes = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        Path jdk25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        if (Files.isExecutable(jdk25.resolve("bin/java")) && !homes.get(0).equals(jdk25)) homes.add(jdk25);
        for (Path home : homes) {
            Path target = Files.createDirectories(dir.resolve("real-" + home.getFileName()));
            java.util.jar.Manifest mf = new java.util.jar.Manifest();
            mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
            mf.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, "hello.Hello");
            try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(target.resolve("myelin.jar")), mf)) {
                out.putNextEntry(new java.util.jar.JarEntry("hello/Hello.class"));
                out.write(Files.readAllBytes(classes.resolve("hello/Hello.class")));
            }
            Files.setLastModifiedTime(target.resolve("myelin.jar"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            Files.copy(SCRIPT, target.resolve("myelin"));
            Files.setPosixFilePermissions(target.resolve("myelin"), PosixFilePermissions.fromString("rwxr-xr-x"));
            String made = real(target, home, Map.of(), "a b");
            assertEquals("hello a b\n", made, home + ": the first run, making the cache");
            List<String> caches;
            try (var l = Files.list(target)) {
                caches = l.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("myelin.jdk")).collect(java.util.stream.Collectors.toList());
            }
            assertEquals(1, caches.size(), home + ": one cache, no temporary files: " + caches);
            Path cache = target.resolve(caches.get(0));
            String used = real(target, home, Map.of("MYELIN_JAVA_OPTS", "-Xlog:class+load=info:file=" + target.resolve("load.txt")), "c");
            assertEquals("hello c\n", used);
            String loads = Files.readString(target.resolve("load.txt"));
            assertTrue(loads.matches("(?s).*hello\\.Hello source: shared objects file.*"), home + ": Hello comes from the cache: "
                    + loads.lines().filter(x -> x.contains("hello.Hello")).collect(java.util.stream.Collectors.toList()));
            Files.writeString(cache, "not an archive");
            assertEquals("hello d\n", real(target, home, Map.of(), "d"), home + ": a damaged cache is ignored");
        }
    }

    /** Runs the launcher in {@code target} with a real JDK; returns stdout, asserting exit code 0. */
    private static String real(Path target, Path home, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(target.resolve("myelin").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", home.toString());
        pb.environment().remove("MYELIN_JAVA_OPTS");
        pb.environment().remove("MYELIN_CDS");
        pb.environment().putAll(env);
        Path err = Files.createTempFile(target, "err", ".txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), Files.readString(err));
        Files.delete(err);
        return out;
    }
}
