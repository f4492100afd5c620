package org.myelin.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line options of the form {@code --name value}, {@code --name=value},
 * {@code --flag} and {@code --no-flag}. Every option a command reads is marked as used;
 * {@link #finish()} rejects any option the command did not read, so a typo is an error,
 * never silently ignored.
 */
public final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    /** For each positional word, the option it directly follows ({@code --name A B}: B follows name), or null. */
    private final List<String> follows = new ArrayList<>();
    /** Per option, its values with the words that follow each, in command-line order. */
    private final Map<String, List<String>> withFollowing = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();
    private final String command;

    /** Options whose value is another program's options, so it may start with "--" itself. */
    private static final Set<String> PASSED_ON = Set.of("sbatch-args");

    public Args(String command, String[] argv) {
        this.command = command;
        String last = null;
        for (int k = 0; k < argv.length; k++) {
            String a = argv[k];
            if (a.startsWith("--") && a.length() > 2) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (k + 1 < argv.length && (!argv[k + 1].startsWith("--") || PASSED_ON.contains(name))) {
                    value = argv[++k];
                }
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                if (value != null) withFollowing.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                last = value != null ? name : null;
            } else {
                positional.add(a);
                follows.add(last);
                if (last != null) withFollowing.get(last).add(a);
            }
        }
    }

    /** The command name, for messages. */
    public String command() {
        return command;
    }

    public boolean helpRequested() {
        return values.containsKey("help") || positional.contains("-h");
    }

    public boolean has(String name) {
        used.add(name);
        return values.containsKey(name);
    }

    /** A string option, or the default when absent. */
    public String string(String name, String def) {
        used.add(name);
        List<String> v = values.get(name);
        if (v == null) return def;
        String s = v.get(v.size() - 1);
        if (s == null) throw new UsageException("--" + name + " needs a value");
        return s;
    }

    /** Every value given for a repeatable option (each may hold several space-separated words). */
    public List<String> strings(String name) {
        used.add(name);
        List<String> out = new ArrayList<>();
        List<String> v = values.get(name);
        if (v != null) {
            for (String s : v) {
                if (s == null) throw new UsageException("--" + name + " needs a value");
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Every value of a list option, in command-line order: {@code --name A B C} (the words up to the
     * next option), repeated {@code --name A --name B}, or both. The words taken here are no
     * longer {@link #positional()}.
     */
    public List<String> values(String name) {
        used.add(name);
        List<String> v = values.get(name);
        if (v == null) return new ArrayList<>();
        for (String s : v) if (s == null) throw new UsageException("--" + name + " needs a value");
        for (int k = positional.size() - 1; k >= 0; k--) {
            if (name.equals(follows.get(k))) {
                positional.remove(k);
                follows.remove(k);
            }
        }
        return new ArrayList<>(withFollowing.getOrDefault(name, List.of()));
    }

    /** A required string option. */
    public String required(String name) {
        String s = string(name, null);
        if (s == null) throw new UsageException("--" + name + " is required");
        return s;
    }

    public Path path(String name, Path def) {
        String s = string(name, null);
        return s == null ? def : Path.of(s);
    }

    public int integer(String name, int def) {
        String s = string(name, null);
        if (s == null) return def;
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " takes a whole number, got '" + s + "'");
        }
    }

    public long longValue(String name, long def) {
        String s = string(name, null);
        if (s == null) return def;
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " takes a whole number, got '" + s + "'");
        }
    }

    public double number(String name, double def) {
        String s = string(name, null);
        if (s == null) return def;
        try {
            double d = Double.parseDouble(s.trim());
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " takes a finite number, got '" + s + "'");
        }
    }

    /** A boolean switch: {@code --name} or {@code --name true|false} sets it, {@code --no-name} clears it. */
    public boolean flag(String name, boolean def) {
        used.add(name);
        used.add("no-" + name);
        boolean result = def;
        if (values.containsKey(name)) {
            String v = values.get(name).get(values.get(name).size() - 1);
            if (v == null || v.equalsIgnoreCase("true")) result = true;
            else if (v.equalsIgnoreCase("false")) result = false;
            else throw new UsageException("--" + name + " takes no value (or true/false), got '" + v + "'");
        }
        if (values.containsKey("no-" + name)) result = false;
        return result;
    }

    /** Positional words (those not belonging to an option). */
    public List<String> positional() {
        return positional;
    }

    /**
     * Adds {@code --name value} for each entry whose option is not given (neither {@code --name}
     * nor {@code --no-name}): defaults that any flag on the command line overrides (presets).
     *
     * @return the entries added, in order
     */
    Map<String, String> addDefaults(Map<String, String> defaults) {
        Map<String, String> added = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : defaults.entrySet()) {
            if (values.containsKey(e.getKey()) || values.containsKey("no-" + e.getKey())) continue;
            values.computeIfAbsent(e.getKey(), n -> new ArrayList<>()).add(e.getValue());
            added.put(e.getKey(), e.getValue());
        }
        return added;
    }

    /** The names of every option the command has read so far (for tests that check the help lists them). */
    Set<String> read() {
        return java.util.Collections.unmodifiableSet(used);
    }

    /** Fails on any option the command did not read. */
    public void finish() {
        for (String name : values.keySet()) {
            if (!used.contains(name) && !name.equals("help")) {
                throw new UsageException("unknown option --" + name + " (see '" + command + " --help')");
            }
        }
    }
}
