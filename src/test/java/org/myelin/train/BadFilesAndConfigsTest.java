package org.myelin.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.data.Dataset;
import org.myelin.network.DelayMode;
import org.myelin.kernel.KernelProvider;
import org.myelin.model.Model;

/**
 * Damaged model and checkpoint files are refused with a message naming the file and the defect,
 * and the trainer refuses bad configurations with a message naming the setting.
 */
class BadFilesAndConfigsTest {
    @TempDir
    Path dir;

    private static final String FP = "fp";

    private static String fails(Executable e, String... words) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        String msg = x.getMessage();
        for (String w : words) assertTrue(msg != null && msg.toLowerCase().contains(w.toLowerCase()), "message should mention '" + w + "': " + msg);
        return msg;
    }

    /** A trained model file and a checkpoint of the same run. */
    private Path[] files() throws IOException {
        Dataset.Split data = TrainFixtures.data(31, 16, 8);
        TrainConfig tc = TrainFixtures.config(1);
        tc.epochs = 1;
        Path model = dir.resolve("model.myelin"), ck = dir.resolve("run.ckpt");
        try (Trainer t = new Trainer(tc, data, KernelProvider.get())) {
            t.run((tr, rep) -> TrainFixtures.save(tr, ck));
            t.toModel(null).save(model);
        }
        Model.load(model); // intact files load
        TrainFixtures.resume(ck, data, 1).close();
        return new Path[] {model, ck};
    }

    private static Path copyWith(Path src, Path dst, byte[] bytes) throws IOException {
        Files.write(dst, bytes);
        return dst;
    }

    private static byte[] flipMiddleByte(byte[] b) {
        byte[] c = b.clone();
        c[c.length / 2] ^= 0x10;
        return c;
    }

    /** Another format version with a valid checksum, so the version is the only defect. */
    private static byte[] otherVersion(byte[] b) throws Exception {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 99);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(c, 0, c.length - 32);
        System.arraycopy(md.digest(), 0, c, c.length - 32, 32);
        return c;
    }

    @Test
    void damagedModelFilesAreRefused() throws Exception {
        Path model = files()[0];
        byte[] ok = Files.readAllBytes(model);
        Path flipped = copyWith(model, dir.resolve("flipped.myelin"), flipMiddleByte(ok));
        fails(() -> Model.load(flipped), flipped.toString(), "checksum");
        Path cut = copyWith(model, dir.resolve("cut.myelin"), Arrays.copyOf(ok, ok.length - 100));
        fails(() -> Model.load(cut), cut.toString(), "truncated");
        Path cutHalf = copyWith(model, dir.resolve("half.myelin"), Arrays.copyOf(ok, ok.length / 2));
        fails(() -> Model.load(cutHalf), cutHalf.toString(), "truncated");
        Path tiny = copyWith(model, dir.resolve("tiny.myelin"), Arrays.copyOf(ok, 10));
        fails(() -> Model.load(tiny), tiny.toString(), "not a Myelin model");
        Path empty = copyWith(model, dir.resolve("empty.myelin"), new byte[0]);
        fails(() -> Model.load(empty), empty.toString());
        Path v = copyWith(model, dir.resolve("v99.myelin"), otherVersion(ok));
        fails(() -> Model.load(v), v.toString(), "version", "99");
        byte[] text = "this is not a model at all, just some text that is long enough to pass the size check".getBytes();
        Path junk = copyWith(model, dir.resolve("junk.myelin"), text);
        fails(() -> Model.load(junk), junk.toString(), "not a Myelin model");
        assertThrows(NoSuchFileException.class, () -> Model.load(dir.resolve("absent.myelin")));
    }

    @Test
    void damagedCheckpointsAreRefused() throws Exception {
        Path[] f = files();
        Path model = f[0], ck = f[1];
        Dataset.Split data = TrainFixtures.data(31, 16, 8);
        byte[] ok = Files.readAllBytes(ck);
        Path flipped = copyWith(ck, dir.resolve("flipped.ckpt"), flipMiddleByte(ok));
        fails(() -> TrainFixtures.resume(flipped, data, 1), flipped.toString(), "checksum");
        Path cut = copyWith(ck, dir.resolve("cut.ckpt"), Arrays.copyOf(ok, ok.length - 1));
        fails(() -> TrainFixtures.resume(cut, data, 1), cut.toString(), "truncated");
        Path v = copyWith(ck, dir.resolve("v99.ckpt"), otherVersion(ok));
        fails(() -> TrainFixtures.resume(v, data, 1), v.toString(), "version");
        // the wrong kind, both ways
        fails(() -> Model.load(ck), ck.toString(), "checkpoint", "expected a model");
        fails(() -> TrainFixtures.resume(model, data, 1), model.toString(), "model", "expected a checkpoint");
    }

    private static void refused(TrainConfig tc, Dataset.Split data, String... words) {
        fails(() -> new Trainer(tc, data, KernelProvider.get()).close(), words);
    }

    @Test
    void badConfigurationsAreRefused() {
        Dataset.Split data = TrainFixtures.data(32, 16, 8);
        TrainConfig tc = TrainFixtures.config(1);
        tc.sparsity = 1.5;
        refused(tc, data, "--sparsity", "1.5");
        tc = TrainFixtures.config(1);
        tc.sparsity = -0.1;
        refused(tc, data, "--sparsity");
        tc = TrainFixtures.config(1);
        tc.structure = StructureKind.DEEPR;
        refused(tc, data, "--structure deepr", "--sparsity");
        tc = TrainFixtures.config(1);
        tc.structure = StructureKind.RIGL;
        refused(tc, data, "--structure rigl", "--sparsity");
        fails(() -> StructureKind.parse("magic"), "--structure", "magic");
        tc = TrainFixtures.config(1);
        tc.epochs = 0;
        refused(tc, data, "--epochs");
        tc = TrainFixtures.config(1);
        tc.batch = 0;
        refused(tc, data, "--batch");
        tc = TrainFixtures.config(1);
        tc.dropout = 1.0;
        refused(tc, data, "--dropout");
        fails(() -> KernelChoice.parse("gpu"), "--kernel", "gpu");
        tc = TrainFixtures.config(1);
        tc.sparsity = 0.5;
        tc.kernel = KernelChoice.DENSE;
        refused(tc, data, "--kernel dense", "sparse");
        // data that does not fit the network
        tc = TrainFixtures.config(1);
        tc.net = tc.net.toBuilder().inputs(TrainFixtures.IN + 1).build();
        refused(tc, data, "channels", "" + (TrainFixtures.IN + 1));
        tc = TrainFixtures.config(1);
        tc.net = tc.net.toBuilder().steps(TrainFixtures.STEPS + 2).build();
        refused(tc, data, "steps", "" + (TrainFixtures.STEPS + 2));
        tc = TrainFixtures.config(1);
        tc.net = tc.net.toBuilder().outputs(TrainFixtures.OUT - 1).build();
        refused(tc, data, "classes", "outputs");
    }

    @Test
    void evaluationRefusesDataOfAnotherShape() {
        Dataset.Split data = TrainFixtures.data(33, 16, 8);
        TrainConfig tc = TrainFixtures.config(1);
        tc.net = tc.net.toBuilder().delayMode(DelayMode.INT).build();
        try (Trainer t = new Trainer(tc, data, KernelProvider.get());
             org.myelin.kernel.Parallel par = new org.myelin.kernel.Parallel(1)) {
            Model m = t.toModel(null);
            Dataset wide = new Dataset(new float[2 * TrainFixtures.STEPS * 7], new int[2], TrainFixtures.STEPS, 7, 2, null);
            fails(() -> Evaluation.run(m, wide, 4, 1, KernelProvider.get(), par), "7", "expects");
        }
    }
}
