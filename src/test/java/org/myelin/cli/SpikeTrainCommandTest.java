package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.model.Model;

/** {@code train --data} on an SHD folder with the defaults of a data folder (and a preset): it runs, and says what it set. */
class SpikeTrainCommandTest {
    static final Path RES = Path.of("src/test/resources/hdf5");

    @TempDir
    Path dir;

    @Test
    void anShdFolderTrainsWithTheDataFolderDefaults() throws Exception {
        Path shd = Files.createDirectories(dir.resolve("shd"));
        Files.copy(RES.resolve("pytables_shd.h5"), shd.resolve("shd_train.h5"));
        Files.copy(RES.resolve("pytables_shd_zlib.h5"), shd.resolve("shd_test.h5"));
        Path model = dir.resolve("m.myelin");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("train", "--data", shd.toString(), "--no-cache", "--epochs", "1",
                "--hidden", "8", "--max-delay", "3", "--batch", "4", "--threads", "1", "--out", model.toString());
        assertEquals(0, r.code, r.err);
        assertEquals("fuenf", Model.load(model).classNames().get(15), "the file's extra/keys");
        // the preset's lines come first on stderr, the flags given win
        r = TrainEvalCommandTest.main("train", "--data", shd.toString(), "--no-cache", "--preset", "shd", "--epochs", "1",
                "--hidden", "8,8", "--max-delay", "3", "--batch", "4", "--threads", "1", "--out", model.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.startsWith("preset shd: --tau 10.05 --dropout 0.4 --bin-ms 10 --pool 5\n"
                + "  given instead: --hidden --max-delay --epochs --batch\n"), r.err);
        assertEquals(2, Model.load(model).config.depth());
        // SHD has no validation part to evaluate
        r = TrainEvalCommandTest.main("eval", "--model", model.toString(), "--part", "valid");
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.contains("--part valid: " + shd + " has no validation part"), r.err);
    }

    @Test
    void evalScoresSscsValidationPart() throws Exception {
        Path ssc = Files.createDirectories(dir.resolve("ssc"));
        for (String p : new String[] {"train", "valid", "test"}) Files.copy(RES.resolve("pytables_ssc.h5"), ssc.resolve("ssc_" + p + ".h5"));
        Path model = dir.resolve("s.myelin");
        TrainEvalCommandTest.Run r = TrainEvalCommandTest.main("train", "--data", ssc.toString(), "--no-cache", "--epochs", "2",
                "--hidden", "8", "--max-delay", "3", "--batch", "5", "--threads", "1", "--out", model.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.err.contains("| valid loss "), r.err);
        r = TrainEvalCommandTest.main("eval", "--model", model.toString(), "--part", "all");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("test accuracy ") && r.out.contains("valid accuracy ") && r.out.contains("(10 samples"), r.out);
        assertEquals(((Number) Model.load(model).meta.get("valid_accuracy")).doubleValue(),
                Double.parseDouble(r.out.replaceAll("(?s).*valid accuracy (\\S+) .*", "$1")), 1e-4, "the chosen epoch's score, to the 4 places printed");
    }
}
