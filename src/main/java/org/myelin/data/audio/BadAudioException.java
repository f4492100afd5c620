package org.myelin.data.audio;

/**
 * An audio file that cannot be decoded: truncated, corrupt or in an unsupported variant.
 * The message is one line naming the file and the reason, e.g.
 * {@code "a.flac: frame 12: CRC-16 mismatch"}. It is an {@link IllegalArgumentException} so that the
 * command line reports it as an input error (exit code 2).
 */
public final class BadAudioException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public BadAudioException(String message) {
        super(message);
    }
}
