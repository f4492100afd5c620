package org.myelin.kernel;

/**
 * The scalar reference implementation of {@link KernelOps}: plain loops that read like the maths.
 * Every vector kernel is tested against this one.
 */
final class DefaultKernelOps implements KernelOps {
    static final DefaultKernelOps INSTANCE = new DefaultKernelOps();

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gather(int rows, int count, int from, int to, float[] coef, int coefOff, int coefStride,
                       float[] src, int[] srcOff, int offOff, float[] dst, int dstOff, int dstStride, boolean add) {
        for (int r = 0; r < rows; r++) {
            int d0 = dstOff + r * dstStride;
            if (!add) for (int c = from; c < to; c++) dst[d0 + c] = 0f;
            int c0 = coefOff + r * coefStride;
            for (int k = 0; k < count; k++) {
                float w = coef[c0 + k];
                if (w == 0f) continue;
                int s0 = srcOff[offOff + k];
                for (int c = from; c < to; c++) dst[d0 + c] += w * src[s0 + c];
            }
        }
    }

    @Override
    public void convolve(int count, int taps, int steps, int lanes, float[] kern, int kernOff, float[] src, int[] srcRow, int rowOff,
                         float[] dst, int dstOff) {
        int len = steps * lanes;
        for (int c = 0; c < len; c++) dst[dstOff + c] = 0f;
        int stride = taps + 2 * CONV_PAD;
        for (int s = 0; s < count; s++) {
            int row = srcRow[rowOff + s];
            for (int n = 0; n < taps; n++) {
                float w = kern[kernOff + s * stride + CONV_PAD + n];
                if (w == 0f) continue;
                int base = row + (taps - 1 - n) * lanes;
                for (int c = 0; c < len; c++) dst[dstOff + c] += w * src[base + c];
            }
        }
    }

    @Override
    public void correlate(int rows, int count, int len, float[] a, int aOff, int aStride,
                          float[] src, int[] srcOff, int offOff, float[] out, int outOff, int outStride) {
        for (int r = 0; r < rows; r++) {
            int a0 = aOff + r * aStride;
            for (int k = 0; k < count; k++) {
                int s0 = srcOff[offOff + k];
                float acc = 0f;
                for (int c = 0; c < len; c++) acc += a[a0 + c] * src[s0 + c];
                out[outOff + r * outStride + k] += acc;
            }
        }
    }

    @Override
    public void correlateTaps(int taps, int steps, int lanes, float[] a, int aOff, float[] src, int srcRow, float[] out, int outOff) {
        int len = steps * lanes;
        for (int n = 0; n < taps; n++) {
            int s0 = srcRow + (taps - 1 - n) * lanes;
            float acc = 0f;
            for (int c = 0; c < len; c++) acc += a[aOff + c] * src[s0 + c];
            out[outOff + n] = acc;
        }
    }

    @Override
    public void lifForward(int steps, int lanes, float beta, float thr, float[] in, int inOff, float scale, float shift,
                           float[] u, int uOff, float[] mask, int maskOff, float[] out, int outOff) {
        lifForwardLanes(0, lanes, steps, lanes, beta, thr, in, inOff, scale, shift, u, uOff, mask, maskOff, out, outOff);
    }

    /** The fused LIF forward of lanes [b0, b1); also the vector path's tail, so both agree bit for bit. */
    static void lifForwardLanes(int b0, int b1, int steps, int lanes, float beta, float thr, float[] in, int inOff,
                                float scale, float shift, float[] u, int uOff, float[] mask, int maskOff, float[] out, int outOff) {
        for (int b = b0; b < b1; b++) {
            float m = mask == null ? 1f : mask[maskOff + b];
            float uPrev = 0f;
            float sPrev = 0f;
            for (int t = 0; t < steps; t++) {
                int i = t * lanes + b;
                float x = in[inOff + i] * scale;
                x = x + shift;
                float v = uPrev * beta;
                v = v * (1f - sPrev);
                v = v + x;
                float spike = v > thr ? 1f : 0f;
                u[uOff + i] = v;
                if (out != null) out[outOff + i] = spike * m;
                uPrev = v;
                sPrev = spike;
            }
        }
    }

    @Override
    public void lifBackward(int steps, int lanes, float beta, float thr, float alpha, float[] dS, int dSOff,
                            float[] mask, int maskOff, float[] u, int uOff, float[] dIn, int dInOff) {
        lifBackwardLanes(0, lanes, steps, lanes, beta, thr, alpha, dS, dSOff, mask, maskOff, u, uOff, dIn, dInOff);
    }

