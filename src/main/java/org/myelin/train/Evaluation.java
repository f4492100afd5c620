package org.myelin.train;

import java.util.ArrayList;
import java.util.List;
import org.myelin.data.Dataset;
import org.myelin.network.HiddenLayer;
import org.myelin.kernel.KernelOps;
import org.myelin.network.Network;
import org.myelin.kernel.Parallel;
import org.myelin.model.Model;

/**
 * Evaluates a model on a dataset: batch norm with running statistics, no dropout, the model's own
 * (integer) delays. The last partial batch is padded with zero samples whose outputs are ignored
 * (samples are independent in evaluation), so the workspace is allocated once.
 */
public final class Evaluation {
    private Evaluation() {}

    /** The batch network of a model (its arrays shared, not copied), at any depth. */
    public static Network network(Model m, KernelOps ops, Parallel par) {
        List<HiddenLayer> hidden = new ArrayList<>();
        for (int k = 0; k < m.config.depth(); k++) {
            Model.BatchNorm n = m.norms.isEmpty() ? null : m.norms.get(k);
            hidden.add(n == null ? new HiddenLayer(m.layers.get(k), null, null, null, null)
                    : new HiddenLayer(m.layers.get(k), n.gamma(), n.beta(), n.mean(), n.var()));
        }
        return new Network(m.config, hidden, m.layers.get(m.config.depth()), ops, par);
    }

    /** Returns {mean loss, accuracy}. */
    public static double[] run(Model m, Dataset ds, int batch, double inputScale, KernelOps ops, Parallel par) {
        int[] pred = new int[ds.size];
        double loss = predict(m, ds, batch, inputScale, ops, par, pred, null);
        int correct = 0;
        for (int s = 0; s < ds.size; s++) if (pred[s] == ds.y[s]) correct++;
        return new double[] {loss, correct / (double) ds.size};
    }

    /**
     * Runs the model over every sample, writing the predicted class per sample into {@code pred}
     * and, when {@code logitsOut} is not null, the logits (N × outputs). Returns the mean loss.
     */
    public static double predict(Model m, Dataset ds, int batch, double inputScale, KernelOps ops, Parallel par, int[] pred, float[] logitsOut) {
        if (ds.steps != m.config.steps || ds.channels != m.config.inputs) {
            throw new IllegalArgumentException("data samples are " + ds.steps + " × " + ds.channels + " but the model expects "
                    + m.config.steps + " × " + m.config.inputs);
        }
        if (ds.classes > m.config.outputs) {
            throw new IllegalArgumentException("data has " + ds.classes + " classes but the model has " + m.config.outputs + " outputs");
        }
        Network net = network(m, ops, par);
        int B = Math.max(1, Math.min(batch, ds.size));
        int T = ds.steps, C = ds.channels, nOut = m.config.outputs;
        float[] x = new float[B * T * C];
        int[] y = new int[B];
        double lossSum = 0;
        float scale = (float) inputScale;
        for (int start = 0; start < ds.size; start += B) {
            int n = Math.min(B, ds.size - start);
            for (int b = 0; b < B; b++) {
                if (b < n) {
                    ds.read(start + b, x, b * T * C, scale);
                    y[b] = ds.y[start + b];
                } else {
                    java.util.Arrays.fill(x, b * T * C, (b + 1) * T * C, 0f);
                    y[b] = 0;
                }
            }
            net.forward(x, B, false, null);
            float[] logits = net.logits();
            for (int b = 0; b < n; b++) {
                pred[start + b] = net.predict(b);
                lossSum += Network.crossEntropy(logits, b * nOut, nOut, y[b]);
                if (logitsOut != null) System.arraycopy(logits, b * nOut, logitsOut, (start + b) * nOut, nOut);
            }
        }
        return lossSum / ds.size;
    }
}
