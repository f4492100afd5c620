package org.myelin.train;

/** Which synapse-layer implementation trains the network. */
public enum KernelChoice {
    /** Dense for dense gauss training, CSR otherwise. */
    AUTO("auto"),
    /** Compressed sparse rows (any sparsity, any delay mode). */
    CSR("csr"),
    /** Dense post × pre matrices (dense networks only). */
    DENSE("dense");

    private final String id;

    KernelChoice(String id) {
        this.id = id;
    }

    /** The word used on the command line and in files. */
    public String id() {
        return id;
    }

    /** The choice named {@code s}; throws IllegalArgumentException naming the choices. */
    public static KernelChoice parse(String s) {
        for (KernelChoice k : values()) if (k.id.equals(s)) return k;
        throw new IllegalArgumentException("--kernel must be auto, csr or dense, got '" + s + "'");
    }
}
