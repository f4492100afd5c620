package org.myelin.kernel;

/**
 * Chooses the {@link KernelOps} implementation once, at first use: the Vector API one when the
 * {@code jdk.incubator.vector} module is in the boot layer (start the JVM with
 * {@code --add-modules jdk.incubator.vector}), else the scalar one, with one warning line on stderr.
 *
 * <p>The system property {@code myelin.vector=false} forces the scalar path even when the module
 * is present (for comparisons); {@code myelin.vector=true} makes a missing module an error.
 */
public final class KernelProvider {
    private static volatile KernelOps chosen;

    private KernelProvider() {}

    /** The implementation chosen for this JVM. */
    public static KernelOps get() {
        KernelOps k = chosen;
        if (k == null) {
            synchronized (KernelProvider.class) {
                k = chosen;
                if (k == null) chosen = k = choose();
            }
        }
        return k;
    }

    /** The scalar reference implementation. */
    public static KernelOps scalar() {
        return DefaultKernelOps.INSTANCE;
    }

    /** True when the Vector API module is present in this JVM. */
    public static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * The Vector API implementation.
     *
     * @throws UnsupportedOperationException when the module is not present
     */
    public static KernelOps vector() {
        if (!vectorAvailable()) {
            throw new UnsupportedOperationException("the Vector API is not available: start the JVM with --add-modules jdk.incubator.vector");
        }
        return VectorHolder.INSTANCE;
    }

    private static KernelOps choose() {
        String forced = System.getProperty("myelin.vector", "").trim();
        if (forced.equalsIgnoreCase("false")) {
            System.err.println("myelin: scalar kernels (forced by -Dmyelin.vector=false)");
            return scalar();
        }
        if (vectorAvailable()) {
            KernelOps v = vector();
            System.err.println("myelin: " + v.name() + " kernels");
            return v;
        }
        if (forced.equalsIgnoreCase("true")) {
            throw new IllegalStateException("-Dmyelin.vector=true but the jdk.incubator.vector module is absent (add --add-modules jdk.incubator.vector)");
        }
        System.err.println("WARNING: myelin: jdk.incubator.vector not present, using scalar kernels (start java with --add-modules jdk.incubator.vector for speed)");
        return scalar();
    }

    /** Loads the Panama class only when asked, so a JVM without the module never touches it. */
    private static final class VectorHolder {
        static final KernelOps INSTANCE = new PanamaKernelOps();
    }
}
