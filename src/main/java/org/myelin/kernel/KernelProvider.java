package org.myelin.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place that decides, once per JVM, which {@link KernelOps} implementation runs and at which
 * vector width, and logs that decision in one line ({@link System.Logger} {@code org.myelin.kernel}).
 *
 * <p>The implementations, fastest first:
 * <ul>
 *   <li>{@code panama25}: the JDK 25 classes of the multi-release jar ({@code META-INF/versions/25}:
 *       the engine's input layer on the native two-table permute {@code selectFrom(v1, v2)} and the
 *       LIF step with a mask-to-bits fired list), chosen on a JDK 25+ runtime when the jar carries
 *       them;</li>
 *   <li>{@code panama17}: the base Vector API classes ({@code --release 17});</li>
 *   <li>{@code scalar}: the plain reference, chosen (with one warning line) when the
 *       {@code jdk.incubator.vector} module is not in the boot layer (start the JVM with
 *       {@code --add-modules jdk.incubator.vector}).</li>
 * </ul>
 * Every implementation gives the same bits (tests pit each against the scalar reference); only the
 * speed differs.
 *
 * <p>System properties, read once:
 * <ul>
 *   <li>{@code myelin.vector=false} forces {@code scalar}; {@code myelin.vector=true} makes a missing
 *       module an error;</li>
 *   <li>{@code myelin.vector.impl=scalar|panama17|panama25} forces one implementation (an error when
 *       it cannot run here);</li>
 *   <li>{@code myelin.vector.width=128|256|512} forces the vector width in bits (default: the CPU's
 *       preferred width). The engine's input-layer cells need 512 bits (16 hidden neurons per
 *       register, a 32-slot delay line in two registers); below that it runs in scalar lanes
 *       ({@code Lanes}), as on a CPU without AVX-512.</li>
 *   <li>{@code myelin.window.split=cost|cells|scalar}: how a vector implementation splits the
 *       engine's input layer between cells and scalar lanes; {@code cost} (the default) by the
 *       costs measured for that implementation on this kind of machine (BENCHMARKS.md), the other
 *       two force one way (for measuring those costs; read each time a layer is built). The bits are
 *       the same either way.</li>
 * </ul>
 */
public final class KernelProvider {
    /** Property names (public so tools and tests spell them once). */
    public static final String VECTOR = "myelin.vector", IMPL = "myelin.vector.impl", WIDTH = "myelin.vector.width",
            SPLIT = "myelin.window.split";

    private static final System.Logger LOG = System.getLogger("org.myelin.kernel");
    private static volatile KernelOps chosen;
    private static volatile Integer width;

    private KernelProvider() {}

    /** The implementation chosen for this JVM (decided at first use, logged once). */
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
     * True when this JVM can run the JDK 25 classes: a JDK 25+ runtime, the Vector API module, and the
     * classes on the class path (the multi-release jar built with a JDK 25 beside the JDK 17).
     */
    public static boolean jdk25Available() {
        return vectorAvailable() && Runtime.version().feature() >= 25 && Jdk25Holder.INSTANCE != null;
    }

    /**
     * The fastest Vector API implementation this JVM runs ({@code panama25} where available, else
     * {@code panama17}), at the chosen width, whatever {@link #get()} chose.
     *
     * @throws UnsupportedOperationException when the module is not present
     */
    public static KernelOps vector() {
        requireModule();
        return jdk25Available() ? Jdk25Holder.INSTANCE : VectorHolder.INSTANCE;
    }

    /** The base ({@code --release 17}) Vector API implementation, for comparisons on JDK 25. */
    public static KernelOps vector17() {
        requireModule();
        return VectorHolder.INSTANCE;
    }

    /** Every implementation this JVM can run: scalar, then panama17 and panama25 where present. */
    public static List<KernelOps> available() {
        List<KernelOps> all = new ArrayList<>();
        all.add(scalar());
        if (vectorAvailable()) all.add(VectorHolder.INSTANCE);
        if (jdk25Available()) all.add(Jdk25Holder.INSTANCE);
        return all;
    }

    /**
     * The vector width in bits that every Vector API implementation of this JVM uses: the
     * {@code myelin.vector.width} property, else the CPU's preferred width.
     *
     * @throws UnsupportedOperationException when the module is not present
     * @throws IllegalStateException when the property is not 128, 256 or 512
     */
    public static int vectorBits() {
        Integer b = width;
        if (b == null) {
            synchronized (KernelProvider.class) {
                b = width;
                if (b == null) {
                    requireModule();
                    width = b = width(System.getProperty(WIDTH, ""), PanamaWidth.preferredBits());
                }
            }
        }
        return b;
    }

    /**
     * How vector implementations split the input layer ({@code myelin.window.split}).
     *
     * @throws IllegalStateException when the property is not cost, cells or scalar
     */
    static WindowSynapses.Split windowSplit() {
        return split(System.getProperty(SPLIT, "cost"));
    }

