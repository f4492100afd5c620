package org.myelin.edge;

/**
 * Receives each word a {@link WordStream} hears, on the thread that pushed the audio that
 * completed it (or that closed the stream). It should return quickly: the stream waits for it. An
 * exception it throws reaches the caller of {@code push} or {@code close}.
 */
@FunctionalInterface
public interface WordListener {
    /** One word, when it has ended. */
    void word(Word w);
}
