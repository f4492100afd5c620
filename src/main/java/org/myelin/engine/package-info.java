/**
 * The edge inference engine: a trained model compiled for event-driven, step-by-step,
 * allocation-free inference on audio streams, with the front end the model file carries.
 * Applications use it through {@link org.myelin.edge} (the public API; this package is internal
 * and not exported by the {@code org.myelin.edge} module); the command line uses it directly.
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
 * See {@link org.myelin.edge.example.EmbeddingExample} for the same through the public API.
 *
 * <p><b>When "allocation-free" holds.</b> {@code push} and {@code step} allocate nothing once the JIT
 * has compiled them with C2 (HotSpot's optimising compiler), which happens after the first seconds
 * of audio on an otherwise idle JVM. On the vector kernels this matters: the Vector API's vectors
 * are objects that only C2's escape analysis keeps in registers, so until then (interpreted or C1
 * code, or a JVM without C2, e.g. {@code -XX:TieredStopAtLevel=1}) each step allocates short-lived
 * vectors — kilobytes per 10 ms frame (1.7 MB per 3 s of audio in the test that caught it). When C2
 * gets to the engine depends on its queue: in a process compiling other large methods at the same
 * time, it came tens of seconds later (seen in a test JVM, issue 29). The scalar kernels
 * ({@code -Dmyelin.vector=false}) allocate nothing in any tier. The promise is tested, and holds,
 * for a process whose engine runs one kernel implementation — the provider's choice — and for a
 * network compiled with the background warm-up ({@code CompiledNetwork.compile(model, true)}, what
 * {@code org.myelin.edge} does: streams start on the scalar kernels and move to the vector ones
 * once compiled, {@code Warmup}), whose switched streams the tests measure the same way. Not
 * proven for other mixes through the engine (scalar and vector networks
 * compiled with explicit {@code KernelOps}): in a test that ran the scalar and then the 256-bit
 * vector kernels through the same engine code, the vector stream's steady state once allocated 768
 * bytes a step, every step, for the two minutes the test waited (issue 29). It happened once in
 * about ten runs under load and was not reproduced alone, so its cause — presumably how C2 compiled
 * the engine's call into two implementations — is not established. An application that needs the
 * steady state from its first frame should push some seconds of audio through a stream at start-up
 * (with segmentation the network runs only on the frames of a word, so the audio needs words in it,
 * or use a stream without segmentation). The tests check the promise in a JVM of their own, on both
 * kernel paths.
 */
package org.myelin.engine;
