package org.myelin.data.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reads an audio file, choosing the codec by its content (FLAC or WAV), not its name. */
public final class AudioFiles {
    private AudioFiles() {}

    /** File name extensions the dataset readers treat as audio. */
    public static boolean isAudioName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".wav") || n.endsWith(".flac"));
    }

    public static Audio read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    public static Audio read(byte[] bytes, String name) {
        if (FlacDecoder.looksLikeFlac(bytes)) return FlacDecoder.decode(bytes, name);
        if (WavReader.looksLikeWav(bytes)) return WavReader.read(bytes, name);
        if (bytes.length == 0) throw new BadAudioException(name + ": empty file");
        throw new BadAudioException(name + ": unsupported audio format (neither FLAC nor RIFF/WAVE)");
    }
}
