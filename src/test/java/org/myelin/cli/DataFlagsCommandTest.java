package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.kernel.KernelProvider;

/**
 * The data flags as a user meets them through {@code train}: an FSDD folder without split files
 * (20 recordings, generated, so the test runs on a fresh clone; and again copied from
 * ../shared/data/fsdd, skipped with a message when that is absent) is split by
 * FSDD's own rule, the run's summary names that split and the cache, the cache goes where
 * {@code --cache} says and never into the dataset, {@code --split speaker} and {@code --no-cache}
 * work, and bad values are one-line errors.
 */
class DataFlagsCommandTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void chooseKernelsFirst() {
        KernelProvider.get();
    }

    /** Digits 0-4 of george and jackson, takes 0 and 7: generated 8 kHz words, or FSDD's own recordings. */
    private Path fsddWithoutSplitFiles(String source) throws Exception {
        Path src = Path.of("..", "shared", "data", "fsdd", "recordings");
        boolean shared = source.equals("shared");
        if (shared) {
            assumeTrue(Files.isDirectory(src), "shared development data " + src.toAbsolutePath().normalize()
                    + " is absent (a fresh clone has no ../shared/data); skipping the FSDD copy (the generated one ran)");
        }
        Path d = dir.resolve("fsdd");
        Files.createDirectories(d.resolve("recordings"));
        Random rng = new Random(28);
        for (String s : new String[] {"george", "jackson"}) {
            for (int digit = 0; digit < 5; digit++) {
                for (int take : new int[] {0, 7}) {
                    String n = digit + "_" + s + "_" + take + ".wav";
                    if (shared) Files.copy(src.resolve(n), d.resolve("recordings").resolve(n));
                    else KwsCommandsTest.wav(d.resolve("recordings").resolve(n), 8000, KwsCommandsTest.word(digit, 8000, rng));
                }
            }
        }
        return d;
    }

    /** stderr with each wrapped line (its continuation lines indented by 6 or more spaces) joined into one. */
    static String joined(String err) {
        return err.replaceAll("\n {6,}", " ");
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private TrainEvalCommandTest.Run train(Path data, String... extra) {
        return TrainEvalCommandTest.main(TrainEvalCommandTest.args(new String[] {"train", "--data", data.toString(), "--epochs", "1",
                "--hidden", "8", "--batch", "4", "--threads", "1", "--out", dir.resolve("m.myelin").toString()}, extra));
    }

    @ParameterizedTest
    @ValueSource(strings = {"generated", "shared"})
    void ownSplitNamedAndCachedOutsideTheDataset(String source) throws Exception {
        Path data = fsddWithoutSplitFiles(source);
        Path cache = dir.resolve("cache");
        TrainEvalCommandTest.Run r = train(data, "--cache", cache.toString());
        assertEquals(0, r.code, r.err);
        String summary = joined(r.err).lines().filter(l -> l.startsWith("features: ")).findFirst().orElse("");
        assertTrue(summary.contains("10 train, 10 test") && summary.contains("split: FSDD's rule: takes 0-4 of every speaker and digit are test"),
                r.err);
        List<String> folders = names(cache);
        assertEquals(1, folders.size(), folders.toString());
        assertTrue(folders.get(0).matches("fsdd-[0-9a-f]{16}") && summary.contains(cache.resolve(folders.get(0)).toString()), summary);
        assertEquals(List.of("recordings"), names(data), "nothing written into the dataset");
        // again: reused, and says so
        r = train(data, "--cache", cache.toString());
        assertTrue(r.err.contains("features: up to date: 20 samples"), r.err);

        r = train(data, "--split", "speaker", "--no-cache");
        assertEquals(0, r.code, r.err);
        assertTrue(joined(r.err).contains("split: by speaker: test speakers [jackson]) in memory (no cache)"), r.err);
        assertEquals(List.of("recordings"), names(data));
    }

    @Test
    void badDataFlagsAreOneLineErrors() throws Exception {
        String[][] cases = {
            {"train", "--split", "person"},
            {"train", "--cache", dir.toString(), "--no-cache"},
        };
        String[] expect = {"--split takes default, speaker or speaker:NAME[,NAME...], got 'person'", "--cache DIR and --no-cache contradict each other"};
        for (int k = 0; k < cases.length; k++) {
            TrainEvalCommandTest.Run r = TrainEvalCommandTest.main(cases[k]);
            assertEquals(2, r.code, r.err);
            assertEquals("myelin train: " + expect[k], r.err.strip());
        }
    }
}
