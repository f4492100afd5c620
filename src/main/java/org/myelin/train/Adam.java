package org.myelin.train;

/**
 * Adam, exactly as PyTorch's {@code torch.optim.Adam} (no weight decay, no amsgrad):
 * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; p ← p − lr·(m/(1−β1^t)) / (√(v/(1−β2^t)) + ε).
 * With a cycled β1 (OneCycle) the current β1 is used in both the update and the bias correction,
 * as PyTorch does. Arithmetic in double per element, stored as float.
 */
public final class Adam {
    public static final double BETA2 = 0.999;
    public static final double EPS = 1e-8;

    private Adam() {}

    /**
     * One step over n parameters.
     *
     * @param t the step number, starting at 1
     */
    public static void step(float[] p, float[] g, float[] m, float[] v, int n, long t, double lr, double beta1, double beta2, double eps) {
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        double stepSize = lr / bc1;
        double sqrtBc2 = Math.sqrt(bc2);
        for (int i = 0; i < n; i++) {
            double gi = g[i];
            double mi = beta1 * m[i] + (1 - beta1) * gi;
            double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
            m[i] = (float) mi;
            v[i] = (float) vi;
            double denom = Math.sqrt(v[i]) / sqrtBc2 + eps;
            p[i] = (float) (p[i] - stepSize * m[i] / denom);
        }
    }
}
