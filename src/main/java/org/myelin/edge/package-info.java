/**
 * Myelin's edge API: a trained keyword spotter in an application. The whole public surface is
 * this package — the rest of the engine is internal (not exported by the {@code org.myelin.edge}
 * module of the {@code myelin-engine} jar).
 *
 * <ul>
 *   <li>{@link org.myelin.edge.KeywordSpotter} — a model loaded from a file, a stream or bytes;
 *       immutable, thread-safe.</li>
 *   <li>{@link org.myelin.edge.WordStream} — one audio source, PCM in, words out;
 *       {@link java.lang.AutoCloseable}; one thread at a time.</li>
 *   <li>{@link org.myelin.edge.Word} — a word: start, end, class index and name, calibrated
 *       probability, accepted; {@link org.myelin.edge.WordListener} receives them.</li>
 *   <li>{@link org.myelin.edge.Options} (with its builder) and
 *       {@link org.myelin.edge.VoiceActivity} — sample rate, resampling, how a stream is cut into
 *       words, threads; immutable.</li>
 *   <li>{@link org.myelin.edge.InvalidModelException} — a model that cannot be used (checked,
 *       an {@link java.io.IOException}); misuse is {@link java.lang.IllegalArgumentException} or
 *       {@link java.lang.IllegalStateException}.</li>
 * </ul>
 *
 * <p>{@link org.myelin.edge.example.EmbeddingExample} is a complete program; docs/EMBEDDING.md is
 * the guide.
 */
package org.myelin.edge;
