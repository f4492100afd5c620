/**
 * The edge inference engine: a trained model compiled for event-driven, step-by-step,
 * allocation-free inference on one or many audio streams.
 *
 * <ul>
 *   <li>{@link org.myelin.engine.CompiledNetwork}: the immutable, thread-shareable compiled model
 *       (integer delays, batch norm folded into weights and a bias, only active synapses, CSR).</li>
 *   <li>{@link org.myelin.engine.StreamState}: one stream's membranes, spikes, input history, ring buffer and
 *       running scores; {@code step(frame, scores)} advances it by one 10 ms frame.</li>
 *   <li>{@link org.myelin.engine.StreamingFrontEnd} with a {@link org.myelin.engine.FrameFeatures}
 *       (e.g. {@link org.myelin.engine.LogMelFeatures}) and a
 *       {@link org.myelin.engine.FeatureNormalizer}: audio samples in, feature frames out, with a
 *       latency of one 25 ms window.</li>
 *   <li>{@link org.myelin.engine.InferCommand}: the {@code infer} command.</li>
 * </ul>
 *
 * <p>Minimal use:
 * <pre>{@code
 * CompiledNetwork net = CompiledNetwork.load(Path.of("model.myelin")); // share between threads
 * StreamState s = net.newStream();                                    // one per stream/thread
 * float[] scores = new float[net.outputs()];
 * for (float[] frame : frames) s.step(frame, scores);                 // no allocation
 * int cls = s.predict();
 * }</pre>
 * See {@link org.myelin.engine.example.EmbeddingExample} for audio in, class out.
 */
package org.myelin.engine;
