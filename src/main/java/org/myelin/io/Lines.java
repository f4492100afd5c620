package org.myelin.io;

/**
 * Text for people on a terminal: broken at spaces into lines that fit 80 columns, with a hanging
 * indent, e.g. {@code "network: 40→256→20 ..."} going on under its value. The one copy of this
 * logic: the command line and the library's own messages on stderr both use it.
 */
public final class Lines {
    private Lines() {}

    /** The longest line written for people: one less than 80, since a line of exactly 80 wraps on some terminals. */
    public static final int COLUMNS = 79;

    /**
     * {@code text} broken at spaces into lines of at most {@code width} characters, the first
     * starting with {@code first}, the others with {@code indent}; every line ends with a newline.
     * A word longer than a line stays whole.
     */
    public static String wrap(String text, int width, String first, String indent) {
        StringBuilder sb = new StringBuilder();
        String in = first;
        StringBuilder line = new StringBuilder(in);
        for (String w : text.split(" ")) {
            if (line.length() > in.length() && line.length() + 1 + w.length() > width) {
                sb.append(line).append('\n');
                in = indent;
                line = new StringBuilder(in);
            }
            if (line.length() > in.length()) line.append(' ');
            line.append(w);
        }
        return sb.append(line).append('\n').toString();
    }

    /** {@link #wrap} at {@link #COLUMNS}, without the final newline (for {@code println}). */
    public static String of(String first, String text, String indent) {
        String s = wrap(text, COLUMNS, first, indent);
        return s.substring(0, s.length() - 1);
    }

    /**
     * A log message broken to fit an 80-column terminal after the level the command line's log
     * format puts before it ({@code "INFO: "}, {@code "WARNING: "}): the first line leaves room for
     * that prefix, the others are indented by its width. A short message comes back unchanged.
     */
    public static String afterLevel(String level, String text) {
        String prefix = level + ": ";
        return of(prefix, text, " ".repeat(prefix.length())).substring(prefix.length());
    }
}
