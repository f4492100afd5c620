package org.myelin.train;

/** How a sparse network's structure evolves (docs/MODEL.md, "Structure learning"). */
public enum StructureKind {
    /** A fixed random mask (or no mask when dense). */
    FIXED("fixed"),
    /** DEEP R: prune θ ≤ 0, regrow at random. */
    DEEPR("deepr"),
    /** RigL: prune θ ≤ 0, regrow by the most negative s·dL/dw. */
    RIGL("rigl");

    private final String id;

    StructureKind(String id) {
        this.id = id;
    }

    /** The word used on the command line and in files. */
    public String id() {
        return id;
    }

    /** Whether the structure is learnt (DEEP R or RigL). */
    public boolean learnt() {
        return this != FIXED;
    }

    /** The kind named {@code s}; throws IllegalArgumentException naming the choices. */
    public static StructureKind parse(String s) {
        for (StructureKind k : values()) if (k.id.equals(s)) return k;
        throw new IllegalArgumentException("--structure must be fixed, deepr or rigl, got '" + s + "'");
    }
}
