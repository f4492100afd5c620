package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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
        Path javaHome = dir.resolve("jdk");
        Files.createDirectories(javaHome.resolve("bin"));
        Path java = javaHome.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path launcher = launcherDir.resolve("myelin");
        Files.copy(SCRIPT, launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = new java.util.ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().remove("MYELIN_JAVA_OPTS");
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
}
