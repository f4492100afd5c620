package org.myelin.kernel;

import java.util.Locale;

/** How the readout membrane v[t] becomes logits (MODEL.md). */
public enum Readout {
    /** logits_k = Σ_t v_k[t] (the paper's). */
    VSUM,
    /** logits_k = Σ_t softmax(v[t])_k (the authors' code). */
    SOFTMAXSUM;

    public static Readout parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "vsum": return VSUM;
            case "softmaxsum": return SOFTMAXSUM;
            default: throw new IllegalArgumentException("readout must be vsum or softmaxsum, got '" + s + "'");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
