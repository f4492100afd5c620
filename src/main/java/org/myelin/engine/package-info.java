/**
 * The edge inference engine: a trained model compiled for event-driven, step-by-step,
 * allocation-free inference on audio streams, with the front end the model file carries.
 *
 * <ul>
 *   <li>{@link org.myelin.engine.Spotter}: a model file loaded for keyword spotting — the compiled
 *       network plus its feature recipe; {@code classify(samples, rate, ...)} is the offline path.</li>
 *   <li>{@link org.myelin.engine.KeywordStream}: one audio stream — PCM chunks (float or 16-bit, any
 *       size, any rate) in, words (start, end, class, probabilities) out, cut by voice activity
 *       ({@link org.myelin.engine.Segmentation}).</li>
 *   <li>{@link org.myelin.engine.CompiledNetwork}: the immutable, thread-shareable compiled model
 *       (integer delays, batch norm folded into weights and a bias, only active synapses, CSR).</li>
 *   <li>{@link org.myelin.engine.StreamState}: one stream's membranes, spikes, input history, ring
 *       buffer and running scores; {@code step(frame, scores)} advances it by one 10 ms frame.</li>
 * </ul>
 *
 * <p>Minimal use:
 * <pre>{@code
 * Spotter spotter = Spotter.load(Path.of("model.myelin"));            // share between threads
 * KeywordStream s = spotter.newStream(16000, Segmentation.defaults(), true); // one per audio source
 * s.push(chunk, 0, chunk.length, w -> System.out.println(w.label));  // no allocation per chunk
 * s.close(w -> System.out.println(w.label));
 * }</pre>
 * See {@link org.myelin.engine.example.EmbeddingExample}.
 */
package org.myelin.engine;
