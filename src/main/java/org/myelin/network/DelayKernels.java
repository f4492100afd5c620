package org.myelin.network;

/**
 * The delay kernels k[n], n = 0..Td, of docs/MODEL.md and their derivatives with respect to the delay
 * position d. Computed in double, stored as float.
 */
public final class DelayKernels {
    private DelayKernels() {}

    /** The integer tap an {@code int}-mode delay lands on: d rounded half to even, as {@code torch.round}. */
    public static int intTap(float d) {
        return (int) Math.rint(d);
    }

    /**
     * Writes k[0..Td] into {@code k[off..off+Td]} and, if {@code dk} is not null, dk/dd into
     * {@code dk[off..off+Td]}.
     */
    public static void fill(DelayMode mode, float d, float sigma, int maxDelay, float[] k, float[] dk, int off) {
        fill(mode, d, sigma, maxDelay, k, dk, off, mode == DelayMode.GAUSS ? new double[maxDelay + 1] : null);
    }

    /** As {@link #fill(DelayMode, float, float, int, float[], float[], int)}, with caller-owned scratch (Td + 1 values) for gauss, so nothing is allocated. */
    static void fill(DelayMode mode, float d, float sigma, int maxDelay, float[] k, float[] dk, int off, double[] scratch) {
        int taps = maxDelay + 1;
        switch (mode) {
            case INT: {
                int n0 = intTap(d);
                for (int n = 0; n < taps; n++) {
                    k[off + n] = n == n0 ? 1f : 0f;
                    if (dk != null) dk[off + n] = 0f;
                }
                break;
            }
            case LINEAR: {
                for (int n = 0; n < taps; n++) {
                    double r = n - (double) d;
                    double a = Math.abs(r);
                    k[off + n] = a < 1 ? (float) (1 - a) : 0f;
                    if (dk != null) dk[off + n] = a < 1 ? (float) Math.signum(r) : 0f;
                }
                break;
            }
            case GAUSS: {
                double s2 = (double) sigma * sigma;
                double z = 0;
                double[] e = scratch;
                for (int n = 0; n < taps; n++) {
                    double r = (n - (double) d) / sigma;
                    e[n] = Math.exp(-0.5 * r * r);
                    z += e[n];
                }
                double mean = 0;
                for (int n = 0; n < taps; n++) mean += e[n] / z * (n - (double) d) / s2;
                for (int n = 0; n < taps; n++) {
                    double kn = e[n] / z;
                    k[off + n] = (float) kn;
                    if (dk != null) dk[off + n] = (float) (kn * ((n - (double) d) / s2 - mean));
                }
                break;
            }
            default:
                throw new AssertionError(mode);
        }
    }

    /** The first and last tap (inclusive) that can be non-zero for a delay at {@code d}. */
    static int firstTap(DelayMode mode, float d, int maxDelay) {
        switch (mode) {
            case INT: return intTap(d);
            case LINEAR: return Math.max(0, (int) Math.floor(d));
            default: return 0;
        }
    }

    static int lastTap(DelayMode mode, float d, int maxDelay) {
        switch (mode) {
            case INT: return intTap(d);
            case LINEAR: return Math.min(maxDelay, (int) Math.floor(d) + 1);
            default: return maxDelay;
        }
    }
}
