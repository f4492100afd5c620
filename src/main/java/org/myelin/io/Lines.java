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

    /**
     * A command's help text made to fit {@link #COLUMNS}. Blocks that fit are kept exactly as
     * written. A block with a longer line is joined and broken again at spaces:
     * <ul>
     *   <li>a labelled line ({@code --flag VALUE  description}, or a sub-item {@code name:  text}
     *       under one) with the lines that go on under its description keeps its label and goes
     *       on under the description's column (an option line without two spaces before its
     *       description: under the column most of the text's options use);</li>
     *   <li>a usage line with the lines of options that go on under it keeps going on under its
     *       command's arguments;</li>
     *   <li>a paragraph of unindented lines (up to a short heading line ending with a colon) keeps no
     *       indent;</li>
     *   <li>any other line goes on under its own indent.</li>
     * </ul>
     * Words longer than a line stay whole.
     */
    public static String help(String text) {
        String[] lines = text.split("\n", -1);
        int[] count = new int[COLUMNS + 1];
        for (String line : lines) {
            int c = descriptionColumn(line);
            if (option(line) && c > 0) count[c]++;
        }
        int usual = -1;
        for (int c = 1; c <= COLUMNS / 2; c++) if (count[c] > 0 && (usual < 0 || count[c] > count[usual])) usual = c;
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < lines.length; ) {
            String line = lines[n];
            int lead = indent(line), end = n + 1, label = descriptionColumn(line), col;
            String first;
            if (usage(line) >= 0) {
                col = usage(line);
                first = line.substring(0, lead);
                while (end < lines.length && indent(lines[end]) > 0 && (lines[end].startsWith("[", indent(lines[end]))
                        || (lines[end].startsWith("-", indent(lines[end])) && !option(lines[end])))) end++;
            } else if (label > 0 || (option(line) && usual > 0)) {
                col = label > 0 ? label : usual;
                first = line.substring(0, label > 0 ? label : lead);
                while (end < lines.length && !lines[end].isBlank() && !option(lines[end])
                        && indent(lines[end]) >= col && descriptionColumn(lines[end]) < 0) end++;
            } else if (lead == 0 && !line.isBlank()) {
                col = 0;
                first = "";
                while (end < lines.length && !lines[end].isBlank() && indent(lines[end]) == 0 && !heading(lines[end])) end++;
            } else {
                col = lead;
                first = line.substring(0, lead);
            }
            boolean fits = true;
            for (int k = n; k < end; k++) fits &= lines[k].length() <= COLUMNS;
            if (fits) {
                for (int k = n; k < end; k++) sb.append(lines[k]).append(k + 1 < lines.length ? "\n" : "");
            } else {
                StringBuilder words = new StringBuilder(line.substring(first.length()).trim());
                for (int k = n + 1; k < end; k++) words.append(' ').append(lines[k].trim());
                sb.append(wrap(words.toString(), COLUMNS, first, " ".repeat(col)));
                if (end == lines.length) sb.setLength(sb.length() - 1);
            }
            n = end;
        }
        return sb.toString();
    }

    /**
     * For a usage line ({@code usage: myelin COMMAND …}, {@code    or: …}) the column its
     * arguments start at, under which it goes on; −1 for any other line.
     */
    private static int usage(String line) {
        String t = line.trim();
        if (!t.startsWith("usage: ") && !t.startsWith("or: ")) return -1;
        int i = indent(line), words = t.startsWith("usage: ") ? 3 : 2;
        for (int w = 0; w < words && i >= 0; w++) {
            i = line.indexOf(' ', i);
            if (i >= 0) i = spacesEnd(line, i);
        }
        return i > 0 && i <= COLUMNS / 2 ? i : -1;
    }

    /** A section heading ("options:", "data:"): a short line ending with a colon. */
    private static boolean heading(String line) {
        return line.endsWith(":") && line.length() <= 30;
    }

    /** An option line: a {@code -} after an indent of one to six spaces. */
    private static boolean option(String line) {
        int lead = indent(line);
        return lead >= 1 && lead <= 6 && line.startsWith("-", lead);
    }

    private static int indent(String line) {
        int lead = 0;
        while (lead < line.length() && line.charAt(lead) == ' ') lead++;
        return lead;
    }

    /**
     * Where a labelled line's description starts, or −1: the column after the first run of two or
     * more spaces past the line's first word (an option's {@code --flag VALUE}), moved on past each
     * single word followed by two or more spaces there (a sub-item's {@code name:}); for an
     * indented line that is not an option and starts with {@code name:} and one space, the column
     * after that space. Within the first half of the line.
     */
    private static int descriptionColumn(String line) {
        int len = line.length(), i = indent(line), col = -1;
        while (i < len && line.charAt(i) != ' ') i++;
        if (!option(line) && indent(line) > 0 && i > 0 && line.charAt(i - 1) == ':' && i + 1 < len && line.charAt(i + 1) != ' ') {
            return spacesEnd(line, i) <= COLUMNS / 2 ? spacesEnd(line, i) : -1;   // an indented sub-item "name: text"
        }
        for (; i + 1 < len; i++) {
            if (line.charAt(i) == ' ' && line.charAt(i + 1) == ' ') {
                col = spacesEnd(line, i);
                break;
            }
        }
        while (col > 0 && col < len) {
            int k = col;
            while (k < len && line.charAt(k) != ' ') k++;
            if (k + 1 >= len || line.charAt(k + 1) != ' ') break;
            int next = spacesEnd(line, k);
            if (next >= len || next > COLUMNS / 2) break;
            col = next;
        }
        return col > 0 && col < len && col <= COLUMNS / 2 ? col : -1;
    }

    private static int spacesEnd(String line, int i) {
        while (i < line.length() && line.charAt(i) == ' ') i++;
        return i;
    }
}
