package org.myelin.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --preset NAME}: a published configuration as flag defaults, any flag given on the
 * command line winning. {@code shd} and {@code ssc} are SNN-delays' (Hammouamri et al., ICLR
 * 2024; docs/MODEL.md, "Deeper networks"): 10 ms bins, 700 channels summed in groups of 5, and
 * for SHD two hidden layers of 256, delays up to 25 steps, τ 10.05, dropout 0.4, 150 epochs of
 * 256; for SSC three of 512, delays up to 31, τ 15, dropout 0.25, 60 epochs of 128.
 */
final class Presets {
    private Presets() {}

    static final String HELP =
            "  --preset P          shd or ssc: SNN-delays' published configuration (network,\n"
          + "                      delays, tau, dropout, epochs, batch, bins, pool), printed\n"
          + "                      first; any flag given wins\n";

    /** The flags of a preset, in the order they are printed. */
    static Map<String, String> flags(String name) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (name) {
            case "shd":
                m.put("hidden", "256,256");
                m.put("max-delay", "25");
                m.put("tau", "10.05");
                m.put("dropout", "0.4");
                m.put("epochs", "150");
                m.put("batch", "256");
                break;
            case "ssc":
                m.put("hidden", "512,512,512");
                m.put("max-delay", "31");
                m.put("tau", "15");
                m.put("dropout", "0.25");
                m.put("epochs", "60");
                m.put("batch", "128");
                break;
            default:
                throw new UsageException("--preset takes shd or ssc, got '" + name + "'");
        }
        m.put("bin-ms", "10");
        m.put("pool", "5");
        return m;
    }

    /**
     * Applies {@code --preset} when given: its flags become defaults of {@code a} (flags given
     * win), and the lines saying which came from the preset and which were given instead are
     * returned (empty when no preset is given).
     */
    static String apply(Args a) {
        String name = a.string("preset", null);
        if (name == null) return "";
        Map<String, String> all = flags(name);
        Map<String, String> added = a.addDefaults(all);
        java.util.List<String> set = new java.util.ArrayList<>(), kept = new java.util.ArrayList<>();
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (added.containsKey(e.getKey())) set.add("--" + e.getKey() + " " + e.getValue());
            else kept.add("--" + e.getKey());
        }
        String out = wrap("preset " + name + ":", set);
        if (!kept.isEmpty()) out += "\n" + wrap("  given instead:", kept);
        return out;
    }

    /** Words after a head, a space between, lines of at most 80 columns, later lines indented by two. */
    private static String wrap(String head, java.util.List<String> words) {
        StringBuilder sb = new StringBuilder(head);
        int col = head.length();
        for (String w : words) {
            if (col + 1 + w.length() > 80) {
                sb.append("\n ");
                col = 1;
            }
            sb.append(' ').append(w);
            col += 1 + w.length();
        }
        return sb.toString();
    }
}
