package org.myelin.edge;

/**
 * A word the spotter heard: where it is in the audio, which class the network chose, the class's
 * name as the training data named it ("seven", "yes"; the class number as text for a model whose
 * data named none), its calibrated probability, and whether it was accepted.
 *
 * <p>{@code accepted} is false when the probability is below the model's threshold (a rejected
 * word is still reported, so an application can count or show it); a model with a rejection class
 * reports that class as not accepted too. Immutable.
 *
 * @param start      seconds from the start of the audio to the start of the word's first frame
 * @param end        seconds from the start of the audio to the end of the word's last frame
 * @param classIndex the class, 0 … {@code classes - 1}
 * @param className  the class's name, {@link KeywordSpotter#classNames()}{@code .get(classIndex)}
 * @param p          calibrated probability of the class, in [0, 1]
 * @param accepted   whether the word is taken as a keyword (see above)
 */
public record Word(double start, double end, int classIndex, String className, float p, boolean accepted) {
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.2f-%.2f s %s (class %d, p %.3f%s)", start, end, className, classIndex, p,
                accepted ? "" : ", rejected");
    }
}
