package org.myelin.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Readout;
import org.myelin.model.Model;

/**
 * The engine compiled with the Vector API kernels against the same model compiled with the scalar
 * reference, on the paper's network size (40 → 256 → 20, Td = 25), dense (the input layer in vector
 * blocks) and sparse (scalar pull, vector LIF): every membrane, spike and score must be the same
 * bits at every step, since both sum in the same order (WindowSynapses' contract).
 */
class KernelChoiceTest {
    @ParameterizedTest
    @CsvSource({"1, 0.0, vsum, true", "2, 0.875, vsum, true", "3, 0.3, softmaxsum, false", "4, 0.0, softmaxsum, true"})
    void vectorAndScalarEnginesAgreeBitForBit(long seed, float zeroFrac, String readout, boolean bn) {
        assumeTrue(KernelProvider.vectorAvailable(),
                "Vector API module absent in this JVM (the scalar surefire run): vector-vs-scalar engine runs in the vector run");
        int nIn = 40, nH = 256, nOut = 20, T = 80, Td = 25;
        Model m = TestModels.random(seed, nIn, nH, nOut, T, Td, Readout.parse(readout), bn, zeroFrac);
        CompiledNetwork scalar = CompiledNetwork.compile(m, KernelProvider.scalar());
        CompiledNetwork vector = CompiledNetwork.compile(m, KernelProvider.vector());
        String d = vector.describeKernels();
        if (zeroFrac == 0f && !d.contains("scalar pull")) {
            assertTrue(d.contains("16 vector blocks"), d);   // where 512-bit vectors are native
        }
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
                    assertEquals(Float.floatToIntBits(a.membrane(h)), Float.floatToIntBits(b.membrane(h)),
                            "utterance " + u + " step " + t + " hidden " + h + ": " + a.membrane(h) + " vs " + b.membrane(h));
                    if (a.spiked(h)) spikes++;
                }
                assertEquals(a.spikeCount(), b.spikeCount());
                assertArrayEquals(sa, sb, "scores at utterance " + u + " step " + t);
            }
        }
        assertTrue(spikes > 100, "the model must spike for the comparison to mean something: " + spikes);
    }
}
