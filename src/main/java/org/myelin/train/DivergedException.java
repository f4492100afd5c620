package org.myelin.train;

/**
 * Training produced a non-finite value (the loss, typically after too large a learning rate or
 * input scale). Not a bug and not a usage error: the message is one line naming the epoch, the
 * batch and what went non-finite.
 */
public final class DivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** 1-based epoch and batch (batch 0: the evaluation after the epoch). */
    public final int epoch, batch;

    public DivergedException(int epoch, int batch, String what) {
        super("training diverged in epoch " + epoch + (batch > 0 ? ", batch " + batch : " (evaluation)") + ": " + what
                + " (try a smaller --max-lr or --input-scale)");
        this.epoch = epoch;
        this.batch = batch;
    }
}