    /** The fused LIF backward of lanes [b0, b1); also the vector path's tail. */
    static void lifBackwardLanes(int b0, int b1, int steps, int lanes, float beta, float thr, float alpha, float[] dS, int dSOff,
                                 float[] mask, int maskOff, float[] u, int uOff, float[] dIn, int dInOff) {
        float k = (float) (Math.PI / 2) * alpha;
        float half = alpha * 0.5f;
        for (int b = b0; b < b1; b++) {
            float m = mask == null ? 1f : mask[maskOff + b];
            float g = 0f;
            for (int t = steps - 1; t >= 0; t--) {
                int i = t * lanes + b;
                float uu = u[uOff + i];
                float x = (uu - thr) * k;
                float sg = half / (1f + x * x);
                float carry = g * beta;
                carry = carry * (1f - (uu > thr ? 1f : 0f));
                g = (dS[dSOff + i] * m) * sg + carry;
                dIn[dInOff + i] = g;
            }
        }
    }

    @Override
    public void leakyForward(int steps, int lanes, float beta, float[] in, int inOff, float[] v, int vOff) {
        leakyForwardLanes(0, lanes, steps, lanes, beta, in, inOff, v, vOff);
    }

    /** Leaky integrator of lanes [b0, b1); also the vector path's tail. */
    static void leakyForwardLanes(int b0, int b1, int steps, int lanes, float beta, float[] in, int inOff, float[] v, int vOff) {
        for (int b = b0; b < b1; b++) {
            float prev = 0f;
            for (int t = 0; t < steps; t++) {
                int i = t * lanes + b;
                prev = prev * beta + in[inOff + i];
                v[vOff + i] = prev;
            }
        }
    }

    @Override
    public void leakyBackward(int steps, int lanes, float beta, float[] dv, int dvOff, float[] dIn, int dInOff) {
        leakyBackwardLanes(0, lanes, steps, lanes, beta, dv, dvOff, dIn, dInOff);
    }

    /** Leaky-integrator backward of lanes [b0, b1); also the vector path's tail. */
    static void leakyBackwardLanes(int b0, int b1, int steps, int lanes, float beta, float[] dv, int dvOff, float[] dIn, int dInOff) {
        for (int b = b0; b < b1; b++) {
            float g = 0f;
            for (int t = steps - 1; t >= 0; t--) {
                int i = t * lanes + b;
                g = g * beta + dv[dvOff + i];
                dIn[dInOff + i] = g;
            }
        }
    }

    @Override
    public double sum(float[] a, int off, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) s += a[off + i];
        return s;
    }

    @Override
    public double sumSquaredDeviation(float[] a, int off, int len, float mean) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            double d = a[off + i] - mean;
            s += d * d;
        }
        return s;
    }

    @Override
    public void sumAndDot(float[] a, int aOff, float[] b, int bOff, int len, double[] out, int outOff) {
        double s = 0, d = 0;
        for (int i = 0; i < len; i++) {
            s += a[aOff + i];
            d += (double) a[aOff + i] * b[bOff + i];
        }
        out[outOff] = s;
        out[outOff + 1] = d;
    }

    @Override
    public void scaleShift(float[] a, int aOff, int len, float scale, float shift, float[] out, int outOff) {
        for (int i = 0; i < len; i++) out[outOff + i] = a[aOff + i] * scale + shift;
    }

    @Override
    public void linear2(float[] x, int xOff, float[] y, int yOff, int len, float p, float q, float r, float[] out, int outOff) {
        for (int i = 0; i < len; i++) out[outOff + i] = p * x[xOff + i] + q * y[yOff + i] + r;
    }

    @Override
    public int lifStep(int n, float beta, float thr, float[] in, float[] bias, float[] u, float[] s, int[] fired) {
        return lifStepRange(0, n, beta, thr, in, bias, u, s, fired, 0);
    }

    /**
     * LIF step of neurons [i0, i1), appending spikes to fired from index nf; returns the new count.
     * Also the vector path's tail. Spikes are rare, so the branch is well predicted.
     */
    static int lifStepRange(int i0, int i1, float beta, float thr, float[] in, float[] bias, float[] u, float[] s, int[] fired, int nf) {
        for (int i = i0; i < i1; i++) {
            float cur = bias == null ? in[i] : in[i] + bias[i];
            float v = u[i] * beta;
            v = v * (1f - s[i]);
            v = v + cur;
            u[i] = v;
            if (v > thr) {
                s[i] = 1f;
                fired[nf++] = i;
            } else {
                s[i] = 0f;
            }
        }
        return nf;
    }

    @Override
    public WindowSynapses windowSynapses(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w) {
        return new DefaultWindowSynapses(inputs, hidden, maxDelay, ptr, pre, delay, w);
    }
}
