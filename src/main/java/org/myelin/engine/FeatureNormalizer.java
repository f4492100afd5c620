package org.myelin.engine;

/**
 * The standardisation step of a streaming front end, applied in place to each feature frame.
 *
 * <p>The offline features the models are trained on are standardised per utterance (each channel
 * shifted and scaled by statistics of the whole utterance), which a streaming engine cannot know
 * until the utterance is over. A streaming deployment must therefore standardise with fixed
 * statistics, e.g. the per-channel mean and standard deviation over the training set
 * ({@link #fixed}); how close that comes to per-utterance standardisation depends on how much the
 * recording level and channel vary, and should be checked on held-out data before deployment.
 */
@FunctionalInterface
public interface FeatureNormalizer {
    /** Normalises one frame in place. */
    void apply(float[] frame);

    /** Leaves frames as they are. */
    static FeatureNormalizer identity() {
        return f -> { };
    }

    /**
     * (x_c − mean_c) / std_c per channel with fixed statistics (copied).
     *
     * @throws IllegalArgumentException when lengths differ, a mean is not finite or a std is not
     *         positive and finite
     */
    static FeatureNormalizer fixed(float[] mean, float[] std) {
        if (mean.length != std.length) throw new IllegalArgumentException("mean has " + mean.length + " values but std has " + std.length);
        float[] m = mean.clone();
        float[] inv = new float[std.length];
        for (int c = 0; c < std.length; c++) {
            if (!Float.isFinite(m[c])) throw new IllegalArgumentException("mean of channel " + c + " is not finite");
            if (!(std[c] > 0f) || !Float.isFinite(std[c])) throw new IllegalArgumentException("std of channel " + c + " must be positive and finite, got " + std[c]);
            inv[c] = 1f / std[c];
        }
        return f -> {
            if (f.length != m.length) throw new IllegalArgumentException("frame has " + f.length + " values, the statistics " + m.length);
            for (int c = 0; c < m.length; c++) f[c] = (f[c] - m[c]) * inv[c];
        };
    }
}
