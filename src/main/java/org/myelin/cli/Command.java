package org.myelin.cli;

/** One subcommand of the {@code myelin} program. */
public interface Command {
    /** The word that selects this command, e.g. {@code train}. */
    String name();

    /** One line for the command list. */
    String summary();

    /** The full help text (usage and every option). */
    String help();

    /**
     * Runs the command. Results go to stdout or files, progress to stderr.
     *
     * @return the process exit code
     * @throws UsageException for bad options (printed as a one-line reason, exit 2)
     */
    int run(Args args) throws Exception;
}
