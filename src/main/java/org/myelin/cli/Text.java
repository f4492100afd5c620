package org.myelin.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.myelin.io.Lines;

/** The command line's few formatters: numbers for flags, CSVs and tables, and shell command lines. */
final class Text {
    private Text() {}

    /** How printed command lines start (then the jar). */
    static final String JAVA = "java --add-modules jdk.incubator.vector -jar";
    static final String DEFAULT_JAR = "target/myelin.jar";

    /** A number without exponent or trailing zeros that parses back to exactly {@code v}: 0.5, 0.96875, 3. */
    static String plain(double v) {
        if (!Double.isFinite(v)) return Double.toString(v);
        return strip(new BigDecimal(Double.toString(v)));
    }

    /** As {@link #plain(double)}, for a float (parses back to exactly {@code v} as a float). */
    static String plain(float v) {
        if (!Float.isFinite(v)) return Float.toString(v);
        return strip(new BigDecimal(Float.toString(v)));
    }

    private static String strip(BigDecimal b) {
        b = b.stripTrailingZeros();
        return b.scale() < 0 ? b.setScale(0).toPlainString() : b.toPlainString();
    }

    /** A sparsity (or any fraction) as a percentage: "50 %", "87.5 %", "96.875 %". */
    static String percent(double s) {
        return strip(BigDecimal.valueOf(s * 100).setScale(6, RoundingMode.HALF_EVEN)) + " %";
    }

    /** Six decimals for CSV cells; empty for NaN (a missing value). */
    static String cell(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    /** A short human number for tables: whole numbers as such, tiny ones with 3 significant digits, else 4 decimals; "–" for none. */
    static String brief(Object o) {
        if (!(o instanceof Number)) return "–";
        double v = ((Number) o).doubleValue();
        if (!Double.isFinite(v)) return "–";
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        if (Math.abs(v) < 1e-3) return String.format(Locale.ROOT, "%.3g", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=,+@%-]+");

    /** A word quoted for a POSIX shell where needed. */
    static String quote(String w) {
        return !w.isEmpty() && SAFE.matcher(w).matches() ? w : "'" + w.replace("'", "'\\''") + "'";
    }

    /** Words joined for a POSIX shell, quoted where needed. */
    static String shellJoin(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(quote(w));
        }
        return sb.toString();
    }

    /** A whole command line: the launcher (for the default jar) or the java invocation with {@code jar}, then the words. */
    static String commandLine(String jar, List<String> words) {
        String head = jar.equals(DEFAULT_JAR) ? Main.LAUNCHER : JAVA + " " + quote(jar);
        return head + (words.isEmpty() ? "" : " " + shellJoin(words));
    }

    /** Text broken into indented lines of at most {@code width} characters, at spaces. */
    static String wrap(String text, int width, String indent) {
        return Lines.wrap(text, width, indent, indent);
    }

    /** {@code text} in lines that fit 80 columns, the first after {@code first}, the others after {@code indent} ({@link Lines#of}). */
    static String lines(String first, String text, String indent) {
        return Lines.of(first, text, indent);
    }

    /** "1 thread", "2 threads": {@code n} and the noun, plural unless n is 1. */
    static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** "hidden 256,256 (2 hidden layers)": a network's hidden widths and its depth, for reports. */
    static String hidden(List<Integer> widths) {
        return "hidden " + org.myelin.run.NetworkSpec.hiddenText(widths) + " (" + count(widths.size(), "hidden layer", "hidden layers") + ")";
    }
}
