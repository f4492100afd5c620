package org.myelin.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer and reader for reports. Values are {@link Map} (insertion-ordered),
 * {@link List}, {@link String}, {@link Number}, {@link Boolean} or {@code null}; arrays of
 * primitives are written as lists. Non-finite numbers are written as {@code null}.
 */
public final class Json {
    private Json() {}

    /** A new insertion-ordered object. */
    public static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    /** Serialises a value with two-space indentation. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        sb.append('\n');
        return sb.toString();
    }

    private static void indent(StringBuilder sb, int level) {
        for (int k = 0; k < level; k++) sb.append("  ");
    }

    private static void write(StringBuilder sb, Object v, int level) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            quote(sb, (String) v);
        } else if (v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) sb.append("null");
            else if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append((long) d).append(".0");
            else sb.append(d);
        } else if (v instanceof Number) {
            sb.append(v);
        } else if (v instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) v;
            if (m.isEmpty()) { sb.append("{}"); return; }
            sb.append("{\n");
            int k = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                indent(sb, level + 1);
                quote(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), level + 1);
                if (++k < m.size()) sb.append(',');
                sb.append('\n');
            }
            indent(sb, level);
            sb.append('}');
        } else if (v instanceof List) {
            writeList(sb, (List<?>) v, level);
        } else if (v instanceof float[]) {
            List<Object> l = new ArrayList<>();
            for (float f : (float[]) v) l.add(f);
            writeList(sb, l, level);
        } else if (v instanceof double[]) {
            List<Object> l = new ArrayList<>();
            for (double f : (double[]) v) l.add(f);
            writeList(sb, l, level);
        } else if (v instanceof int[]) {
            List<Object> l = new ArrayList<>();
            for (int f : (int[]) v) l.add(f);
            writeList(sb, l, level);
        } else if (v instanceof long[]) {
            List<Object> l = new ArrayList<>();
            for (long f : (long[]) v) l.add(f);
            writeList(sb, l, level);
        } else {
            quote(sb, v.toString());
        }
    }

    private static void writeList(StringBuilder sb, List<?> l, int level) {
        boolean flat = true;
        for (Object o : l) if (o instanceof Map || o instanceof List) { flat = false; break; }
        if (flat) {
            sb.append('[');
            for (int k = 0; k < l.size(); k++) {
                if (k > 0) sb.append(", ");
                write(sb, l.get(k), level);
            }
            sb.append(']');
            return;
        }
        sb.append("[\n");
        for (int k = 0; k < l.size(); k++) {
            indent(sb, level + 1);
            write(sb, l.get(k), level + 1);
            if (k + 1 < l.size()) sb.append(',');
            sb.append('\n');
        }
        indent(sb, level);
        sb.append(']');
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        sb.append('"');
    }

    /** The number under {@code key} of a parsed object; IllegalArgumentException naming the key when absent or not a number. */
    public static Number number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number)) throw new IllegalArgumentException("field '" + key + "' missing or not a number");
        return (Number) v;
    }

    /** The string under {@code key}; IllegalArgumentException naming the key when absent or not a string. */
    public static String string(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String)) throw new IllegalArgumentException("field '" + key + "' missing or not a string");
        return (String) v;
    }

    /** The boolean under {@code key}; IllegalArgumentException naming the key when absent or not true/false. */
    public static boolean bool(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Boolean)) throw new IllegalArgumentException("field '" + key + "' missing or not true/false");
        return (Boolean) v;
    }

    /** Parses JSON text; numbers become {@link Double} (or {@link Long} when integral without exponent). */
    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.pos != text.length()) throw p.error("trailing characters");
        return v;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) { this.s = s; }

        IllegalArgumentException error(String why) {
            return new IllegalArgumentException("JSON: " + why + " at offset " + pos);
        }

        void ws() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        char peek() {
            if (pos >= s.length()) throw error("unexpected end");
            return s.charAt(pos);
        }

        void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            pos++;
        }

        Object value() {
            char c = peek();
            if (c == '{') {
                pos++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (peek() == '}') { pos++; return m; }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    ws();
                    m.put(k, value());
                    ws();
                    if (peek() == ',') { pos++; continue; }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                pos++;
                List<Object> l = new ArrayList<>();
                ws();
                if (peek() == ']') { pos++; return l; }
                while (true) {
                    ws();
                    l.add(value());
                    ws();
                    if (peek() == ',') { pos++; continue; }
                    expect(']');
                    return l;
                }
            }
            if (c == '"') return string();
            if (s.startsWith("true", pos)) { pos += 4; return Boolean.TRUE; }
            if (s.startsWith("false", pos)) { pos += 5; return Boolean.FALSE; }
            if (s.startsWith("null", pos)) { pos += 4; return null; }
            int start = pos;
            while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) pos++;
            String num = s.substring(start, pos);
            if (num.isEmpty()) throw error("unexpected character '" + c + "'");
            try {
                if (num.matches("-?\\d+")) return Long.parseLong(num);
                return Double.parseDouble(num);
            } catch (NumberFormatException e) {
                throw error("bad number '" + num + "'");
            }
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') return sb.toString();
                if (c == '\\') {
                    char e = peek();
                    pos++;
                    switch (e) {
                        case 'n': sb.append('\n'); break;
                        case 't': sb.append('\t'); break;
                        case 'r': sb.append('\r'); break;
                        case 'b': sb.append('\b'); break;
                        case 'f': sb.append('\f'); break;
                        case 'u':
                            if (pos + 4 > s.length()) throw error("bad escape");
                            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                            pos += 4;
                            break;
                        default: sb.append(e);
                    }
                } else {
                    sb.append(c);
                }
            }
        }
    }
}
