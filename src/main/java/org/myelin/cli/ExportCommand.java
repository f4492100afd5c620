package org.myelin.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.myelin.io.AtomicFiles;
import org.myelin.io.Container;
import org.myelin.io.Json;
import org.myelin.io.Npy;
import org.myelin.network.CsrSynapses;
import org.myelin.network.DelayKernels;
import org.myelin.network.SynapseLayer;
import org.myelin.model.Model;
import org.myelin.run.Codec;
import org.myelin.train.Trainer;

/**
 * {@code export}: a model's parameters as NumPy {@code .npy} files with a JSON index, for use
 * outside Myelin (NumPy, PyTorch, plotting). Every matrix is dense, post-synaptic index first
 * (row i = target neuron, column j = source neuron), float32 unless stated; see {@link #help()}.
 */
final class ExportCommand implements Command {
    /** Version of the export layout (index.json's {@code version}). */
    static final int VERSION = 1;

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "write a model's weights, delays, signs and batch norm as .npy files with a JSON index";
    }

    @Override
    public String help() {
        return "usage: " + Main.PROGRAM + " export --model M.myelin --out DIR [--checkpoint C.ckpt]\n\n"
                + "Writes the model's parameters as NumPy .npy files (little-endian, C order) and DIR/index.json,\n"
                + "which lists every file with its dtype, shape and meaning, the network configuration, the\n"
                + "model's metadata and its feature recipe (null when the model records none).\n\n"
                + "options:\n"
                + "  --model M          the model file (required)\n"
                + "  --out DIR          output folder (created; files of the same names are replaced)\n"
                + "  --checkpoint C     the run's checkpoint: its real-valued delays (the training positions the\n"
                + "                     model holds rounded) and, with learnt structure, its signs; it must be\n"
                + "                     the state the model was saved from (its rounded delays are checked)\n"
                + "  --help             this text\n\n"
                + "files (L = l1: hidden x inputs, L = l2: outputs x hidden; row = target, column = source;\n"
                + "with H hidden layers L = lk maps layer k-1 to layer k, l(H+1) the readout, and batch norm is\n"
                + "bnk.* for hidden layer k):\n"
                + "  L.weight.npy         float32, 0 where there is no synapse\n"
                + "  L.mask.npy           int32, 1 where a synapse exists\n"
                + "  L.sign.npy           int32, the sign of each weight (+1, -1; 0 where there is no synapse)\n"
                + "  L.delay.npy          float32, the integer delays (steps) the model runs with; 0 where none\n"
                + "  L.learnt_delay.npy   float32, the real-valued learnt delays (from the model when it records\n"
                + "                       them, else from --checkpoint); 0 where there is no synapse\n"
                + "  L.structure_sign.npy float32, learnt structure's fixed signs (--checkpoint only): Dale's law\n"
                + "                       one per source neuron, shape [sources]; else [targets, sources]\n"
                + "  bn.gamma.npy, bn.beta.npy, bn.mean.npy, bn.var.npy   float32 [hidden], with batch norm\n"
                + "  features.mean.npy, features.std.npy   float32 [mels], the feature recipe's statistics\n"
                + "                       (global normalisation)\n"
                + "  index.json           written last\n";
    }

    @Override
    public int run(Args a) throws Exception {
        Path modelFile = a.path("model", null);
        Path out = a.path("out", null);
        Path ckptFile = a.path("checkpoint", null);
        a.finish();
        if (!a.positional().isEmpty()) throw new UsageException("unexpected word '" + a.positional().get(0) + "' (see 'export --help')");
        if (modelFile == null) throw new UsageException("--model is required (the model file to export)");
        if (out == null) throw new UsageException("--out is required (the output folder)");
        if (Files.exists(out) && !Files.isDirectory(out)) throw new UsageException("--out " + out + " is a file, not a folder");
        Model m = Codec.readModel(modelFile);
        Codec.Checkpoint ck = ckptFile == null ? null : Codec.readCheckpoint(ckptFile);
        Files.createDirectories(out);
        List<Map<String, Object>> files = new ArrayList<>();
        int L = m.config.depth();
        for (int k = 0; k <= L; k++) {
            CsrSynapses l = m.layers.get(k);
            String p = Model.layerName(k);
            int[] shape = {l.post, l.pre};
            String dims = "[" + layerWord(k + 1, L) + ", " + layerWord(k, L) + "]";
            float[] w = l.denseWeights(), d = l.denseDelays();
            int[] mask = new int[w.length], sign = new int[w.length];
            for (int j = 0; j < l.pre; j++) {
                for (int q = l.rowPtr()[j]; q < l.rowPtr()[j + 1]; q++) mask[l.targets()[q] * l.pre + j] = 1;
            }
            for (int i = 0; i < w.length; i++) {
                sign[i] = mask[i] == 0 ? 0 : (int) Math.signum(w[i]);
                if (mask[i] == 0) d[i] = 0;
            }
            write(out, files, p + ".weight", w, shape, dims + " float32 weights, 0 where there is no synapse");
            write(out, files, p + ".mask", mask, shape, dims + " int32, 1 where a synapse exists");
            write(out, files, p + ".sign", sign, shape, dims + " int32 sign of each weight (0 where there is no synapse)");
            write(out, files, p + ".delay", d, shape, dims + " float32 integer delays in steps that the model runs with");
            float[] real = null;
            String from = null;
            if (ck != null) {
                real = checkpointDelays(ck, p, l, modelFile);
                from = "checkpoint " + ckptFile;
            } else if (m.learntDelays.get(k) != null) {
                real = dense(l, m.learntDelays.get(k));
                from = "model";
            }
            if (real != null) {
                write(out, files, p + ".learnt_delay", real, shape, dims + " float32 real-valued learnt delays in steps (from the "
                        + from + "), 0 where there is no synapse");
            }
            if (ck != null) {
                Object s = ck.container().arrays.get("structure.signs" + (k + 1));
                if (s instanceof float[]) {
                    float[] sv = (float[]) s;
                    boolean dale = sv.length == l.pre;
                    write(out, files, p + ".structure_sign", sv, dale ? new int[] {l.pre} : shape,
                            (dale ? "[sources] float32 Dale's-law sign of each source neuron" : dims + " float32 sign of each pair")
                                    + " (learnt structure keeps w = sign * theta)");
                }
            }
        }
        for (int h = 0; h < m.norms.size(); h++) {
            String[] bn = {"gamma", "beta", "mean", "var"};
            Model.BatchNorm n = m.norms.get(h);
            float[][] v = {n.gamma(), n.beta(), n.mean(), n.var()};
            String[] what = {"scale", "shift", "running mean", "running variance"};
            String word = layerWord(h + 1, L);
            for (int k = 0; k < 4; k++) {
                write(out, files, Model.normName(h, L) + "." + bn[k], v[k], new int[] {m.config.hidden(h)}, "[" + word + "] float32 batch-norm " + what[k]
                        + " of the " + word + " layer's input (eps " + m.config.bnEps + ")");
            }
        }
        if (m.recipe != null && m.recipe.mean() != null) {
            // global normalisation: the recipe's scalars go into index.json, its statistics here
            write(out, files, "features.mean", m.recipe.mean(), new int[] {m.recipe.mels}, "[mels] float32 per-channel mean of the "
                    + "training set's log-Mel features (feature_recipe normalize: global): x' = (x - mean) / std");
            write(out, files, "features.std", m.recipe.std(), new int[] {m.recipe.mels}, "[mels] float32 per-channel standard deviation "
                    + "(floored at stdFloor) of the training set's log-Mel features");
        }
        Map<String, Object> index = Json.object();
        index.put("format", "myelin-export");
        index.put("version", VERSION);
        index.put("model", modelFile.toAbsolutePath().normalize().toString());
        index.put("checkpoint", ckptFile == null ? null : ckptFile.toAbsolutePath().normalize().toString());
        index.put("config", Model.configToMap(m.config));
        index.put("layout", "matrices are [target, source] (post-synaptic first), C order; delays in time steps");
        Object recipe = m.recipe == null ? null : m.recipe.toMap();
        index.put("feature_recipe", recipe);
        if (recipe == null) index.put("feature_recipe_note", "the model records no feature recipe");
        index.put("meta", m.meta);
        index.put("files", files);
        AtomicFiles.writeString(out.resolve("index.json"), Json.write(index));
        System.out.println("exported " + files.size() + " arrays of " + modelFile + " to " + out + " (index: " + out.resolve("index.json") + ")");
        return 0;
    }

    /** Layer k of the chain in words: inputs, hidden (hidden 1 … hidden L of several), outputs. */
    private static String layerWord(int k, int depth) {
        return k == 0 ? "inputs" : k > depth ? "outputs" : depth == 1 ? "hidden" : "hidden " + k;
    }

    /** A layer's per-synapse values (CSR order) as a dense [post, pre] matrix, 0 where there is no synapse. */
    static float[] dense(CsrSynapses l, float[] perSynapse) {
        float[] out = new float[l.pre * l.post];
        for (int j = 0; j < l.pre; j++) {
            for (int q = l.rowPtr()[j]; q < l.rowPtr()[j + 1]; q++) out[l.targets()[q] * l.pre + j] = perSynapse[q];
        }
        return out;
    }

    /**
     * The checkpoint's real-valued delays of layer {@code p} as a dense [post, pre] matrix (0 where
     * the model has no synapse), after checking that they round to the model's delays.
     */
    private static float[] checkpointDelays(Codec.Checkpoint ck, String p, CsrSynapses model, Path modelFile) {
        Container c = ck.container();
        boolean denseKind = "dense".equals(c.header.get("layer_kind"));
        SynapseLayer l = denseKind ? Trainer.readDense(c, p, model.pre, model.post, model.maxDelay, ck.file())
                : Model.readLayer(c, p, model.pre, model.post, model.maxDelay, ck.file());
        float[] real = l.denseDelays(), rounded = model.denseDelays(), w = l.denseWeights();
        float[] mw = model.denseWeights();
        float[] out = new float[real.length];
        for (int j = 0; j < model.pre; j++) {
            for (int q = model.rowPtr()[j]; q < model.rowPtr()[j + 1]; q++) {
                int i = model.targets()[q] * model.pre + j;
                if (DelayKernels.intTap(real[i]) != rounded[i] || w[i] != mw[i]) {
                    throw new UsageException(ck.file() + " is not the state " + modelFile + " was saved from (layer " + p + ", synapse "
                            + j + " -> " + model.targets()[q] + ": checkpoint weight " + w[i] + ", delay " + real[i] + "; model weight "
                            + mw[i] + ", delay " + rounded[i] + ")");
                }
                out[i] = real[i];
            }
        }
        return out;
    }

    private static void write(Path out, List<Map<String, Object>> files, String name, float[] v, int[] shape, String what) throws IOException {
        Npy.write(out.resolve(name + ".npy"), v, shape);
        files.add(entry(name, "float32", shape, what));
    }

    private static void write(Path out, List<Map<String, Object>> files, String name, int[] v, int[] shape, String what) throws IOException {
        Npy.write(out.resolve(name + ".npy"), v, shape);
        files.add(entry(name, "int32", shape, what));
    }

    private static Map<String, Object> entry(String name, String dtype, int[] shape, String what) {
        Map<String, Object> e = Json.object();
        e.put("name", name);
        e.put("file", name + ".npy");
        e.put("dtype", dtype);
        e.put("shape", shape.clone());
        e.put("description", what);
        return e;
    }
}
