package org.myelin.train;

/**
 * The learning-rate, momentum and σ schedules of the authors' RawHD configuration (docs/MODEL.md),
 * each a pure function of the epoch so that a resumed run computes exactly the same values.
 */
public final class Schedules {
    private Schedules() {}

    /**
     * PyTorch's {@code OneCycleLR} (two phases, cosine annealing, defaults div_factor = 25,
     * final_div_factor = 1e4) stepped once per epoch: the learning rate for {@code epoch}
     * (0-based) of {@code total}.
     */
    public static double oneCycleLr(int epoch, int total, double maxLr, double pctStart) {
        double initial = maxLr / 25.0;
        double min = initial / 1e4;
        return oneCycle(epoch, total, pctStart, initial, maxLr, min);
    }

    /** OneCycle's cycled β1: max → base during warm-up, base → max after (0.95 → 0.85 → 0.95). */
    public static double oneCycleBeta1(int epoch, int total, double pctStart, double baseMomentum, double maxMomentum) {
        return oneCycle(epoch, total, pctStart, maxMomentum, baseMomentum, maxMomentum);
    }

    private static double oneCycle(int step, int total, double pctStart, double start, double peak, double end) {
        if (total <= 1) return end; // PyTorch: a one-step cycle is entirely in its second phase, at pct = 1
        double phase1End = pctStart * total - 1;
        double phase2End = total - 1;
        if (step <= phase1End) {
            double pct = phase1End <= 0 ? 1 : step / phase1End;
            return cosine(start, peak, pct);
        }
        double pct = (step - phase1End) / (phase2End - phase1End);
        return cosine(peak, end, Math.min(1, pct));
    }

    private static double cosine(double from, double to, double pct) {
        return to + (from - to) / 2.0 * (Math.cos(Math.PI * pct) + 1);
    }

    /** PyTorch's {@code CosineAnnealingLR} (η_min = 0, T_max = total) at {@code epoch}. */
    public static double cosineLr(int epoch, int total, double lr0) {
        if (total <= 0) return lr0;
        return lr0 * (1 + Math.cos(Math.PI * epoch / total)) / 2.0;
    }

    /**
     * The authors' σ schedule for Gaussian delay kernels: σ₀ = ⌊Td/2⌋, multiplied by
     * (0.23/σ₀)^(1/E₄) after each of the first E₄ = ⌊epochs/4⌋ epochs (so it reaches 0.23), and
     * used with 0.27 added. Returns the effective σ for {@code epoch} (0-based).
     */
    public static double sigma(int epoch, int epochs, int maxDelay) {
        double s0 = Math.max(1, maxDelay / 2);
        int e4 = Math.max(1, epochs / 4);
        double factor = Math.pow(0.23 / s0, 1.0 / e4);
        return s0 * Math.pow(factor, Math.min(epoch, e4)) + 0.27;
    }
}
