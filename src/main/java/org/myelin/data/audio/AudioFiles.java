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

    /**
     * The recordings below a folder given with {@code --flag}: every {@code .wav} and {@code .flac}
     * in it and its sub-folders, in path order; names starting with '.' (and what is below them)
     * are left out.
     *
     * @throws java.nio.file.NoSuchFileException when the folder does not exist
     * @throws IllegalArgumentException naming the flag and the folder when it is a file or holds no recordings
     */
    public static java.util.List<Path> list(Path dir, String flag) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (Files.exists(dir)) throw new IllegalArgumentException("--" + flag + " " + dir + ": not a folder");
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "--" + flag + ": no such folder");
        }
        java.util.List<Path> files = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).filter(p -> {
                for (Path part : dir.relativize(p)) if (part.toString().startsWith(".")) return false;
                return isAudioName(p.getFileName().toString());
            }).sorted().forEach(files::add);
        }
        if (files.isEmpty()) throw new IllegalArgumentException("--" + flag + " " + dir + ": no .wav or .flac recordings in it");
        return files;
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