    /** The split a {@code myelin.window.split} value asks for. */
    static WindowSynapses.Split split(String value) {
        String v = value.trim();
        switch (v) {
            case "cost": return WindowSynapses.Split.COST;
            case "cells": return WindowSynapses.Split.ALL_VECTOR;
            case "scalar": return WindowSynapses.Split.ALL_SCALAR;
            default: throw new IllegalStateException("-D" + SPLIT + "=" + v + ": expected cost, cells or scalar");
        }
    }

    /** The width a {@code myelin.vector.width} value asks for (blank: the preferred one). */
    static int width(String forced, int preferred) {
        String f = forced.trim();
        if (f.isEmpty()) return preferred;
        if (f.equals("128") || f.equals("256") || f.equals("512")) return Integer.parseInt(f);
        throw new IllegalStateException("-D" + WIDTH + "=" + f + ": expected 128, 256 or 512 (bits)");
    }

    private static void requireModule() {
        if (!vectorAvailable()) {
            throw new UnsupportedOperationException("the Vector API is not available: start the JVM with --add-modules jdk.incubator.vector");
        }
    }

    private static KernelOps choose() {
        String vec = System.getProperty(VECTOR, "").trim(), impl = System.getProperty(IMPL, "").trim();
        if (vec.equalsIgnoreCase("false") || impl.equalsIgnoreCase("scalar")) {
            LOG.log(System.Logger.Level.INFO, "myelin kernels: scalar (forced by -D" + (impl.isEmpty() ? VECTOR + "=false" : IMPL + "=scalar") + ")");
            return scalar();
        }
        if (!impl.isEmpty() && !impl.equals("panama17") && !impl.equals("panama25")) {
            throw new IllegalStateException("-D" + IMPL + "=" + impl + ": expected scalar, panama17 or panama25");
        }
        if (!vectorAvailable()) {
            if (vec.equalsIgnoreCase("true") || !impl.isEmpty()) {
                throw new IllegalStateException("-D" + (impl.isEmpty() ? VECTOR + "=true" : IMPL + "=" + impl)
                        + " but the jdk.incubator.vector module is absent (add --add-modules jdk.incubator.vector)");
            }
            // short enough for one 80-column line after the "WARNING: " the program's log format adds
            LOG.log(System.Logger.Level.WARNING, "myelin kernels: scalar (no --add-modules jdk.incubator.vector: slower)");
            return scalar();
        }
        KernelOps k;
        String why;
        if (impl.equals("panama25")) {
            if (!jdk25Available()) {
                throw new IllegalStateException("-D" + IMPL + "=panama25 but " + (Runtime.version().feature() < 25
                        ? "this is JDK " + Runtime.version().feature() : "the JDK 25 classes are not in this build (built without a JDK 25)"));
            }
            k = Jdk25Holder.INSTANCE;
            why = "forced";
        } else if (impl.equals("panama17")) {
            k = VectorHolder.INSTANCE;
            why = "forced";
        } else if (jdk25Available()) {
            k = Jdk25Holder.INSTANCE;
            why = "JDK " + Runtime.version().feature() + " classes";
        } else {
            k = VectorHolder.INSTANCE;
            why = Runtime.version().feature() >= 25 ? "base classes: built without JDK 25" : "base classes, JDK " + Runtime.version().feature();
        }
        int bits = vectorBits();
        String w = System.getProperty(WIDTH, "").isBlank() ? "preferred" : "forced";
        // one 80-column line after the "INFO: " the program's log format adds, e.g.
        // "myelin kernels: vector-512 (base classes, JDK 17; 512-bit, preferred)"
        LOG.log(System.Logger.Level.INFO, "myelin kernels: " + k.name() + " (" + why + "; " + bits + "-bit, " + w + ")");
        return k;
    }

    /** Loads the Panama class only when asked, so a JVM without the module never touches it. */
    private static final class VectorHolder {
        static final KernelOps INSTANCE = new PanamaKernelOps();
    }

    /**
     * The JDK 25 implementation, by name: its class exists only under {@code META-INF/versions/25}
     * of the jar (or the JDK 25 output folder on a test class path), so a JDK 17 runtime never sees
     * it. Null when it is absent or cannot be linked.
     */
    private static final class Jdk25Holder {
        static final KernelOps INSTANCE = load();

        private static KernelOps load() {
            if (Runtime.version().feature() < 25) return null;
            try {
                Class<?> c = Class.forName("org.myelin.kernel.Panama25KernelOps");
                return (KernelOps) c.getDeclaredConstructor().newInstance();
            } catch (ClassNotFoundException e) {
                return null;
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "myelin kernels: the JDK 25 classes are present but do not load (" + e + "); using the base classes");
                return null;
            }
        }
    }
}
