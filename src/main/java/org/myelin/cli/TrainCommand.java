package org.myelin.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.myelin.analysis.Plots;
import org.myelin.run.Codec;
import org.myelin.run.RunResult;
import org.myelin.run.RunSpec;
import org.myelin.run.Runs;
import org.myelin.train.EpochRecord;

/** {@code train}: the paper's training loop on a data folder or the built-in task. */
final class TrainCommand implements Command {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a network (weights, delays, structure) on a data folder or the built-in task";
    }

    @Override
    public String help() {
        return "usage: myelin train [--data DIR] [options]\n"
                + "       myelin train --resume CHECKPOINT [--threads N]\n\n"
                + "Trains the paper's network (40 → 256 LIF → 20 readout by default) with learnt delays.\n"
                + "Progress goes to stderr, a summary to stdout; a checkpoint is written after every epoch.\n\n"
                + "data:\n" + DataOptions.HELP
                + "\nrun:\n"
                + Presets.HELP
                + TrainFlags.RUN_HELP
                + "  --threads N         worker threads (default: all cores); results do not depend on it\n"
                + "  --out MODEL         the trained model file (default runs/model.myelin)\n"
                + "  --save-initial M    also save the untrained network (for the analysis)\n"
                + "  --report FILE.json  per-epoch report (configuration, losses, accuracies, speed); the training\n"
                + "                      curves (loss, accuracy, learning rates, σ per epoch) go to FILE.png\n"
                + "  --checkpoint FILE   checkpoint written after each epoch (default MODEL.ckpt)\n"
                + "  --resume FILE       continue the run of a checkpoint: its data, options and output files\n"
                + "                      come from it (only --threads may differ; any other option given must\n"
                + "                      agree with it), and the result has the bits of an uninterrupted run\n"
                + "  --help              this text\n"
                + TrainFlags.MODEL_HELP;
    }

    @Override
    public int run(Args a) throws Exception {
        Path resume = a.path("resume", null);
        String preset = Presets.apply(a); // before any flag is read: its values are defaults the given flags override
        if (!preset.isEmpty()) System.err.println(preset);
        int threads = a.integer("threads", Math.max(1, Runtime.getRuntime().availableProcessors()));
        if (threads < 1) throw new UsageException("--threads must be at least 1, got " + threads);
        // a missing or damaged checkpoint fails here, before any data are read
        Codec.Checkpoint ck = resume == null ? null : Codec.readCheckpoint(resume);
        TrainFlags.Reader r = new TrainFlags.Reader(a, Set.of());
        RunSpec spec;
        if (ck == null) {
            spec = TrainFlags.rest(r, RunSpec.defaults(DataOptions.parse(r, null)));
        } else {
            spec = TrainFlags.rest(r, ck.spec().withData(DataOptions.parse(r, ck.spec().data())));
        }
        a.finish();
        if (!a.positional().isEmpty()) throw new UsageException("unexpected word '" + a.positional().get(0) + "' (see 'train --help')");
        if (ck != null && !r.changed.isEmpty()) {
            throw new UsageException("--resume " + resume + ": " + String.join("; ", r.changed)
                    + " — a resumed run keeps its options (only --threads may differ); train anew to change them");
        }
        PrintStream err = System.err;
        TrainProgress progress = new TrainProgress(err, null, resume);
        RunResult res = ck == null ? Runs.train(spec, threads, progress) : Runs.resume(ck, threads, progress);
        int[] active = res.activeSynapses();
        // two lines, each within 80 columns
        StringBuilder perLayer = new StringBuilder();
        for (int n : active) perLayer.append(perLayer.length() == 0 ? "" : " + ").append(n);
        System.out.printf(Locale.ROOT, "test accuracy %.4f (best %.4f) after %s; %.1f s%n", res.testAccuracy(), res.bestTestAccuracy(),
                Text.count(res.epochs().size(), "epoch", "epochs"), res.wallSeconds());
        System.out.printf(Locale.ROOT, "%.0f training samples/s; active synapses %s%n", res.trainSamplesPerSecond(), perLayer);
        Path report = res.spec().outputs().report(), ckpt = res.spec().outputs().checkpoint();
        Path curves = report == null ? null : Path.of(report.toString().replaceFirst("(\\.json)?$", ".png")); // R.json -> R.png
        if (curves != null) Plots.trainingCurves(curves, Plots.TrainingCurves.of(res.epochs(), res.config().net.outputs, EpochRecord::trainLoss, EpochRecord::testLoss, EpochRecord::trainAccuracy, EpochRecord::testAccuracy, EpochRecord::lr, EpochRecord::delayLr, EpochRecord::sigma));
        System.out.println("model: " + res.spec().outputs().model() + (report != null ? "\nreport: " + report + "\ncurves: " + curves : ""));
        if (Files.exists(ckpt)) System.out.println("checkpoint: " + ckpt);
        return 0;
    }
}
