package org.myelin.train;

import java.util.List;
import java.util.Map;
import org.myelin.io.Json;

/**
 * What one epoch of training did: losses and accuracies (test with the deployable, integer-delay
 * model), the schedules' values, speed and the synapse counts.
 *
 * @param epoch                 1-based
 * @param sigma                 σ of the gauss kernels, NaN for other delay modes
 * @param activeSynapses        non-zero weights of layer 1 and layer 2
 * @param rewired               synapses pruned and regrown per layer in this epoch (null without learnt structure)
 * @param testLoss              NaN when the data have a validation part (the test part is then scored once, after training)
 * @param validLoss             the validation part's loss and accuracy, NaN when the data have none
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                          double lr, double beta1, double delayLr, double sigma, double trainSeconds,
                          double trainSamplesPerSecond, int[] activeSynapses, int[] rewired, double validLoss, double validAccuracy) {

    /** Whether this epoch was scored on a validation part (and not on the test part). */
    public boolean validated() {
        return !Double.isNaN(validAccuracy);
    }

    /** The JSON form (report.json "epochs", checkpoints' "history"): snake_case keys, σ null when not gauss. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = Json.object();
        m.put("epoch", epoch);
        m.put("train_loss", trainLoss);
        m.put("train_accuracy", trainAccuracy);
        m.put("test_loss", testLoss);
        m.put("test_accuracy", testAccuracy);
        m.put("lr", lr);
        m.put("beta1", beta1);
        m.put("delay_lr", delayLr);
        m.put("sigma", Double.isNaN(sigma) ? null : sigma);
        m.put("train_seconds", trainSeconds);
        m.put("train_samples_per_second", trainSamplesPerSecond);
        m.put("active_synapses", activeSynapses.clone());
        if (rewired != null) m.put("rewired", rewired.clone());
        if (validated()) { // absent without a validation part: those records keep their bytes
            m.put("valid_loss", validLoss);
            m.put("valid_accuracy", validAccuracy);
        }
        return m;
    }

    /** Reads {@link #toMap()}'s form; {@code where} names the file in messages. */
    public static EpochRecord fromMap(Object o, String where) {
        if (!(o instanceof Map)) throw new IllegalArgumentException(where + ": an epoch record is not an object");
        Map<?, ?> m = (Map<?, ?>) o;
        try {
            Object s = m.get("sigma");
            boolean valid = m.get("valid_accuracy") != null;
            return new EpochRecord(Json.number(m, "epoch").intValue(), d(m, "train_loss"), d(m, "train_accuracy"),
                    valid ? orNaN(m, "test_loss") : d(m, "test_loss"), valid ? orNaN(m, "test_accuracy") : d(m, "test_accuracy"), d(m, "lr"), d(m, "beta1"), d(m, "delay_lr"),
                    s instanceof Number ? ((Number) s).doubleValue() : Double.NaN, d(m, "train_seconds"),
                    d(m, "train_samples_per_second"), ints(m.get("active_synapses"), "active_synapses"),
                    m.get("rewired") == null ? null : ints(m.get("rewired"), "rewired"),
                    valid ? d(m, "valid_loss") : Double.NaN, valid ? d(m, "valid_accuracy") : Double.NaN);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": bad epoch record (" + e.getMessage() + ")");
        }
    }

    private static double d(Map<?, ?> m, String k) {
        return Json.number(m, k).doubleValue();
    }

    /** A number that is null (not scored: NaN) in records of runs with a validation part. */
    private static double orNaN(Map<?, ?> m, String k) {
        return m.get(k) == null ? Double.NaN : d(m, k);
    }

    private static int[] ints(Object o, String k) {
        if (!(o instanceof List)) throw new IllegalArgumentException("'" + k + "' missing or not a list");
        List<?> l = (List<?>) o;
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) {
            if (!(l.get(i) instanceof Number)) throw new IllegalArgumentException("'" + k + "' holds a non-number");
            a[i] = ((Number) l.get(i)).intValue();
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EpochRecord)) return false;
        return Json.write(toMap()).equals(Json.write(((EpochRecord) o).toMap()));
    }

    @Override
    public int hashCode() {
        return Json.write(toMap()).hashCode();
    }

    @Override
    public String toString() {
        return Json.write(toMap()).strip();
    }
}
