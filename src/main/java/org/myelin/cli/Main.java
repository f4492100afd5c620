package org.myelin.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code myelin} program: {@code java --add-modules jdk.incubator.vector -jar myelin.jar COMMAND [options]}.
 * Every command takes {@code --help}. Errors end the program with a one-line reason on stderr and a
 * non-zero exit code (2 for usage and input errors, 1 for anything else).
 */
public final class Main {
    private Main() {}

    static List<Command> commands() {
        List<Command> list = new ArrayList<>();
        list.add(new TrainCommand());
        list.add(new AblationCommand());
        list.add(new EvalCommand());
        list.add(new FeaturesCommand());
        list.add(new InferCommand());
        list.add(new AnalyzeCommand());
        list.add(new ExperimentCommand());
        return list;
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /** Runs the program and returns its exit code (used by tests). */
    public static int run(String[] argv) {
        List<Command> commands = commands();
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help")) {
            System.out.print(usage(commands));
            return argv.length == 0 ? 2 : 0;
        }
        if (argv[0].equals("--version")) {
            System.out.println("myelin " + version());
            return 0;
        }
        Command cmd = null;
        for (Command c : commands) if (c.name().equals(argv[0])) cmd = c;
        if (cmd == null) {
            System.err.println("myelin: unknown command '" + argv[0] + "' (try 'myelin --help')");
            return 2;
        }
        String[] rest = new String[argv.length - 1];
        System.arraycopy(argv, 1, rest, 0, rest.length);
        Args args = new Args(cmd.name(), rest);
        if (args.helpRequested()) {
            System.out.print(cmd.help());
            return 0;
        }
        try {
            return cmd.run(args);
        } catch (UsageException | IllegalArgumentException e) {
            System.err.println("myelin " + cmd.name() + ": " + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            System.err.println("myelin " + cmd.name() + ": no such file: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            System.err.println("myelin " + cmd.name() + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("myelin " + cmd.name() + ": internal error: " + e);
            return 1;
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static String usage(List<Command> commands) {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: java --add-modules jdk.incubator.vector -jar target/myelin.jar COMMAND [options]\n\n");
        sb.append("Spiking networks that learn their synaptic delays and sparse structure.\n\ncommands:\n");
        for (Command c : commands) sb.append(String.format("  %-11s %s%n", c.name(), c.summary()));
        sb.append("\n'COMMAND --help' describes a command's options.\n");
        return sb.toString();
    }
}
