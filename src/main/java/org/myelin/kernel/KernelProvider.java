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
    /** What {@link #get()} builds, once decided (and logged); guarded by the class. */
    private static Impl decision;

    private enum Impl { SCALAR, PANAMA17, PANAMA25 }

    private KernelProvider() {}

    /** The implementation chosen for this JVM (decided at first use, logged once). */
    public static KernelOps get() {
        KernelOps k = chosen;
        if (k == null) {
            synchronized (KernelProvider.class) {
                k = chosen;
                if (k == null) chosen = k = build(decided(false));
            }
        }
        return k;
    }

    /**
     * Decides now, as {@link #get()} would, whether this JVM runs a Vector API implementation,
     * without building it: for an engine that starts on the scalar kernels and builds and warms
     * the vector ones on a thread of its own ({@code org.myelin.engine.Warmup}). When this is the
     * first decision, its one log line says so ({@code ...; warmed up in the background}).
     * Building is left to {@link #get()}, which returns the implementation decided here.
     *
     * @throws IllegalStateException on a property {@link #get()} would refuse
     */
    public static boolean vectorWarmedInBackground() {
        synchronized (KernelProvider.class) {
            return decided(true) != Impl.SCALAR;
        }
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

    /** The decision, made (and logged) at the first call; the caller holds the class's lock. */
    private static Impl decided(boolean warming) {
        if (decision == null) decision = decide(warming);
        return decision;
    }

    /** The implementation of a decision (the JDK 25 one falls back, with a warning, when it does not load). */
    private static KernelOps build(Impl impl) {
        switch (impl) {
            case SCALAR: return scalar();
            case PANAMA25: return Jdk25Holder.INSTANCE != null ? Jdk25Holder.INSTANCE : VectorHolder.INSTANCE;
            default: return VectorHolder.INSTANCE;
        }
    }

    /**
     * Decides from the properties, the module and the JDK, and logs the one line, without building
     * an implementation (the JDK 25 classes are looked up, not initialised, unless forced).
     */
    private static Impl decide(boolean warming) {
        String vec = System.getProperty(VECTOR, "").trim(), impl = System.getProperty(IMPL, "").trim();
        if (vec.equalsIgnoreCase("false") || impl.equalsIgnoreCase("scalar")) {
            LOG.log(System.Logger.Level.INFO, "myelin kernels: scalar (forced by -D" + (impl.isEmpty() ? VECTOR + "=false" : IMPL + "=scalar") + ")");
            return Impl.SCALAR;
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
            return Impl.SCALAR;
        }
        Impl k;
        String why;
        int jdk = Runtime.version().feature();
        if (impl.equals("panama25")) {
            if (!jdk25Available()) {
                throw new IllegalStateException("-D" + IMPL + "=panama25 but " + (jdk < 25
                        ? "this is JDK " + jdk : "the JDK 25 classes are not in this build (built without a JDK 25)"));
            }
            k = Impl.PANAMA25;
            why = "forced";
        } else if (impl.equals("panama17")) {
            k = Impl.PANAMA17;
            why = "forced";
        } else if (jdk >= 25 && jdk25Present()) {
            k = Impl.PANAMA25;
            why = "JDK " + jdk + (warming ? "" : " classes");
        } else {
            k = Impl.PANAMA17;
            why = jdk >= 25 ? (warming ? "base classes" : "base classes: built without JDK 25") : (warming ? "JDK " + jdk : "base classes, JDK " + jdk);
        }
        int bits = vectorBits();
        String w = System.getProperty(WIDTH, "").isBlank() ? "preferred" : "forced";
        String name = "vector-" + bits + (k == Impl.PANAMA25 ? "-jdk25" : "");
        // one 80-column line after the "INFO: " the program's log format adds, e.g.
        // "myelin kernels: vector-512 (base classes, JDK 17; 512-bit, preferred)" or, for an engine
        // whose streams start on the scalar kernels while a thread of its own builds and warms the
        // vector ones, "myelin kernels: vector-512-jdk25 (JDK 25, 512-bit; background warm-up)"
        LOG.log(System.Logger.Level.INFO, "myelin kernels: " + name + " (" + (warming
                ? (why.equals("forced") || w.equals("forced") ? "forced" : why) + ", " + bits + "-bit; background warm-up)"
                : why + "; " + bits + "-bit, " + w + ")"));
        return k;
    }

    /** Whether the JDK 25 classes are on the class path, looked up without initialising them. */
    private static boolean jdk25Present() {
        try {
            Class.forName("org.myelin.kernel.Panama25KernelOps", false, KernelProvider.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
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
