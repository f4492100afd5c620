package org.myelin.edge;

import java.io.IOException;

/**
 * A model that cannot be used: not a Myelin model file, truncated, corrupt (checksum), of a newer
 * format version than this build reads, inconsistent, or without the audio front end a keyword
 * spotter needs. The message names the source (the file, or the name given for a stream or bytes)
 * and what is wrong, in one line.
 *
 * <p>A checked exception, and an {@link IOException} (a model is read from a file or a stream), so
 * {@code catch (InvalidModelException e)} tells a bad model from a failed read (an absent file is
 * {@link java.nio.file.NoSuchFileException}). Misuse of a loaded spotter or of a stream — bad PCM,
 * an unusable sample rate, a closed stream — is an {@link IllegalArgumentException} or
 * {@link IllegalStateException}, never this.
 */
public final class InvalidModelException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;

    InvalidModelException(String source, String message) {
        super(message);
        this.source = source;
    }

    /** The file or the name the model was loaded under. */
    public String source() {
        return source;
    }
}
