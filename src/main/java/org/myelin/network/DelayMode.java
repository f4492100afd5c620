package org.myelin.network;

import java.util.Locale;

/** How a synapse's delay position d ∈ [0, Td] becomes a kernel over the taps 0..Td (docs/MODEL.md). */
public enum DelayMode {
    /** k[n] = 1 at n = round(d), else 0. No delay gradient. */
    INT,
    /** k[n] = max(0, 1 − |n − d|): a fractional delay split between the two neighbouring taps. */
    LINEAR,
    /** k[n] ∝ exp(−½((n − d)/σ)²), normalised over the taps (DCLS, the paper's training mode). */
    GAUSS;

    /** Parses {@code int}, {@code linear} or {@code gauss} (case-insensitive). */
    public static DelayMode parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "int": return INT;
            case "linear": return LINEAR;
            case "gauss": return GAUSS;
            default: throw new IllegalArgumentException("delay mode must be int, linear or gauss, got '" + s + "'");
        }
    }

    /** The lower-case name used in files and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
