package org.myelin.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/** Test access to every kernel implementation of this JVM and to forced input-layer splits. */
public final class TestKernels {
    private TestKernels() {}

    /** The Vector API implementations this JVM runs (panama17, and panama25 on JDK 25 with the JDK 25 classes). */
    public static List<KernelOps> vectorImpls() {
        List<KernelOps> v = new ArrayList<>(KernelProvider.available());
        v.remove(KernelProvider.scalar());
        return v;
    }

    /** impl's own vector window with the given split, whatever the width (Td + 1 ≤ 32). */
    static WindowSynapses window(KernelOps impl, int nIn, int nH, int td, int[] ptr, int[] pre, int[] delay, float[] w, WindowSynapses.Split split) {
        return ((PanamaKernelOps) impl).windowSynapses(nIn, nH, td, ptr, pre, delay, w, split);
    }

    /** Whether impl's cost split makes a block with these cells and synapses a vector block. */
    static boolean costSaysVector(KernelOps impl, int cells, int synapses) {
        PanamaKernelOps p = (PanamaKernelOps) impl;
        return WindowSynapses.Split.COST.vector(cells, synapses, p.cellCost(), p.synapseCost());
    }

    /**
     * impl with every block of every input layer it builds forced into vector cells (where
     * Td + 1 ≤ 32), so that engine tests compare the cells on sparse and small models too.
     */
    public static KernelOps cellsForced(KernelOps impl) {
        PanamaKernelOps p = (PanamaKernelOps) impl;
        return (KernelOps) Proxy.newProxyInstance(KernelOps.class.getClassLoader(), new Class<?>[] {KernelOps.class}, (proxy, m, args) -> {
            if (m.getName().equals("windowSynapses") && (int) args[2] + 1 <= WindowSynapses.WINDOW) {
                return p.windowSynapses((int) args[0], (int) args[1], (int) args[2], (int[]) args[3], (int[]) args[4], (int[]) args[5], (float[]) args[6],
                        WindowSynapses.Split.ALL_VECTOR);
            }
            if (m.getName().equals("name")) return p.name() + " (cells forced)";
            return invoke(m, p, args);
        });
    }

    private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
