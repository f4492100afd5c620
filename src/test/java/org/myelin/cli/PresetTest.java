package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.myelin.run.RunSpec;

/** --preset shd|ssc sets SNN-delays' configurations (docs/MODEL.md), says so in full, and any flag given wins. */
class PresetTest {
    private static RunSpec parse(Args a) {
        return TrainFlags.parse(a, Set.of());
    }

    @Test
    void shdSetsTheDeeperNetworkAndItsSchedule() {
        Args a = new Args("train", new String[] {"--preset", "shd"});
        String said = Presets.apply(a);
        RunSpec s = parse(a);
        assertEquals(List.of(256, 256), s.network().hidden());
        assertEquals(25, s.network().maxDelay());
        assertEquals(10.05f, s.network().tau(), 0f);
        assertEquals(0.4, s.training().dropout, 0.0);
        assertEquals(150, s.training().epochs);
        assertEquals(256, s.training().batch);
        assertEquals(10, s.data().binMs(), 0.0);
        assertEquals(5, s.data().pool());
        assertEquals("preset shd: --hidden 256,256 --max-delay 25 --tau 10.05 --dropout 0.4\n  --epochs 150 --batch 256 --bin-ms 10 --pool 5", said);
    }

    @Test
    void sscSetsThreeLayersOf512() {
        Args a = new Args("train", new String[] {"--preset", "ssc"});
        Presets.apply(a);
        RunSpec s = parse(a);
        assertEquals(List.of(512, 512, 512), s.network().hidden());
        assertEquals(31, s.network().maxDelay());
        assertEquals(15f, s.network().tau(), 0f);
        assertEquals(0.25, s.training().dropout, 0.0);
        assertEquals(60, s.training().epochs);
        assertEquals(128, s.training().batch);
    }

    @Test
    void anyFlagGivenWinsAndIsSaid() {
        Args a = new Args("train", new String[] {"--epochs", "3", "--preset", "ssc", "--hidden", "16", "--pool", "10"});
        String said = Presets.apply(a);
        RunSpec s = parse(a);
        assertEquals(3, s.training().epochs);
        assertEquals(List.of(16), s.network().hidden());
        assertEquals(10, s.data().pool());
        assertEquals(31, s.network().maxDelay(), "the preset's other settings stay");
        assertEquals(128, s.training().batch);
        assertTrue(said.endsWith("\n  given instead: --hidden --epochs --pool"), said);
        for (String line : said.split("\n")) assertTrue(line.length() <= 80, line);
        // a --no- form counts as given
        Args b = new Args("train", new String[] {"--preset", "shd", "--no-batch-norm"});
        Presets.apply(b);
        assertTrue(!parse(b).network().batchNorm());
    }

    /**
     * ablation and experiment take --preset too: the same table, said in full on the run's first
     * stderr lines, every run's command carrying its settings, the flags given winning.
     */
    @Test
    void ablationAndExperimentTakeThePreset(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        TrainEvalCommandTest.Run ab = TrainEvalCommandTest.main("ablation", "--out", dir.resolve("ab").toString(), "--preset", "shd",
                "--epochs", "2", "--sparsities", "0.5", "--repeats", "1", "--print-commands");
        assertEquals(0, ab.code, ab.err);
        assertTrue(ab.err.startsWith("preset shd: --hidden 256,256 --max-delay 25 --tau 10.05 --dropout 0.4\n  --batch 256 --bin-ms 10 --pool 5\n"
                + "  given instead: --epochs\n"), ab.err);
        String[] lines = ab.out.strip().split("\n");
        assertEquals(4, lines.length, ab.out); // four models at one sparsity, one repeat
        for (String line : lines) {
            // SHD's delay range, τ and dropout are train's defaults, which the command lines leave out
            for (String f : new String[] {"--hidden 256,256", "--epochs 2", "--batch 256"}) assertTrue(line.contains(f), f + " in " + line);
            for (String f : new String[] {"--max-delay", "--tau", "--dropout", "--bin-ms", "--pool"}) assertTrue(!line.contains(f), f + " in " + line);
        }
        TrainEvalCommandTest.Run ex = TrainEvalCommandTest.main("experiment", "--out", dir.resolve("ex").toString(), "--preset", "ssc",
                "--hidden", "16", "--repeats", "1", "--print-commands");
        assertEquals(0, ex.code, ex.err);
        assertTrue(ex.err.startsWith("preset ssc: --max-delay 31 --tau 15 --dropout 0.25 --epochs 60 --batch 128\n  --bin-ms 10 --pool 5\n"
                + "  given instead: --hidden\n"), ex.err);
        List<String> trains = java.util.Arrays.stream(ex.out.split("\n")).filter(l -> l.contains(" train ")).toList();
        assertEquals(2, trains.size(), ex.out); // dense and sparse, one repeat
        for (String line : trains) {
            for (String f : new String[] {"--hidden 16", "--max-delay 31", "--tau 15", "--dropout 0.25", "--epochs 60", "--batch 128"}) {
                assertTrue(line.contains(f), f + " in " + line);
            }
        }
        assertTrue(TrainEvalCommandTest.main("ablation", "--help").out.contains("--preset P"));
        assertTrue(TrainEvalCommandTest.main("experiment", "--help").out.contains("--preset P"));
    }

    @Test
    void anUnknownPresetIsOneLine() {
        UsageException e = assertThrows(UsageException.class, () -> Presets.apply(new Args("train", new String[] {"--preset", "gsc"})));
        assertEquals("--preset takes shd or ssc, got 'gsc'", e.getMessage());
    }
}
