package org.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The provider's one decision, as each surefire run sets it up: the vector path exactly when the
 * module is present; on JDK 25 the JDK 25 classes whenever this build has them; the width the
 * property forces, else the CPU's preferred one. Every implementation's LIF step against the
 * scalar reference.
 */
class ProviderTest {
    @Test
    void choiceFollowsModuleJdkAndProperties() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(present, KernelProvider.vectorAvailable());
        String forced = System.getProperty(KernelProvider.VECTOR, "");
        String expected = present && !forced.equalsIgnoreCase("false") ? "vector-" : "scalar";
        assertTrue(KernelProvider.get().name().startsWith(expected),
                "module present=" + present + " but provider chose " + KernelProvider.get().name());
        assertEquals(KernelProvider.get(), KernelProvider.get(), "decided once");
        if (!present) {
            assertThrows(UnsupportedOperationException.class, KernelProvider::vector);
            assertThrows(UnsupportedOperationException.class, KernelProvider::vectorBits);
            assertEquals(1, KernelProvider.available().size());
            return;
        }
        // JDK 25 classes: compiled into the build whenever a JDK 25 was found; then a JDK 25+ JVM must use them
        boolean built = ProviderTest.class.getClassLoader().getResource("org/myelin/kernel/Panama25KernelOps.class") != null;
        boolean jdk25 = Runtime.version().feature() >= 25;
        assertEquals(built && jdk25, KernelProvider.jdk25Available(), "built=" + built + ", JDK " + Runtime.version().feature());
        assertEquals(built && jdk25, KernelProvider.get().name().endsWith("-jdk25"), KernelProvider.get().name());
        assertEquals(KernelProvider.available().size(), built && jdk25 ? 3 : 2);
        assertFalse(KernelProvider.vector17().name().endsWith("-jdk25"));
        // the width: forced by the property (the surefire width runs), else the CPU's preferred one
        String w = System.getProperty(KernelProvider.WIDTH, "");
        int bits = w.isEmpty() ? jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() : Integer.parseInt(w);
        assertEquals(bits, KernelProvider.vectorBits());
        for (KernelOps k : TestKernels.vectorImpls()) {
            assertTrue(k.name().startsWith("vector-" + bits), k.name());
            assertEquals(bits / 32, PanamaKernelOps.L, "lanes of the species every implementation uses");
        }
    }

    @Test
    void badPropertyValuesNameTheProperty() {
        assertEquals(512, KernelProvider.width(" ", 512));
        assertEquals(256, KernelProvider.width("256", 512));
        assertEquals(128, KernelProvider.width(" 128 ", 256));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelProvider.width("64", 512));
        assertTrue(e.getMessage().contains("-Dmyelin.vector.width=64") && e.getMessage().contains("128, 256 or 512"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> KernelProvider.width("wide", 512));
        assertEquals(WindowSynapses.Split.COST, KernelProvider.split("cost"));
        assertEquals(WindowSynapses.Split.ALL_VECTOR, KernelProvider.split("cells"));
        assertEquals(WindowSynapses.Split.ALL_SCALAR, KernelProvider.split(" scalar"));
        e = assertThrows(IllegalStateException.class, () -> KernelProvider.split("vector"));
        assertTrue(e.getMessage().contains("-Dmyelin.window.split=vector"), e.getMessage());
    }

    @Test
    void lifStepOfEveryImplementationMatchesScalarBitForBit() {
        // awkward sizes for every width: 0, 1, lanes ± 1 for 4, 8 and 16 lanes, primes, the paper's 256
        int[] sizes = {0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 67, 131, 256, 257};
        for (KernelOps k : KernelProvider.available()) {
            SplittableRandom r = new SplittableRandom(41);
            int fired = 0;
            for (int n : sizes) {
                for (boolean withBias : new boolean[] {false, true}) {
                    float[] in = new float[n], bias = withBias ? new float[n] : null, u = new float[n], s = new float[n];
                    float[] u2 = new float[n], s2 = new float[n];
                    int[] f1 = new int[n], f2 = new int[n];
                    for (int step = 0; step < 6; step++) {
                        for (int i = 0; i < n; i++) {
                            in[i] = (float) (r.nextGaussian() * 0.6);
                            if (bias != null) bias[i] = (float) (r.nextGaussian() * 0.1);
                        }
                        int n1 = KernelProvider.scalar().lifStep(n, 0.905f, 1f, in, bias, u, s, f1);
                        int n2 = k.lifStep(n, 0.905f, 1f, in, bias, u2, s2, f2);
                        String what = k.name() + ", n = " + n + ", step " + step;
                        for (int i = 0; i < n; i++) assertEquals(Float.floatToIntBits(u[i]), Float.floatToIntBits(u2[i]), what + ", u[" + i + "]");
                        assertArrayEquals(s, s2, what);
                        assertEquals(n1, n2, what);
                        assertArrayEquals(java.util.Arrays.copyOf(f1, n1), java.util.Arrays.copyOf(f2, n2), what + ": fired list");
                        fired += n1;
                    }
                }
            }
            assertTrue(fired > 100, k.name() + ": the inputs must make neurons fire: " + fired);
        }
    }
}
