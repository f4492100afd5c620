package org.myelin.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.myelin.data.Dataset;
import org.myelin.io.Progress;
import org.myelin.run.Runs;
import org.myelin.train.EpochRecord;
import org.myelin.train.TrainConfig;

/**
 * What a training run shows on stderr: the data, the network, a progress line per epoch (rate,
 * ETA) and one summary line per epoch. Every line but the progress display is also appended to
 * {@code log} when one is given (ablation keeps each run's log).
 */
final class TrainProgress implements Runs.Listener {
    private final PrintStream err;
    private final StringBuilder log;
    private final String resumedFrom;
    private Progress progress;
    private int epochs;

    TrainProgress(PrintStream err, StringBuilder log, Path resumedFrom) {
        this.err = err;
        this.log = log;
        this.resumedFrom = resumedFrom == null ? null : resumedFrom.toString();
    }

    private void line(String s) {
        err.println(s);
        if (log != null) log.append(s).append('\n');
    }

    @Override
    public void dataLoaded(Dataset.Split data) {
        line(Text.lines("data: ", String.format(Locale.ROOT, "%s — %d train, %d test, %d classes, %d steps × %d channels",
                data.source, data.train.size, data.test.size, data.train.classes, data.train.steps, data.train.channels), "      "));
    }

    @Override
    public void started(TrainConfig c, String kernel, int epochsDone) {
        epochs = c.epochs;
        // with the schedule on, it (not --sigma) sets σ: show what it will be (the authors' form, + 0.27)
        String net = !c.sigmaSchedule ? c.net.toString() : c.net.describe(String.format(Locale.ROOT, "%.2f→%.2f (schedule)",
                org.myelin.train.Schedules.sigma(0, c.epochs, c.net.maxDelay),
                org.myelin.train.Schedules.sigma(c.epochs, c.epochs, c.net.maxDelay)));
        line(Text.lines("network: ", net, "         "));
        line(Text.lines("         ", String.format(Locale.ROOT, "%s kernel, %s, %s delays, sparsity %.4f (%s)",
                kernel, Text.count(c.threads, "thread", "threads"), c.learnDelays ? "learnt" : "fixed", c.sparsity, c.structure.id()), "         "));
        if (resumedFrom != null) line("resumed from " + resumedFrom + " after epoch " + epochsDone);
    }

    /** One progress line for the whole run (its ETA counts every epoch left), one stage per epoch. */
    @Override
    public void batchDone(int epoch, int batch, int batches, double meanLoss, double accuracy) {
        long before = (long) (epoch - 1) * batches;
        if (progress == null) progress = new Progress("train", (long) epochs * batches, "batch");
        if (batch == 1) progress.stage(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), before, batches);
        progress.update(before + batch, String.format(Locale.ROOT, "loss %.4g acc %.3f", meanLoss, accuracy));
    }

    @Override
    public void epochDone(EpochRecord e, int total) {
        boolean v = e.validated();
        line(String.format(Locale.ROOT, "epoch %d/%d: train loss %.4g acc %.3f | %s loss %.4g acc %.3f | %.0f/s",
                e.epoch(), total, e.trainLoss(), e.trainAccuracy(), v ? "valid" : "test", v ? e.validLoss() : e.testLoss(),
                v ? e.validAccuracy() : e.testAccuracy(), e.trainSamplesPerSecond()));
    }

    @Override
    public void wrote(String what, Path file) {
        if (what.equals("untrained model")) line("saved the untrained network to " + file);
    }
}
