package org.myelin.run;

import java.nio.file.Path;
import java.util.List;
import org.myelin.train.EpochRecord;
import org.myelin.train.TrainConfig;

/**
 * What a training run did: its specification and effective configuration, one record per epoch,
 * the final numbers and the files written (model, report, checkpoint, untrained model).
 *
 * @param testAccuracy     the model's test accuracy: the final epoch's, or with a validation part
 *                         the chosen epoch's (the test part scored once)
 * @param bestTestAccuracy the best test accuracy over the epochs (with a validation part: the same as testAccuracy)
 * @param wallSeconds      wall time of this invocation (a resumed run counts from its resume)
 * @param kernel           the synapse-layer implementation used ({@code dense} or {@code csr})
 * @param kernelOps        the kernel operations used (e.g. {@code vector-512})
 * @param dataSource       a description of the data
 * @param dataFingerprint  see {@link DataSpec#fingerprint}
 * @param chosenOn         the part that chose the best epoch: {@code valid} (the model is that epoch's)
 *                         or {@code test} (no validation part: the model is the last epoch's)
 * @param bestEpoch        that epoch, 1-based (-1 when a report from before it does not say)
 */
public record RunResult(RunSpec spec, TrainConfig config, List<EpochRecord> epochs, double testAccuracy, double bestTestAccuracy,
                        double trainSamplesPerSecond, int[] activeSynapses, double wallSeconds, String kernel, String kernelOps,
                        String dataSource, String dataFingerprint, List<Path> files, int trainSamples, int validSamples,
                        int testSamples, String chosenOn, int bestEpoch) {
    public RunResult {
        config = config.copy();
        epochs = List.copyOf(epochs);
        activeSynapses = activeSynapses.clone();
        files = List.copyOf(files);
    }

    @Override
    public TrainConfig config() {
        return config.copy();
    }

    @Override
    public int[] activeSynapses() {
        return activeSynapses.clone();
    }

    /** Whether every epoch the specification asks for is done. */
    public boolean complete() {
        return epochs.size() >= spec.training().epochs;
    }
}
