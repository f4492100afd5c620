package org.myelin.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.myelin.io.Lines;
import org.myelin.train.DivergedException;

/**
 * The {@code myelin} program: {@code target/myelin COMMAND [options]} (the launcher the build writes
 * next to the jar), or {@code java --add-modules jdk.incubator.vector -jar target/myelin.jar COMMAND}.
 * Every command takes {@code --help}. Errors end the program with a one-line reason on stderr,
 * prefixed once with "myelin COMMAND: ", and a non-zero exit code (see {@link #report}).
 */
public final class Main {
    private Main() {}

    /** The program's name, as helps and error messages call it. */
    public static final String PROGRAM = "myelin";
    /** The launcher written by the build ({@code mvn package}) next to the jar, for printed commands. */
    public static final String LAUNCHER = "target/" + PROGRAM;
    private static final String LOG_FORMAT = "java.util.logging.SimpleFormatter.format";

    static List<Command> commands() {
        List<Command> list = new ArrayList<>();
        list.add(new TrainCommand());
        list.add(new AblationCommand());
        list.add(new EvalCommand());
        list.add(new FeaturesCommand());
        list.add(new InferCommand());
        list.add(new AnalyzeCommand());
        list.add(new ExportCommand());
        list.add(new ExperimentCommand());
        return list;
    }

    public static void main(String[] argv) {
        // Library code logs through System.Logger (java.util.logging by default), whose stock format
        // spends two lines on each record; the program shows one: "INFO: message". A format given
        // with -Djava.util.logging.SimpleFormatter.format still wins.
        if (System.getProperty(LOG_FORMAT) == null) System.setProperty(LOG_FORMAT, "%4$s: %5$s%6$s%n");
        System.exit(run(argv));
    }

    /** Runs the program and returns its exit code (used by tests). */
    public static int run(String[] argv) {
        List<Command> commands = commands();
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help")) {
            System.out.print(Lines.help(usage(commands)));
            return argv.length == 0 ? 2 : 0;
        }
        if (argv[0].equals("--version")) {
            System.out.println(PROGRAM + " " + version());
            return 0;
        }
        Command cmd = null;
        for (Command c : commands) if (c.name().equals(argv[0])) cmd = c;
        if (cmd == null) {
            System.err.println(PROGRAM + ": unknown command '" + argv[0] + "' (try '" + PROGRAM + " --help')");
            return 2;
        }
        String[] rest = new String[argv.length - 1];
        System.arraycopy(argv, 1, rest, 0, rest.length);
        Args args = new Args(cmd.name(), rest);
        if (args.helpRequested()) {
            System.out.print(Lines.help(cmd.help()));
            return 0;
        }
        try {
            return cmd.run(args);
        } catch (Exception e) {
            return report(cmd.name(), e, System.err);
        }
    }

    /**
     * Prints the one-line reason for a failed command and returns its exit code: 2 for usage errors
     * (naming the flag) and bad input (naming the file or value), 3 for diverged training (naming
     * the epoch and what went non-finite), 1 for input/output failures and, as "internal error",
     * for anything else (a bug).
     */
    static int report(String command, Exception e, java.io.PrintStream err) {
        String prefix = PROGRAM + " " + command + ": ";
        if (e instanceof UsageException || e instanceof IllegalArgumentException) {
            err.println(prefix + once(command, e.getMessage()));
            return 2;
        }
        if (e instanceof NoSuchFileException) {
            NoSuchFileException n = (NoSuchFileException) e;
            err.println(prefix + n.getFile() + ": " + (n.getReason() != null ? n.getReason() : "no such file"));
            return 2;
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            err.println(prefix + ((java.nio.file.AccessDeniedException) e).getFile() + ": permission denied");
            return 2;
        }
        if (e instanceof DivergedException) {
            err.println(prefix + once(command, e.getMessage()));
            return 3;
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            Throwable c = e instanceof UncheckedIOException ? e.getCause() : e;
            err.println(prefix + once(command, c.getMessage() != null ? c.getMessage() : c.toString()));
            return 1;
        }
        StackTraceElement[] st = e.getStackTrace();
        err.println(prefix + "internal error (a bug, please report it): " + e + (st.length > 0 ? " at " + st[0] : ""));
        return 1;
    }

    /** The message without a prefix it may already carry ("myelin CMD: " or "CMD: "), so it is printed once. */
    static String once(String command, String msg) {
        String m = msg == null ? "(no message)" : msg;
        for (String p : new String[] {PROGRAM + " " + command + ": ", command + ": "}) {
            while (m.startsWith(p)) m = m.substring(p.length());
        }
        return m;
    }

    /** The version from the pom, as the build filtered it into {@code org/myelin/version.properties}. */
    static String version() {
        try (java.io.InputStream in = Main.class.getResourceAsStream("/org/myelin/version.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.startsWith("${")) return v.trim();
            }
        } catch (IOException e) {
            // fall through: a build without the resource
        }
        return "unknown (built without org/myelin/version.properties)";
    }

    static String usage(List<Command> commands) {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: ").append(PROGRAM).append(" COMMAND [options]\n");
        sb.append("   or: java --add-modules jdk.incubator.vector -jar target/myelin.jar COMMAND [options]\n");
        sb.append("(").append(LAUNCHER).append(" is the launcher 'mvn package' writes next to the jar.)\n\n");
        sb.append("Spiking networks that learn their synaptic delays and sparse structure.\n\ncommands:\n");
        for (Command c : commands) sb.append(String.format("  %-11s %s%n", c.name(), c.summary()));
        sb.append("\n'").append(PROGRAM).append(" COMMAND --help' describes a command's options; '")
          .append(PROGRAM).append(" --version' prints the version.\n");
        return sb.toString();
    }
}
