package org.myelin.run;

import java.nio.file.Path;

/**
 * The files a training run writes.
 *
 * @param model      the trained model
 * @param report     the JSON report, or null for none
 * @param checkpoint the checkpoint written after every epoch
 * @param initial    the untrained network, or null for none
 */
public record Outputs(Path model, Path report, Path checkpoint, Path initial) {
    public Outputs {
        if (model == null) throw new IllegalArgumentException("a run needs a model file");
        if (checkpoint == null) checkpoint = defaultCheckpoint(model);
    }

    /** The default checkpoint of a model file: MODEL.ckpt beside it. */
    public static Path defaultCheckpoint(Path model) {
        return Path.of(model + ".ckpt");
    }

    /** The default model file, {@code runs/model.myelin}. */
    public static Path defaultModel() {
        return Path.of("runs", "model.myelin");
    }

    /** Every path made absolute (what checkpoints record, so a resume from another folder writes to the same files). */
    public Outputs absolute() {
        return new Outputs(abs(model), abs(report), abs(checkpoint), abs(initial));
    }

    private static Path abs(Path p) {
        return p == null ? null : p.toAbsolutePath().normalize();
    }
}
