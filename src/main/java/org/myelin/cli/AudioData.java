package org.myelin.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.myelin.data.Dataset;

/** Audio folders: decoded and turned into log-Mel features by the data package. */
final class AudioData {
    private AudioData() {}

    static Dataset.Split load(Path dir, String format, boolean skipBad) throws IOException {
        throw new UsageException("--data " + dir + ": no x.npy/y.npy features found and audio input is not built into this version yet");
    }
}
