package org.myelin.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.myelin.data.AudioDatasets;
import org.myelin.data.Dataset;

/** Audio folders: decoded and turned into log-Mel features (cached) by the data package. */
final class AudioData {
    private AudioData() {}

    static Dataset.Split load(Path dir, String format, boolean skipBad) throws IOException {
        return AudioDatasets.load(dir, format, skipBad);
    }
}
