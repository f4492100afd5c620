package org.myelin.cli;

import org.myelin.io.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.myelin.data.Dataset;
import org.myelin.io.AtomicFiles;
import org.myelin.io.Json;
import org.myelin.kernel.DelayMode;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.NetConfig;
import org.myelin.kernel.Readout;
import org.myelin.train.TrainConfig;
import org.myelin.train.Trainer;

/** {@code train}: the paper's training loop on a data folder or the built-in task. */
final class TrainCommand implements Command {
    /** Epochs of a run on the built-in task when --epochs is not given. */
    static final int BUILT_IN_EPOCHS = 20;
    /** Batch size on the built-in task: its 2,000 samples give 62 optimiser steps an epoch instead of 7. */
    static final int BUILT_IN_BATCH = 32;

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
        return "usage: myelin train [--data DIR] [options]\n\n"
                + "Trains the paper's network (40 → 256 LIF → 20 readout by default) with learnt delays.\n"
                + "Progress goes to stderr, a summary to stdout; a checkpoint is written after every epoch.\n\n"
                + "data:\n" + DataOptions.HELP
                + "\nrun:\n"
                + "  --epochs N          epochs (default 150 with --data, " + BUILT_IN_EPOCHS + " on the built-in task)\n"
                + "  --batch N           batch size (default 256 with --data, " + BUILT_IN_BATCH + " on the built-in task)\n"
                + "  --seed N            seed of initialisation, shuffling and dropout (default 1)\n"
                + "  --threads N         worker threads (default: all cores); results do not depend on it\n"
                + "  --out MODEL         the trained model file (default runs/model.myelin)\n"
                + "  --save-initial M    also save the untrained network (for the analysis)\n"
                + "  --report FILE.json  per-epoch report (configuration, losses, accuracies, speed)\n"
                + "  --checkpoint FILE   checkpoint written after each epoch (default MODEL.ckpt)\n"
                + "  --resume FILE       continue a run from its checkpoint (same data; other options come from it)\n"
                + "\nnetwork:\n"
                + "  --hidden N          hidden LIF neurons (default 256)\n"
                + "  --max-delay N       Td, the largest delay in steps (default 25)\n"
                + "  --delay-mode M      gauss (paper), linear or int (default gauss)\n"
                + "  --sigma S           σ of gauss kernels when --no-sigma-schedule (default Td/2)\n"
                + "  --sigma-schedule    shrink σ as the authors' code does (default on; --no-sigma-schedule)\n"
                + "  --tau T             membrane time constant (default 10.05)\n"
                + "  --threshold V       spike threshold (default 1)\n"
                + "  --alpha A           surrogate slope (default 5)\n"
                + "  --readout R         vsum (paper) or softmaxsum (default vsum)\n"
                + "  --batch-norm        batch norm on the hidden input (default on; --no-batch-norm)\n"
                + "\noptimisation:\n"
                + "  --max-lr X          OneCycle peak learning rate of the weights (default 5e-3)\n"
                + "  --pct-start X       OneCycle warm-up fraction (default 0.3)\n"
                + "  --delay-lr X        Adam learning rate of the delays, cosine-annealed (default 0.1)\n"
                + "  --dropout P         dropout probability (default 0.4)\n"
                + "  --input-scale X     multiply inputs by X (the authors' code uses 20; default 1)\n"
                + "  --learn-delays      train delay positions (default on; --no-learn-delays: fixed random integer delays)\n"
                + "\nstructure:\n"
                + "  --sparsity S        fraction of absent synapses per layer (default 0 = dense)\n"
                + "  --structure K       fixed (random mask), deepr or rigl (default fixed)\n"
                + "  --dale              Dale's law for learnt structure (default on; --no-dale)\n"
                + "  --l1 X              L1 penalty on synapse magnitudes with learnt structure (default 0.01)\n"
                + "  --regrow-every N    RigL regrowth interval in steps (default 1, the paper's)\n"
                + "  --kernel K          auto, csr or dense (default auto: dense for dense gauss training)\n";
    }

    static TrainConfig parseConfig(Args a, Dataset.Split data, boolean builtIn) {
        TrainConfig tc = new TrainConfig();
        int Td = a.integer("max-delay", 25);
        NetConfig.Builder nb = NetConfig.builder()
                .inputs(data.train.channels).steps(data.train.steps).outputs(Math.max(data.train.classes, data.test.classes))
                .hidden(a.integer("hidden", 256)).maxDelay(Td)
                .delayMode(DelayMode.parse(a.string("delay-mode", "gauss")))
                .sigma((float) a.number("sigma", Math.max(0.5, Td / 2.0)))
                .tau((float) a.number("tau", 10.05)).threshold((float) a.number("threshold", 1)).alpha((float) a.number("alpha", 5))
                .readout(Readout.parse(a.string("readout", "vsum"))).batchNorm(a.flag("batch-norm", true));
        tc.net = nb.build();
        tc.epochs = a.integer("epochs", builtIn ? BUILT_IN_EPOCHS : 150);
        tc.batch = a.integer("batch", builtIn ? BUILT_IN_BATCH : 256);
        tc.seed = a.longValue("seed", 1);
        tc.threads = a.integer("threads", tc.threads);
        tc.maxLr = a.number("max-lr", tc.maxLr);
        tc.pctStart = a.number("pct-start", tc.pctStart);
        tc.delayLr = a.number("delay-lr", tc.delayLr);
        tc.dropout = a.number("dropout", tc.dropout);
        tc.inputScale = a.number("input-scale", tc.inputScale);
        tc.learnDelays = a.flag("learn-delays", true);
        tc.sigmaSchedule = a.flag("sigma-schedule", true);
        tc.sparsity = a.number("sparsity", 0);
        tc.structure = a.string("structure", "fixed");
        tc.dale = a.flag("dale", true);
        tc.l1 = a.number("l1", tc.l1);
        tc.regrowEvery = a.integer("regrow-every", 1);
        tc.kernel = a.string("kernel", "auto");
        if (data.recipe != null) tc.normalize = data.recipe.normalization.id();
        tc.validate();
        return tc;
    }

    @Override
    public int run(Args a) throws Exception {
        DataOptions dopt = new DataOptions(a);
        Path out = a.path("out", Path.of("runs", "model.myelin"));
        Path initial = a.path("save-initial", null);
        Path report = a.path("report", null);
        Path resume = a.path("resume", null);
        // A resumed run keeps writing to the checkpoint it came from, so a second kill resumes from the newest state.
        Path ckpt = a.path("checkpoint", resume != null ? resume : Path.of(out + ".ckpt"));
        int threads = a.integer("threads", Math.max(1, Runtime.getRuntime().availableProcessors()));
        long start = System.nanoTime();
        Dataset.Split data = dopt.load();
        String fp = DataOptions.fingerprint(data);
        TrainConfig tc = resume == null ? parseConfig(a, data, dopt.builtIn()) : null;
        a.finish();
        System.err.printf(Locale.ROOT, "data: %s — %d train, %d test, %d classes, %d steps × %d channels%n",
                data.source, data.train.size, data.test.size, data.train.classes, data.train.steps, data.train.channels);
        try (Trainer t = resume == null ? new Trainer(tc, data, KernelProvider.get())
                : Trainer.resume(resume, data, fp, KernelProvider.get(), threads)) {
            TrainConfig c = t.config();
            System.err.printf(Locale.ROOT, "network: %s, %s kernel, %d threads, %s delays, sparsity %.4f (%s)%n",
                    c.net, t.kernelKind(), c.threads, c.learnDelays ? "learnt" : "fixed", c.sparsity, c.structure);
            if (resume != null) System.err.println("resumed from " + resume + " after epoch " + t.epochsDone());
            if (initial != null && t.epochsDone() == 0) {
                t.toModel(meta(c, data, "initial")).withRecipe(data.recipe).save(initial);
                System.err.println("saved the untrained network to " + initial);
            }
            t.run((tr, rep) -> {
                System.err.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f acc %.4f | test loss %.4f acc %.4f | %.0f samples/s%n",
                        rep.get("epoch"), c.epochs, rep.get("train_loss"), rep.get("train_accuracy"), rep.get("test_loss"),
                        rep.get("test_accuracy"), rep.get("train_samples_per_second"));
                tr.saveCheckpoint(ckpt, fp);
            });
            List<Map<String, Object>> hist = t.history();
            double finalAcc = ((Number) hist.get(hist.size() - 1).get("test_accuracy")).doubleValue();
            double best = 0;
            for (Map<String, Object> e : hist) best = Math.max(best, ((Number) e.get("test_accuracy")).doubleValue());
            Map<String, Object> meta = meta(c, data, "trained");
            meta.put("test_accuracy", finalAcc);
            t.toModel(meta).withRecipe(data.recipe).save(out);
            double wall = (System.nanoTime() - start) / 1e9;
            int[] active = t.activeSynapses();
            if (report != null) {
                Map<String, Object> r = Json.object();
                r.put("test_accuracy", finalAcc);
                r.put("best_test_accuracy", best);
                r.put("epochs", hist);
                r.put("train_samples_per_second", t.trainSamplesPerSecond());
                r.put("active_synapses", active);
                r.put("wall_time_seconds", wall);
                r.put("kernel", t.kernelKind());
                r.put("kernel_ops", KernelProvider.get().name());
                r.put("data", data.source);
                r.put("data_fingerprint", fp);
                r.put("model", out.toString());
                r.put("config", c.toMap());
                AtomicFiles.writeString(report, Json.write(r));
            }
            System.out.printf(Locale.ROOT, "test accuracy %.4f (best %.4f) after %d epochs; %.0f training samples/s; active synapses %d + %d; %.1f s%n",
                    finalAcc, best, hist.size(), t.trainSamplesPerSecond(), active[0], active[1], wall);
            System.out.println("model: " + out + (report != null ? "\nreport: " + report : ""));
            if (Files.exists(ckpt)) System.out.println("checkpoint: " + ckpt);
        }
        return 0;
    }

    static Map<String, Object> meta(TrainConfig c, Dataset.Split data, String state) {
        Map<String, Object> m = Json.object();
        m.put("state", state);
        m.put("data", data.source);
        m.put("seed", c.seed);
        m.put("train", c.toMap());
        return m;
    }
}
