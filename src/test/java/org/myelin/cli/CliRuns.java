package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The command line run in this JVM from tests of other packages. */
public final class CliRuns {
    private CliRuns() {}

    /**
     * Runs {@code myelin train ARGS} in this JVM with stdout and stderr captured, and fails the test
     * with that output unless it succeeds.
     */
    public static void trainOrFail(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "train";
        System.arraycopy(args, 0, argv, 1, args.length);
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int code;
        try (PrintStream p = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            System.setOut(p);
            System.setErr(p);
            code = Main.run(argv);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals(0, code, log.toString(StandardCharsets.UTF_8));
    }
}
