package org.myelin.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.myelin.data.Dataset;
import org.myelin.model.Model;
import org.myelin.run.Codec;
import org.myelin.run.DataSpec;
import org.myelin.run.RunSpec;
import org.myelin.run.Runs;

/** {@code eval}: accuracy of a saved model on a data folder, the built-in task, or the data it was trained on. */
final class EvalCommand implements Command {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "print the accuracy of a saved model";
    }

    @Override
    public String help() {
        return "usage: myelin eval --model MODEL [--data DIR] [options]\n\n"
                + "Evaluates a model as saved — its delays are the integers 'train' rounded them to when it\n"
                + "saved the model — with batch-norm running statistics and no dropout, and prints its accuracy\n"
                + "on stdout. Without data options it uses the data the model records it was trained on.\n\n"
                + "  --model MODEL       the model file (required)\n"
                + "  --split S           test, train or all (default test)\n"
                + "  --batch N           evaluation batch size (default 256)\n"
                + "  --threads N         worker threads (default: all cores); results do not depend on it\n"
                + "  --input-scale X     input multiplier used in training (default: from the model)\n"
                + "  --help              this text\n"
                + "\ndata (default: the model's own; else the built-in task):\n"
                + DataOptions.HELP;
    }

    @Override
    public int run(Args a) throws Exception {
        Path modelFile = Path.of(a.required("model"));
        boolean dataGiven = DataOptions.given(a);
        DataSpec given = DataOptions.parse(new TrainFlags.Reader(a, Set.of()), null);
        String split = a.string("split", "test");
        int batch = a.integer("batch", 256);
        int threads = a.integer("threads", Math.max(1, Runtime.getRuntime().availableProcessors()));
        Double scale = a.has("input-scale") ? a.number("input-scale", 1) : null;
        a.finish();
        if (!a.positional().isEmpty()) throw new UsageException("unexpected word '" + a.positional().get(0) + "' (see 'eval --help')");
        if (!split.equals("test") && !split.equals("train") && !split.equals("all")) throw new UsageException("--split must be test, train or all, got '" + split + "'");
        if (batch < 1) throw new UsageException("--batch must be at least 1, got " + batch);
        if (threads < 1) throw new UsageException("--threads must be at least 1, got " + threads);
        Model m = Codec.readModel(modelFile);
        if (scale == null) scale = Codec.inputScale(m);
        DataSpec data = given;
        if (!dataGiven) {
            RunSpec own = Codec.specOf(m, modelFile);
            if (own != null) {
                data = own.data();
                System.err.println("data: " + (data.builtIn() ? "the built-in task (seed " + data.seed() + ", " + data.trainSize() + " train, "
                        + data.testSize() + " test)" : data.dir()) + ", as recorded in " + modelFile);
            }
        }
        Dataset.Split d = data.loadFor(m.recipe, modelFile.toString());
        List<String> parts = split.equals("all") ? List.of("test", "train") : List.of(split);
        for (Runs.Evaluated e : Runs.evaluate(m, d, parts, batch, scale, threads)) {
            System.out.printf(Locale.ROOT, "%s accuracy %.4f (%d samples, loss %.4f)%n", e.part(), e.accuracy(), e.samples(), e.loss());
        }
        return 0;
    }
}
