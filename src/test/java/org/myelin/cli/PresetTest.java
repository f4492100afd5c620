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

    @Test
    void anUnknownPresetIsOneLine() {
        UsageException e = assertThrows(UsageException.class, () -> Presets.apply(new Args("train", new String[] {"--preset", "gsc"})));
        assertEquals("--preset takes shd or ssc, got 'gsc'", e.getMessage());
    }
}
