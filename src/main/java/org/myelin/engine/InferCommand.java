package org.myelin.engine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.myelin.cli.Args;
import org.myelin.cli.Command;
import org.myelin.cli.UsageException;
import org.myelin.io.Npy;

/**
 * {@code myelin infer}: runs utterances through the edge engine one step at a time and prints, per
 * utterance, the predicted class and the scores, then the per-step latency (mean and p99 of
 * {@code System.nanoTime()} around each {@link StreamState#step} call, after a warm-up).
 */
public final class InferCommand implements Command {
    private final PrintStream out;

    /** Prints to {@code System.out}. */
    public InferCommand() {
        this(null);
    }

    /** Prints to the given stream (null: {@code System.out} at run time); for tests. */
    public InferCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "infer";
    }

    @Override
    public String summary() {
        return "classify utterances with the event-driven edge engine, with per-step latency";
    }

    @Override
    public String help() {
        return "usage: myelin infer --model MODEL (--features X.npy | --input FILE.wav|FILE.flac|DIR) [options]\n"
                + "\n"
                + "Compiles MODEL for deployment (integer delays, batch norm folded into the first layer)\n"
                + "and runs each utterance through it step by step, event-driven, as on a device.\n"
                + "Prints one line per utterance (class and scores) and the per-step latency.\n"
                + "\n"
                + "options:\n"
                + "  --model FILE      a .myelin model file (required)\n"
                + "  --features FILE   log-Mel features as written by 'features': float32 .npy of\n"
                + "                    N × T × C (or T × C for one utterance), C = the model's inputs\n"
                + "  --input PATH      an audio file (.wav, .flac) or a folder of them\n"
                + "  --limit N         classify at most the first N utterances (default: all)\n"
                + "  --warmup N        untimed steps before measuring, to let the JIT compile (default 20000)\n"
                + "  --help            this text\n";
    }

    @Override
    public int run(Args args) throws Exception {
        Path modelPath = args.path("model", null);
        Path features = args.path("features", null);
        Path input = args.path("input", null);
        int limit = args.integer("limit", Integer.MAX_VALUE);
        int warmup = args.integer("warmup", 20000);
        args.finish();
        if (!args.positional().isEmpty()) throw new UsageException("infer: unexpected argument '" + args.positional().get(0) + "'");
        if (modelPath == null) throw new UsageException("infer: --model is required");
        if ((features == null) == (input == null)) throw new UsageException("infer: give exactly one of --features and --input");
        if (limit <= 0) throw new UsageException("--limit must be positive, got " + limit);
        if (warmup < 0) throw new UsageException("--warmup must be ≥ 0, got " + warmup);
        PrintStream o = out != null ? out : System.out;

        CompiledNetwork net = CompiledNetwork.load(modelPath);
        float[][] utterances = features != null ? readFeatures(features, net.inputs()) : audioFrames(input, net);
        int n = Math.min(limit, utterances.length);
        o.printf(Locale.ROOT, "model %s: %d → %d → %d, Td = %d, %d + %d active synapses, %s readout, T = %d%n", modelPath,
                net.inputs(), net.hidden(), net.outputs(), net.maxDelay(), net.synapses1(), net.synapses2(), net.readout().id(), net.steps());

        StreamState st = net.newStream();
        int nIn = net.inputs(), nOut = net.outputs();
        float[] frame = new float[nIn], scores = new float[nOut];
        for (int k = 0; k < warmup; k++) {
            float[] u = utterances[0];
            int frames = u.length / nIn;
            if (k % frames == 0) st.reset();
            System.arraycopy(u, (k % frames) * nIn, frame, 0, nIn);
            st.step(frame, scores);
        }
        long total = 0;
        for (int s = 0; s < n; s++) total += utterances[s].length / nIn;
        long[] lat = new long[(int) total];
        int q = 0;
        StringBuilder line = new StringBuilder();
        for (int s = 0; s < n; s++) {
            float[] u = utterances[s];
            st.reset();
            for (int off = 0; off < u.length; off += nIn) {
                System.arraycopy(u, off, frame, 0, nIn);
                long t0 = System.nanoTime();
                st.step(frame, scores);
                lat[q++] = System.nanoTime() - t0;
            }
            line.setLength(0);
            line.append("sample ").append(s).append(": class ").append(st.predict()).append("  scores");
            for (float v : scores) line.append(' ').append(String.format(Locale.ROOT, "%.4f", v));
            o.println(line);
        }
        long sum = 0;
        for (long v : lat) sum += v;
        long[] sorted = lat.clone();
        Arrays.sort(sorted);
        long p99 = sorted[Math.max(0, (int) Math.ceil(0.99 * sorted.length) - 1)];
        o.printf(Locale.ROOT, "latency per step: mean %.2f µs, p99 %.2f µs over %d steps of %d utterance%s (after %d warm-up steps)%n",
                sum / 1e3 / lat.length, p99 / 1e3, lat.length, n, n == 1 ? "" : "s", warmup);
        return 0;
    }

    /** Reads N × T × C (or T × C) float32 features; each utterance is one frame-major array. */
    static float[][] readFeatures(Path file, int channels) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
        Npy.Array a = Npy.read(file);
        if (a.f == null) throw new UsageException(file + ": features must be float32 (or float64), got dtype " + a.dtype);
        int[] sh = a.shape;
        if (sh.length == 2) sh = new int[] {1, sh[0], sh[1]};
        if (sh.length != 3) throw new UsageException(file + ": features must be N × T × C or T × C, got shape " + Arrays.toString(a.shape));
        int N = sh[0], T = sh[1], C = sh[2];
        if (C != channels) throw new UsageException(file + ": features have " + C + " channels but the model takes " + channels);
        if (N == 0 || T == 0) throw new UsageException(file + ": no frames in shape " + Arrays.toString(a.shape));
        float[][] u = new float[N][];
        for (int s = 0; s < N; s++) {
            u[s] = Arrays.copyOfRange(a.f, s * T * C, (s + 1) * T * C);
            for (int q = 0; q < u[s].length; q++) {
                if (!Float.isFinite(u[s][q])) {
                    throw new UsageException(file + ": value " + u[s][q] + " of utterance " + s + " at step " + q / C + ", channel " + q % C + " is not finite");
                }
            }
        }
        return u;
    }

    /**
     * INTEGRATION POINT (audio input). Decoding WAV/FLAC and the offline log-Mel pipeline live in the
     * data package. Wire it here: for each file (a folder: its .wav/.flac files, sorted), decode to
     * samples, then either run the data package's whole-utterance feature function (padded or cropped
     * to the model's T frames, standardised) or feed the samples through a {@link StreamingFrontEnd}
     * built on its per-frame function, and return one T × C frame-major array per file.
     */
    static float[][] audioFrames(Path input, CompiledNetwork net) throws IOException {
        if (!Files.exists(input)) throw new NoSuchFileException(input.toString());
        java.util.List<Path> files = new java.util.ArrayList<>();
        if (Files.isDirectory(input)) {
            try (java.util.stream.Stream<Path> st = Files.list(input)) {
                st.filter(p -> Files.isRegularFile(p) && org.myelin.data.audio.AudioFiles.isAudioName(p.getFileName().toString()))
                        .sorted().forEach(files::add);
            }
            if (files.isEmpty()) throw new UsageException(input + ": no .wav or .flac files in this folder");
        } else {
            files.add(input);
        }
        float[][] out = new float[files.size()][];
        for (int k = 0; k < files.size(); k++) {
            // The same whole-utterance features (standardised per utterance) the trainer saw.
            float[] f = org.myelin.data.AudioDatasets.featuresOf(files.get(k), files.get(k).toString());
            if (f.length % net.inputs() != 0) {
                throw new UsageException(files.get(k) + ": features have " + f.length + " values, not a multiple of the model's " + net.inputs() + " channels");
            }
            out[k] = f;
        }
        return out;
    }
}
