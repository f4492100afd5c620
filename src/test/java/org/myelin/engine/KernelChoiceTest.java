package org.myelin.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.myelin.kernel.KernelOps;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.TestKernels;
import org.myelin.network.Readout;
import org.myelin.model.Model;

/**
 * The engine compiled with each Vector API implementation of the JVM (the base one; the JDK 25 one
 * on JDK 25) against the same model compiled with the scalar reference, on random models of the
 * paper's size (40 → 256 → 20, Td = 25), dense and sparse, as the provider splits the input layer
 * and with every block forced into vector cells: every membrane, spike and score must be the same
 * bits at every step, since all sum in the same order (WindowSynapses' contract). Runs at the
 * CPU's width and at 256 and 128 bits (the surefire width runs).
 */
class KernelChoiceTest {
    @ParameterizedTest
    @CsvSource({"1, 0.0, vsum, true", "2, 0.875, vsum, true", "3, 0.3, softmaxsum, false", "4, 0.0, softmaxsum, true"})
    void vectorAndScalarEnginesAgreeBitForBit(long seed, float zeroFrac, String readout, boolean bn) {
        assumeTrue(KernelProvider.vectorAvailable(),
                "Vector API module absent in this JVM (the scalar surefire run): vector-vs-scalar engine runs in the vector runs");
        int nIn = 40, nH = 256, nOut = 20, T = 80, Td = 25;
        Model m = TestModels.random(seed, nIn, nH, nOut, T, Td, Readout.parse(readout), bn, zeroFrac);
        CompiledNetwork scalar = CompiledNetwork.compile(m, KernelProvider.scalar());
        // every vector implementation of this JVM (panama17; panama25 on JDK 25), as the provider
        // builds it and with every block forced into cells
        for (KernelOps impl : TestKernels.vectorImpls()) {
            CompiledNetwork vector = CompiledNetwork.compile(m, impl);
            String d = vector.describeKernels();
            if (zeroFrac == 0f) {
                // a dense layer goes vector where the width holds 16 neurons per register, else it runs in scalar lanes
                if (KernelProvider.vectorBits() >= 512) assertTrue(d.contains(" 16 vector blocks"), d);
                else assertTrue(d.contains(": scalar lanes: 256 hidden neurons"), KernelProvider.vectorBits() + " bits: " + d);
            }
            compare(m, scalar, vector, seed, d);
            CompiledNetwork cells = CompiledNetwork.compile(m, TestKernels.cellsForced(impl));
            assertTrue(cells.describeKernels().contains(" 16 vector blocks"), cells.describeKernels());
            compare(m, scalar, cells, seed, cells.describeKernels());
        }
    }

    static void compare(Model m, CompiledNetwork scalar, CompiledNetwork vector, long seed, String what) {
        int nIn = scalar.inputs(), nH = scalar.hidden(), nOut = scalar.outputs(), T = scalar.steps();
        float[] x = TestModels.inputs(seed + 50, 2, T, nIn);
        StreamState a = scalar.newStream(), b = vector.newStream();
        float[] frame = new float[nIn], sa = new float[nOut], sb = new float[nOut];
        long spikes = 0;
        for (int u = 0; u < 2; u++) {
            a.reset();
            b.reset();
            for (int t = 0; t < T; t++) {
                System.arraycopy(x, (u * T + t) * nIn, frame, 0, nIn);
                a.step(frame, sa);
                b.step(frame, sb);
                for (int h = 0; h < nH; h++) {
                    if (Float.floatToIntBits(a.membrane(h)) != Float.floatToIntBits(b.membrane(h))) {
                        assertEquals(a.membrane(h), b.membrane(h), what + ": utterance " + u + " step " + t + " hidden " + h);
                    }
                    if (a.spiked(h)) spikes++;
                }
                assertEquals(a.spikeCount(), b.spikeCount(), what);
                assertArrayEquals(sa, sb, what + ": scores at utterance " + u + " step " + t);
            }
        }
        assertTrue(spikes > 100, "the model must spike for the comparison to mean something: " + spikes);
    }
}
