/**
 * The myelin-engine jar as a module: Myelin's edge inference engine, of which only the public API
 * ({@code org.myelin.edge}) is exported; the engine, kernels, model reader, front end and audio
 * decoders inside it are not. The Vector API is optional: with {@code --add-modules
 * jdk.incubator.vector} the engine runs its vector kernels, without it the scalar ones (one log
 * line says which).
 */
module org.myelin.edge {
    requires static jdk.incubator.vector;

    exports org.myelin.edge;
}
