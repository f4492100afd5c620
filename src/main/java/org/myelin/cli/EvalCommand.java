package org.myelin.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.myelin.data.Dataset;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;
import org.myelin.model.Model;
import org.myelin.train.Evaluation;

/** {@code eval}: accuracy of a saved model on a data folder or the built-in task. */
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
                + "Evaluates a model (delays as saved, batch norm with running statistics, no dropout)\n"
                + "and prints its accuracy on stdout.\n\n"
                + "  --model MODEL       the model file (required)\n"
                + "  --split S           test, train or all (default test)\n"
                + "  --batch N           evaluation batch size (default 256)\n"
                + "  --threads N         worker threads (default: all cores)\n"
                + "  --input-scale X     input multiplier used in training (default: from the model)\n"
                + DataOptions.HELP;
    }

    @Override
    public int run(Args a) throws Exception {
        Path modelFile = Path.of(a.required("model"));
        DataOptions dopt = new DataOptions(a);
        String split = a.string("split", "test");
        int batch = a.integer("batch", 256);
        int threads = a.integer("threads", Math.max(1, Runtime.getRuntime().availableProcessors()));
        Double scale = a.has("input-scale") ? a.number("input-scale", 1) : null;
        a.finish();
        if (!split.equals("test") && !split.equals("train") && !split.equals("all")) throw new UsageException("--split must be test, train or all");
        Model m = Model.load(modelFile);
        if (scale == null) scale = inputScale(m);
        Dataset.Split data = dopt.loadFor(m.recipe, modelFile.toString());
        try (Parallel par = new Parallel(threads)) {
            double[] te = split.equals("train") ? null : Evaluation.run(m, data.test, batch, scale, KernelProvider.get(), par);
            double[] tr = split.equals("test") ? null : Evaluation.run(m, data.train, batch, scale, KernelProvider.get(), par);
            if (te != null) System.out.printf(Locale.ROOT, "test accuracy %.4f (%d samples, loss %.4f)%n", te[1], data.test.size, te[0]);
            if (tr != null) System.out.printf(Locale.ROOT, "train accuracy %.4f (%d samples, loss %.4f)%n", tr[1], data.train.size, tr[0]);
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    static double inputScale(Model m) {
        Object t = m.meta.get("train");
        if (t instanceof java.util.Map) {
            Object s = ((java.util.Map<String, Object>) t).get("input_scale");
            if (s instanceof Number) return ((Number) s).doubleValue();
        }
        return 1.0;
    }
}
