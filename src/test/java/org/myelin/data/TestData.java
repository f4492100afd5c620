package org.myelin.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the shared development data and the committed fixtures. */
final class TestData {
    private TestData() {}

    /** ../shared/data relative to the project root. */
    static Path shared(String... more) {
        return Path.of("..", "shared", "data").resolve(String.join("/", more));
    }

    /** The shared path, or the test is skipped with a message saying what is missing. */
    static Path requireShared(String... more) {
        Path p = shared(more);
        assumeTrue(Files.exists(p), "shared development data " + p.toAbsolutePath().normalize()
                + " is absent (a fresh clone has no ../shared/data); skipping");
        return p;
    }

    static Path resource(String... more) {
        return Path.of("src", "test", "resources").resolve(String.join("/", more));
    }
}
